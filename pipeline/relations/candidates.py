"""Candidate pairs (entity pairs inside one sentence whose labels the guideline allows), their pair
features, and the decoding of scored pairs into relations."""

from __future__ import annotations

from typing import Callable, Collection, Dict, Hashable, List, Optional, Sequence, Tuple, TypeVar

import numpy
from spacy.tokens import Doc, Span

from ..schema import INITIATIVE, OUTCOME, SENTENCE_END, allowed_relations
from .cues import context_features

Pair = Tuple[Span, Span]
PairRow = Tuple[Span, Span, numpy.ndarray, List[str]]
H = TypeVar("H")
T = TypeVar("T")
_SENT_END_CHARS = frozenset(SENTENCE_END)
DIST_BUCKETS = (0, 1, 2, 4, 8, 16, 32)
# At most this many entities between the two spans of a candidate pair: keeps the candidates of a
# sentence that never ends linear in its entities (every candidate pair of the gold corpus is within).
MAX_ENTITIES_BETWEEN = 20
N_FEATS = len(DIST_BUCKETS) + 1 + 4 + 2 + 3


def sentence_ids(doc: Doc) -> List[int]:
    """Sentence number of every token: a sentence ends after a token that ends with 。！？； (or
    their ASCII forms). Computed from the token array, without rebuilding doc.text."""
    if not len(doc):
        return []
    strings = doc.vocab.strings
    orths = doc.to_array("ORTH").tolist()
    is_end = numpy.array([strings[o][-1:] in _SENT_END_CHARS for o in orths], dtype="int32")
    return (numpy.cumsum(is_end) - is_end).tolist()


def candidate_pairs(
    doc: Doc, ents: Optional[Sequence[Span]] = None, sent: Optional[Sequence[int]] = None
) -> List[Pair]:
    """Ordered (head, tail) pairs in one sentence, at most MAX_ENTITIES_BETWEEN entities apart,
    whose labels allow a relation."""
    ents = sorted(doc.ents if ents is None else ents, key=lambda e: e.start)
    if len(ents) < 2:
        return []
    sent = sentence_ids(doc) if sent is None else sent
    reach = MAX_ENTITIES_BETWEEN + 1
    return [
        (h, t)
        for i, h in enumerate(ents)
        for t in ents[max(0, i - reach) : i + reach + 1]
        if h.start != t.start and allowed_relations(h.label_, t.label_) and sent[h.start] == sent[t.start]
    ]


def pair_features(ents: Sequence[Span], head: Span, tail: Span) -> numpy.ndarray:
    """Distance bucket, order, entities in between, and whether head is the nearest of its label."""
    f = numpy.zeros(N_FEATS, dtype="float32")
    first, second = (head, tail) if head.start < tail.start else (tail, head)
    gap = max(0, second.start - first.end)
    f[sum(1 for b in DIST_BUCKETS if gap >= b) - 1] = 1.0
    k = len(DIST_BUCKETS)
    f[k] = 1.0 if head.start < tail.start else 0.0
    between = [e for e in ents if first.end <= e.start and e.end <= second.start]
    f[k + 1 + min(len(between), 3)] = 1.0
    f[k + 5] = 1.0 if not any(e.label_ == head.label_ for e in between) else 0.0
    f[k + 6] = 1.0 if not any(e.label_ == tail.label_ for e in between) else 0.0
    f[k + 7 + int(head.label_ == INITIATIVE)] = 1.0
    f[k + 9] = 1.0 if tail.label_ == OUTCOME else 0.0
    return f


def pair_rows(
    doc: Doc, ents: Optional[Sequence[Span]] = None, cues: bool = True, cue_words: Optional[Sequence[str]] = None
) -> List[PairRow]:
    """(head, tail, pair features, cue strings) for every candidate pair of a doc, over `ents`
    (default doc.ents, in order); the cue strings (cues.py) only with `cues`."""
    ents = list(doc.ents if ents is None else ents)
    if len(ents) < 2:
        return []
    sent = sentence_ids(doc)
    pairs = candidate_pairs(doc, ents, sent)
    text = doc.text if pairs and cues else ""  # spaCy rebuilds doc.text on every access
    return [
        (h, t, pair_features(ents, h, t), context_features(doc, sent, ents, h, t, text, cue_words) if cues else [])
        for h, t in pairs
    ]


def decode(
    rows: Sequence[Tuple[H, T, str, float]],
    threshold: float,
    single_head: Collection[str],
    tail_key: Callable[[T], Hashable] = lambda t: t,
) -> List[Tuple[H, T, str, float]]:
    """The scored (head, tail, label, probability) rows kept as relations: those at or above
    `threshold`, and for labels in `single_head` only the best-scoring head of each tail."""
    best: Dict[Tuple[str, Hashable], float] = {}
    for _, t, label, p in rows:
        if label in single_head:
            key = (label, tail_key(t))
            best[key] = max(best.get(key, 0.0), p)
    return [
        (h, t, label, p)
        for h, t, label, p in rows
        if p >= threshold and (label not in single_head or p >= best[(label, tail_key(t))])
    ]
