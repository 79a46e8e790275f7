"""Candidate pairs and their pair features."""

import pytest

from pipeline.relations.candidates import N_FEATS, candidate_pairs, pair_features, sentence_ids

from .conftest import TEXT, _doc


def test_sentence_ids_split_at_sentence_ends():
    doc = _doc()
    ids = sentence_ids(doc)
    assert ids[0] == 0 and ids[-1] == 1 and ids[TEXT.index("省")] == 1


def test_candidates_obey_types_and_sentences():
    pairs = {(h.text, t.text) for h, t in candidate_pairs(_doc())}
    assert pairs == {
        ("市直机关工委", "三航行动"),  # LAUNCHED: ORG -> INITIATIVE
        ("市直机关工委", "18场"),
        ("三航行动", "18场"),  # ACHIEVED: ORG/INITIATIVE -> OUTCOME
        ("省交通运输厅", "86.34万元"),
    }  # nothing across the sentence end, nothing from OUTCOME or towards ORG


@pytest.mark.parametrize("head,tail,nearest_head", [("三航行动", "18场", 1.0), ("市直机关工委", "18场", 1.0)])
def test_pair_features(head, tail, nearest_head):
    doc = _doc()
    ents = {e.text: e for e in doc.ents}
    f = pair_features(list(doc.ents), ents[head], ents[tail])
    assert f.shape == (N_FEATS,) and f[7] == 1.0  # head before tail
    assert f[12] == nearest_head  # no other entity of the head's label in between


@pytest.mark.parametrize("repeats", [5, 40])
def test_candidates_of_a_sentence_that_never_ends_are_bounded(repeats):
    """Every allowed pair at most MAX_ENTITIES_BETWEEN entities apart, and no other: linear in the entities."""
    from pipeline.relations.candidates import MAX_ENTITIES_BETWEEN
    from pipeline.schema import allowed_relations

    unit = [("ORG", "市直机关工委"), ("INITIATIVE", "三航行动"), ("OUTCOME", "18场")]
    text = "".join(s for _, s in unit) * repeats
    doc = _doc(text, ())
    width = len(text) // repeats
    spans = []
    for r in range(repeats):
        offset = r * width
        for label, surface in unit:
            start = offset + text.index(surface)
            spans.append(doc.char_span(start, start + len(surface), label=label))
    doc.ents = spans
    ents = list(doc.ents)
    index = {e.start: i for i, e in enumerate(ents)}
    pairs = {(index[h.start], index[t.start]) for h, t in candidate_pairs(doc)}
    expected = {
        (i, j)
        for i, h in enumerate(ents)
        for j, t in enumerate(ents)
        if i != j and abs(i - j) - 1 <= MAX_ENTITIES_BETWEEN and allowed_relations(h.label_, t.label_)
    }
    assert pairs == expected
    assert len(pairs) <= (MAX_ENTITIES_BETWEEN + 1) * len(ents)
