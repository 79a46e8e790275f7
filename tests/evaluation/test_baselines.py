"""The relation baselines and relation evaluation."""

import spacy

from pipeline.corpus import Record
from pipeline.evaluation.baselines import LogRegBaseline, nearest_actor
from pipeline.evaluation.metrics import relation_keys
from pipeline.evaluation.relations import evaluate_relations, reachable

from ..relations.conftest import _train_examples


def test_baselines_and_evaluation():
    _, _, rec = _train_examples(1)
    tokenize = spacy.blank("zh").make_doc
    rule = nearest_actor(Record(rec.text, rec.entities, [], rec.meta), tokenize)
    assert relation_keys([rule]) == relation_keys([rec])
    scores = evaluate_relations([rec], [rule])
    assert scores["micro"]["f"] == 1.0
    logreg = LogRegBaseline(tokenize).fit([rec] * 4)
    predicted = logreg.predict(Record(rec.text, rec.entities, [], rec.meta))
    assert predicted.entities == rec.entities and relation_keys([predicted]) == relation_keys([rec])


def test_reachable_counts_relations_whose_spans_were_both_found():
    _, _, rec = _train_examples(1)
    missing_org = Record(rec.text, [e for e in rec.entities if e.id != 4], [], rec.meta)
    assert reachable([rec], [rec]) == (3, 3)
    assert reachable([rec], [missing_org]) == (2, 3)  # 省交通运输厅 -> 86.34万元 cannot be found
