"""Agreement maths on hand-made versions, every figure worked out by hand in the comments."""

import pytest

from pipeline.corpus import CorpusError, Entity, Record, Relation
from pipeline.evaluation.agreement import agreement, by_paragraph, char_labels, format_agreement, kappa, paragraph_f1

TEXT = "省委开展三航行动。"  # 省委 = [0, 2), 三航行动 = [4, 8), 9 characters


def rec(text=TEXT, ents=(), rels=(), doc="d", para=0):
    entities = [Entity(i, label, s, e) for i, (label, s, e) in enumerate(ents, 1)]
    relations = [Relation(i, h, t, label) for i, (h, t, label) in enumerate(rels, 1)]
    return Record(text, entities, relations, meta={"doc_id": doc, "para": para})


ALICE = rec(ents=[("ORG", 0, 2), ("INITIATIVE", 4, 8)], rels=[(1, 2, "LAUNCHED")])
BOB = rec(ents=[("ORG", 0, 2)])


def test_char_labels_are_the_covering_entity_or_o():
    assert char_labels(ALICE) == ["ORG"] * 2 + ["O"] * 2 + ["INITIATIVE"] * 4 + ["O"]


def test_two_annotators_on_one_paragraph():
    result = agreement({"alice": [ALICE], "bob": [BOB]})
    pair = result["pairs"][0]
    # entities: both have ORG [0,2); only alice INITIATIVE [4,8) -> tp 1, fp 0, fn 1 -> F = 2/3
    assert pair["entities"]["micro"]["f"] == pytest.approx(0.6667)
    assert (pair["entities"]["ORG"]["f"], pair["entities"]["INITIATIVE"]["f"]) == (1.0, 0.0)
    # relations: alice's LAUNCHED, nothing from bob -> F = 0
    assert pair["relations"]["LAUNCHED"]["fn"] == 1 and pair["relations"]["micro"]["f"] == 0.0
    # kappa: observed 5/9 (chars 0,1,2,3,8 agree); expected (2*2 + 3*7 + 4*0)/81 = 25/81;
    # (5/9 - 25/81) / (1 - 25/81) = 20/56
    assert pair["kappa"] == pytest.approx(20 / 56, abs=1e-4)
    assert result["overall"] == {
        "entities_f1": pytest.approx(0.6667),
        "relations_f1": 0.0,
        "kappa": pytest.approx(20 / 56, abs=1e-4),
        "paragraphs": 1,
        "pairs": 1,
    }
    # the paragraph: 3 items from alice, 1 from bob, 1 shared -> P 1, R 1/3, F 0.5
    assert result["paragraphs"][0]["f1"] == 0.5


def test_three_annotators_overall_pools_counts_and_averages_kappa():
    carol = rec(ents=[("ORG", 0, 2), ("INITIATIVE", 4, 8)], rels=[(1, 2, "LAUNCHED")])  # same as alice
    result = agreement({"alice": [ALICE], "bob": [BOB], "carol": [carol]})
    pairs = {tuple(p["annotators"]): p for p in result["pairs"]}
    assert pairs[("alice", "carol")]["kappa"] == 1.0 and pairs[("alice", "carol")]["entities"]["micro"]["f"] == 1.0
    # pooled entities: alice-bob (1,0,1) + alice-carol (2,0,0) + bob-carol (1,1,0) = tp 4, fp 1, fn 1 -> F 0.8
    assert result["overall"]["entities_f1"] == 0.8
    # Light's kappa: mean of 20/56, 1, 20/56
    assert result["overall"]["kappa"] == pytest.approx((20 / 56 * 2 + 1) / 3, abs=1e-4)


def test_paragraphs_are_ranked_lowest_agreement_first_and_single_versions_ignored():
    same = rec("省委召开会议。", [("ORG", 0, 2)], para=1)
    alone = rec("市委开展活动。", [("ORG", 0, 2)], para=2)
    result = agreement({"alice": [same, ALICE, alone], "bob": [BOB, same]})
    assert [(p["para"], p["f1"]) for p in result["paragraphs"]] == [(0, 0.5), (1, 1.0)]
    assert result["overall"]["paragraphs"] == 2
    table = format_agreement(result)
    assert "alice × bob" in table and table.index("0.500  d/0") < table.index("1.000  d/1")


@pytest.mark.parametrize(
    "a,b,expected",
    [(["O", "O"], ["O", "O"], None), (["ORG", "O"], ["ORG", "O"], 1.0), (["ORG", "O"], ["O", "ORG"], -1.0)],
)
def test_kappa_edge_cases(a, b, expected):
    assert kappa(a, b) == expected


def test_paragraph_f1_is_one_when_nobody_tagged_anything():
    assert paragraph_f1({"a": rec(), "b": rec()}) == 1.0


def test_different_texts_for_one_paragraph_are_an_error():
    other = rec("省委召开会议。")
    with pytest.raises(CorpusError, match="text differs"):
        by_paragraph({"alice": [ALICE], "bob": [other]})


def test_nothing_shared_is_an_error():
    with pytest.raises(CorpusError, match="annotated by two"):
        agreement({"alice": [ALICE], "bob": [rec(para=5)]})
