"""Confidence scores for the greedy NER.

spaCy's NER decodes greedily in C and keeps no probabilities; beam parses of a greedily trained
model give uncalibrated scores. This module replays the same greedy decoding in Python and keeps
the softmax probability of each chosen action (over the valid actions). A span's score is the
product of the probabilities of the actions that built it; a paragraph's confidence is its least
confident decision. The decoded entities are the same as the C decoder's (tested).
"""

from __future__ import annotations

from typing import Dict, List, Sequence, Tuple

import numpy
from spacy.tokens import Doc

SpanScores = Dict[Tuple[int, int, str], float]


def _softmax(row: numpy.ndarray) -> numpy.ndarray:
    e = numpy.exp(row - row.max())
    return e / e.sum()


def greedy_scores(ner, docs: Sequence[Doc]) -> Tuple[List[SpanScores], List[float]]:
    """For docs that have been through every component before `ner`: per doc, {(start, end,
    label): score} of the entities greedy decoding would predict, and the doc's confidence."""
    moves = ner.moves
    names = [moves.get_class_name(i) for i in range(moves.n_moves)]
    states = moves.init_batch(list(docs))
    model = ner.model.predict(list(docs))
    decisions: List[List[Tuple[int, str, float]]] = [[] for _ in docs]
    active = [(k, s) for k, s in enumerate(states) if not s.is_final()]
    while active:
        scores = model.predict([s for _, s in active])
        for (k, state), row in zip(active, scores):
            valid = numpy.array([moves.is_valid(state, n) for n in names])
            probs = _softmax(numpy.where(valid, row, -numpy.inf))
            best = int(probs.argmax())
            decisions[k].append((state.B(0), names[best], float(probs[best])))
            moves.apply_transition(state, names[best])
        active = [(k, s) for k, s in active if not s.is_final()]
    model.clear_memory()
    return [_spans(d) for d in decisions], [min((p for _, _, p in d), default=1.0) for d in decisions]


def _spans(decisions: List[Tuple[int, str, float]]) -> SpanScores:
    out: SpanScores = {}
    start, prob = None, 1.0
    for tok, name, p in decisions:
        action, _, label = name.partition("-")
        if action == "U":
            out[(tok, tok + 1, label)] = p
        elif action == "B":
            start, prob = tok, p
        elif action == "I" and start is not None:
            prob *= p
        elif action == "L" and start is not None:
            out[(start, tok + 1, label)] = prob * p
            start = None
    return out
