"""dangjian_ner: spaCy's NER whose decoding keeps each decision's probability."""

from __future__ import annotations

import numpy
import pytest
from spacy.pipeline.ner import EntityRecognizer

from pipeline.components.scored_ner import _MoveRules, _TokenFacts


def _pre_ner_docs(nlp, texts):
    names = nlp.pipe_names
    return list(nlp.pipe(texts, disable=names[names.index("ner") :]))


@pytest.mark.slow
def test_entities_are_those_of_spacys_own_decoder(default_model, gold_records):
    import pipeline

    nlp = pipeline.load(default_model)
    ner = nlp.get_pipe("ner")
    docs = _pre_ner_docs(nlp, [r.text for r in gold_records])
    ours, theirs = [d.copy() for d in docs], [d.copy() for d in docs]
    ner.set_annotations(ours, ner.predict(ours))
    EntityRecognizer.set_annotations(ner, theirs, EntityRecognizer.predict(ner, theirs))
    assert [[(e.start, e.end, e.label_) for e in d.ents] for d in ours] == [
        [(e.start, e.end, e.label_) for e in d.ents] for d in theirs
    ]
    scores = [e._.score for d in ours for e in d.ents]
    assert scores and all(0.0 < s <= 1.0 for s in scores)
    assert all(0.0 < d._.confidence <= 1.0 for d in ours)
    # a one-token entity is one decision: never less sure than the doc's least sure decision
    assert all(e._.score >= d._.confidence for d in ours for e in d.ents if len(e) == 1)


@pytest.mark.slow
def test_valid_moves_are_spacys(tiny_nlp, gold_records):
    """The BILUO rules as arrays allow exactly the moves spaCy's is_valid allows, in every state
    the decoder passes through on the corpus's paragraphs (and after a few invalid-looking turns)."""
    ner = tiny_nlp.get_pipe("ner")
    moves = ner.moves
    names = [moves.get_class_name(i) for i in range(moves.n_moves)]
    rules = _MoveRules(names)
    rng = numpy.random.default_rng(0)
    docs = _pre_ner_docs(tiny_nlp, [r.text for r in gold_records[:150]] + ["市委 开展 活动", " ", "党建"])
    checked = 0
    for k, doc in enumerate(docs):
        facts = _TokenFacts([doc])
        state = moves.init_batch([doc])[0]
        position, open_label = 0, -1
        while not state.is_final():
            spacy_valid = numpy.array([bool(moves.is_valid(state, n)) for n in names])
            last, starts, space = facts.at(numpy.array([0]), numpy.array([position]))
            ours = rules.valid(numpy.array([open_label]), last, starts, space)[0]
            assert (ours == spacy_valid).all(), (k, position, names)
            action = int(rng.choice(numpy.flatnonzero(spacy_valid)))  # any valid path, not only the model's
            open_label = int(rules.open_after[action, max(open_label, 0)])
            moves.apply_transition(state, names[action])
            position += 1
            checked += 1
    assert checked > 5000
