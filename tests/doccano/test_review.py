"""Which version is agreed, and the vote that pre-annotates a disputed paragraph (no server needed)."""

import pytest

from pipeline.corpus import Entity, Record, Relation, check_records
from pipeline.doccano.review import agreed, describe, review_record, vote

TEXT = "市直机关工委以“三航行动”为牵动,共举办活动18场。"  # 市直机关工委 [0,6), 三航行动 [8,12), 18场 [22,25)
FULL = [("ORG", 0, 6), ("INITIATIVE", 8, 12), ("OUTCOME", 22, 25)]


def rec(ents, rels=()):
    entities = [Entity(i, label, s, e) for i, (label, s, e) in enumerate(ents, 1)]
    relations = [Relation(i, h, t, label) for i, (h, t, label) in enumerate(rels, 1)]
    return Record(TEXT, entities, relations, meta={"doc_id": "d", "para": 0})


A = rec(FULL, [(1, 2, "LAUNCHED"), (2, 3, "ACHIEVED")])
A_REORDERED = rec([FULL[2], FULL[0], FULL[1]], [(2, 3, "LAUNCHED"), (3, 1, "ACHIEVED")])  # same, other ids
B = rec([("ORG", 0, 4), ("INITIATIVE", 8, 12), ("OUTCOME", 22, 25)], [(2, 3, "ACHIEVED")])


@pytest.mark.parametrize(
    "versions,accept,expected",
    [
        ([A, A_REORDERED], "all", A),
        ([A, B], "all", None),
        ([A, B], "majority", None),  # one of two is no majority
        ([A, B, A_REORDERED], "all", None),
        ([A, B, A_REORDERED], "majority", A),
        ([B], "all", B),  # a single annotator agrees with themselves
    ],
)
def test_agreed(versions, accept, expected):
    assert agreed(versions, accept) is expected


def test_majority_vote_of_two_keeps_what_both_say():
    voted = vote([A, B], "majority")
    check_records([voted])
    assert [(e.label, e.start, e.end) for e in voted.entities] == [("INITIATIVE", 8, 12), ("OUTCOME", 22, 25)]
    assert [(r.label, r.head, r.tail) for r in voted.relations] == [("ACHIEVED", 1, 2)]


def test_union_resolves_overlaps_by_votes_then_length():
    voted = vote([A, B, B], "union")  # ORG [0,4) has 2 votes, ORG [0,6) one: they overlap
    check_records([voted])
    assert [(e.start, e.end) for e in voted.entities] == [(0, 4), (8, 12), (22, 25)]
    assert {r.label for r in voted.relations} == {"ACHIEVED"}  # LAUNCHED hung on the dropped ORG
    voted = vote([A, B], "union")  # a tie: the longer span wins, and its relation comes along
    assert [(e.start, e.end) for e in voted.entities][0] == (0, 6)
    assert {r.label for r in voted.relations} == {"LAUNCHED", "ACHIEVED"}


def test_the_review_example_shows_every_version():
    out = review_record("team", {"bob": B, "alice": A}, "majority")
    assert out.meta["review_of"] == "team"
    assert out.meta["review_1"].startswith("alice: ORG 市直机关工委 [0,6) · INITIATIVE 三航行动 [8,12)")
    assert "LAUNCHED 市直机关工委→三航行动" in out.meta["review_1"]
    assert out.meta["review_2"].startswith("bob: ORG 市直机关 [0,4)")
    assert describe("carol", rec([])) == "carol: (nothing tagged)"
