"""Hand-made docs and examples for the relation tests."""

import spacy
from spacy.tokens import Doc
from spacy.training import Example

from pipeline.corpus import Entity, Record, Relation
from pipeline.corpus.docs import record_to_doc

TEXT = "市直机关工委以“三航行动”为牵动,共举办活动18场。省交通运输厅投入86.34万元。"


def _doc(
    text=TEXT,
    spans=(
        ("ORG", "市直机关工委"),
        ("INITIATIVE", "三航行动"),
        ("OUTCOME", "18场"),
        ("ORG", "省交通运输厅"),
        ("OUTCOME", "86.34万元"),
    ),
):
    nlp = spacy.blank("zh")
    doc = nlp.make_doc(text)
    doc.ents = [doc.char_span(text.index(s), text.index(s) + len(s), label=lab) for lab, s in spans]
    return doc


def _train_examples(n_copies=8):
    rec = Record(
        TEXT,
        [
            Entity(1, "ORG", 0, 6),
            Entity(2, "INITIATIVE", 8, 12),
            Entity(3, "OUTCOME", 22, 25),
            Entity(4, "ORG", 26, 32),
            Entity(5, "OUTCOME", 34, 41),
        ],
        [Relation(1, 1, 2, "LAUNCHED"), Relation(2, 2, 3, "ACHIEVED"), Relation(3, 4, 5, "ACHIEVED")],
        meta={"doc_id": "t", "para": 0},
    )
    nlp = spacy.blank("zh")
    egs = []
    for _ in range(n_copies):
        ref, _ = record_to_doc(rec, nlp.make_doc)
        egs.append(Example(Doc(nlp.vocab, words=[t.text for t in ref], spaces=[bool(t.whitespace_) for t in ref]), ref))
    return nlp, egs, rec
