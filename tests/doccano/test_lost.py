"""Relations a redrawn span took with it: found, described, restored (no server needed)."""

import pytest

from pipeline.corpus import Entity, Record, Relation
from pipeline.doccano.lost import decode, encode, lost_relations, restore

TEXT = "市直机关工委共举办“爱心扶贫大集市”18场。"  # 市直机关工委 [0,6), 爱心扶贫大集市 [10,17), 18场 [18,21)
ORG, INI, OUT = ("ORG", 0, 6), ("INITIATIVE", 10, 17), ("OUTCOME", 18, 21)


def rec(ents, rels=()):
    entities = [Entity(i, label, s, e) for i, (label, s, e) in enumerate(ents, 1)]
    return Record(
        TEXT, entities, [Relation(i, h, t, lab) for i, (h, t, lab) in enumerate(rels, 1)], {"doc_id": "d", "para": 0}
    )


SUGGESTED = rec([ORG, INI, OUT], [(1, 3, "ACHIEVED"), (2, 3, "ACHIEVED")])


def test_the_suggestion_line_reads_well_and_decodes():
    line = encode(SUGGESTED)
    assert line.startswith(
        "ACHIEVED: ORG 市直机关工委 [0,6) → OUTCOME 18场 [18,21); ACHIEVED: INITIATIVE 爱心扶贫大集市"
    )
    assert [(s.label, s.head, s.tail) for s in decode(line)] == [
        ("ACHIEVED", (0, 6, "ORG"), (18, 21, "OUTCOME")),
        ("ACHIEVED", (10, 17, "INITIATIVE"), (18, 21, "OUTCOME")),
    ]
    assert decode(None) == [] and decode("anything else") == []


@pytest.mark.parametrize(
    "version,lost",
    [
        # 爱心扶贫大集市 redrawn as 扶贫大集市: its relation went with it
        (
            rec([ORG, ("INITIATIVE", 12, 17), OUT], [(1, 3, "ACHIEVED")]),
            [((12, 17, "INITIATIVE"), (18, 21, "OUTCOME"))],
        ),
        # redrawn, and the relation drawn again: nothing lost
        (rec([ORG, ("INITIATIVE", 12, 17), OUT], [(1, 3, "ACHIEVED"), (2, 3, "ACHIEVED")]), []),
        # the span deleted outright: removed on purpose
        (rec([ORG, OUT], [(1, 2, "ACHIEVED")]), []),
        # both spans kept, the relation deleted: removed on purpose
        (rec([ORG, INI, OUT], [(1, 3, "ACHIEVED")]), []),
        # the OUTCOME redrawn (18场 -> 8场): both relations that ended there are gone
        (
            rec([ORG, INI, ("OUTCOME", 19, 21)]),
            [((0, 6, "ORG"), (19, 21, "OUTCOME")), ((10, 17, "INITIATIVE"), (19, 21, "OUTCOME"))],
        ),
        # redrawn with another label: not a redraw of the same span
        (rec([ORG, ("ORG", 12, 17), OUT], [(1, 3, "ACHIEVED")]), []),
    ],
)
def test_lost_relations(version, lost):
    found = lost_relations(version, decode(encode(SUGGESTED)))
    assert [(item.head, item.tail) for item in found] == lost


def test_restore_joins_the_redrawn_spans_and_says_what_happened():
    version = rec([ORG, ("INITIATIVE", 12, 17), OUT], [(1, 3, "ACHIEVED")])
    (item,) = lost_relations(version, decode(encode(SUGGESTED)))
    assert (
        item.describe(TEXT)
        == "ACHIEVED 扶贫大集市→18场 (lost when 爱心扶贫大集市 [10,17) was redrawn as 扶贫大集市 [12,17))"
    )
    restored, done = restore(version, [item])
    assert done == [item]
    assert {(restored.span_text(restored.entity(r.head)), r.label) for r in restored.relations} == {
        ("市直机关工委", "ACHIEVED"),
        ("扶贫大集市", "ACHIEVED"),
    }
    assert restore(rec([ORG, OUT]), [item]) == (rec([ORG, OUT]), [])  # its spans are not there


def test_every_import_row_has_the_same_keys_so_one_file_keeps_push_order():
    """Doccano needs one meta key set per upload file; rows with and without suggested relations
    must share it, or the queue is ordered by key set instead of least confident first."""
    from pipeline.corpus import Entity, Record, Relation
    from pipeline.doccano.transfer import import_rows

    with_rel = Record(
        "省委开展三航行动。",
        [Entity(1, "ORG", 0, 2), Entity(2, "INITIATIVE", 4, 8)],
        [Relation(1, 1, 2, "LAUNCHED")],
        {"doc_id": "d", "para": 0},
    )
    without = Record("省委召开会议。", [Entity(1, "ORG", 0, 2)], [], {"doc_id": "d", "para": 1})
    rows = import_rows([with_rel, without], [0.4, 0.9])
    assert set(rows[0]) == set(rows[1]) and rows[1]["suggested_relations"] == ""
