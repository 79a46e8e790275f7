"""Relation scoring with gold entities: the entities are the gold spans exactly."""

import pytest

from pipeline.corpus.records import Entity, Record
from pipeline.evaluation.relations import relation_scores


@pytest.mark.slow
def test_gold_entities_inside_a_token_keep_their_exact_edges(tiny_nlp):
    text = "市直机关工委开展三航行动举办活动18场。"
    entities = [Entity(1, "ORG", 2, 6), Entity(2, "INITIATIVE", 8, 12), Entity(3, "OUTCOME", 16, 19)]
    doc = tiny_nlp.make_doc(text)
    assert any(doc.char_span(e.start, e.end) is None for e in entities)  # pkuseg cuts across one
    tagged, _ = relation_scores(tiny_nlp, [Record(text, entities)], gold_entities=True)
    ents = tagged[0].pieces[0].doc.ents
    assert [(e.start_char, e.end_char, e.label_) for e in ents] == [(e.start, e.end, e.label) for e in entities]
