"""The nearest-head rule baseline and the relation scores by type, head label and distance."""

from pipeline.corpus import Entity, Record, Relation
from pipeline.evaluation.baselines import nearest_head
from pipeline.evaluation.metrics import relation_keys
from pipeline.evaluation.relations import evaluate_relations, reachable, relation_breakdown, relations_beside_rule

from ..relations.conftest import _train_examples


def test_rule_baseline_and_evaluation():
    _, _, rec = _train_examples(1)
    rule = nearest_head(Record(rec.text, rec.entities, [], rec.meta))
    assert relation_keys([rule]) == relation_keys([rec]) and rule.entities == rec.entities
    assert evaluate_relations([rec], [rule])["micro"]["f"] == 1.0


def test_breakdown_by_type_head_label_and_distance():
    text = "甲局开展“行动”," + "中" * 40 + "共18场。"
    ents = [Entity(1, "ORG", 0, 2), Entity(2, "INITIATIVE", 5, 7), Entity(3, "OUTCOME", 50, 53)]
    gold = Record(text, ents, [Relation(1, 1, 2, "LAUNCHED"), Relation(2, 2, 3, "ACHIEVED")])
    pred = Record(text, ents, [Relation(1, 1, 2, "LAUNCHED"), Relation(2, 1, 3, "ACHIEVED")])
    rows = relation_breakdown([gold], [pred])
    assert rows["micro"] == {"p": 0.5, "r": 0.5, "f": 0.5, "tp": 1, "fp": 1, "fn": 1}
    assert rows["LAUNCHED"]["f"] == 1.0 and rows["ACHIEVED"]["f"] == 0.0
    assert (rows["head ORG"]["tp"], rows["head ORG"]["fp"], rows["head INITIATIVE"]["fn"]) == (1, 1, 1)
    assert rows["0-10"]["tp"] == 1  # 甲局 -> 行动: 3 characters apart
    assert (rows["30-60"]["fp"], rows["30-60"]["fn"]) == (1, 1)  # 43 and 48 characters apart
    assert rows["60+"] == {"p": 0.0, "r": 0.0, "f": 0.0, "tp": 0, "fp": 0, "fn": 0}


def test_reachable_counts_relations_whose_spans_were_both_found():
    _, _, rec = _train_examples(1)
    missing_org = Record(rec.text, [e for e in rec.entities if e.id != 4], [], rec.meta)
    assert reachable([rec], [rec]) == (3, 3)
    assert reachable([rec], [missing_org]) == (2, 3)  # 省交通运输厅 -> 86.34万元 cannot be found


def test_model_beside_rule_runs_the_rule_on_each_settings_entities():
    text = "甲局开展“行动”," + "中" * 40 + "共18场。"
    ents = [Entity(1, "ORG", 0, 2), Entity(2, "INITIATIVE", 5, 7), Entity(3, "OUTCOME", 50, 53)]
    gold = Record(text, ents, [Relation(1, 1, 2, "LAUNCHED"), Relation(2, 2, 3, "ACHIEVED")])
    no_initiative = Record(text, [ents[0], ents[2]], [Relation(1, 1, 3, "ACHIEVED")])
    table = relations_beside_rule([gold], {"end_to_end": [no_initiative], "gold_entities": [gold]})
    assert table["gold_entities"]["model"]["micro"]["f"] == 1.0
    assert table["gold_entities"]["rule"]["LAUNCHED"]["f"] == 1.0  # the rule on the gold entities
    assert table["end_to_end"]["rule"]["micro"]["tp"] == 0  # on the predicted ones: no INITIATIVE to find
    assert table["end_to_end"]["model"]["micro"]["fp"] == 1
