"""Baselines the learned relation extractor must beat: a nearest-actor rule, and logistic regression
over the same pair features and cues, with the same single-head decoding."""

from __future__ import annotations

from typing import Callable, List, Sequence, Tuple

import numpy
from spacy.tokens import Doc

from ..corpus.records import Entity, Record, Relation
from ..relations.candidates import decode, pair_rows, sentence_ids
from ..schema import ACHIEVED, INITIATIVE, LAUNCHED, ORG, OUTCOME, allowed_relations


def with_relations(rec: Record, pairs: Sequence[Tuple[Entity, Entity, str]]) -> Record:
    rels = [Relation(i, h.id, t.id, label) for i, (h, t, label) in enumerate(pairs, 1)]
    return Record(rec.text, list(rec.entities), rels, dict(rec.meta))


def nearest_actor(rec: Record, tokenize: Callable[[str], Doc]) -> Record:
    """Rule baseline: an INITIATIVE is LAUNCHED by the nearest ORG before it in the sentence; an
    OUTCOME is ACHIEVED by the nearest INITIATIVE before it in the sentence, else the nearest ORG."""
    doc = tokenize(rec.text)
    sent = sentence_ids(doc)

    def sid(e: Entity) -> int:
        span = doc.char_span(e.start, e.end, alignment_mode="expand")
        return sent[span.start] if span is not None and len(span) else -1

    ents = sorted(rec.entities, key=lambda e: e.start)
    pairs = []
    for e in ents:
        before = [x for x in ents if x.end <= e.start and sid(x) == sid(e)]
        if e.label == INITIATIVE:
            orgs = [x for x in before if x.label == ORG]
            if orgs:
                pairs.append((orgs[-1], e, LAUNCHED))
        elif e.label == OUTCOME:
            inis = [x for x in before if x.label == INITIATIVE]
            orgs = [x for x in before if x.label == ORG]
            if inis or orgs:
                pairs.append(((inis or orgs)[-1], e, ACHIEVED))
    return with_relations(rec, pairs)


def _pair_rows(rec: Record, doc: Doc) -> List[Tuple[Entity, Entity, numpy.ndarray, List[str]]]:
    """(head, tail, pair features, cue strings) for every candidate pair of a record."""
    spans = {}
    for e in rec.entities:
        s = doc.char_span(e.start, e.end, label=e.label, alignment_mode="expand")
        if s is not None:
            spans[e.id] = s
    by_start = {s.start: e for e in rec.entities for s in [spans.get(e.id)] if s is not None}
    ents = sorted((spans[e.id] for e in rec.entities if e.id in spans), key=lambda s: s.start)
    return [(by_start[h.start], by_start[t.start], feats, cues) for h, t, feats, cues in pair_rows(doc, ents)]


class LogRegBaseline:
    """Logistic regression over the pair features and the lexical / structural cues the learned
    component's wide path reads (pipeline/relations/cues.py), with the same single-head
    decoding for ACHIEVED."""

    def __init__(self, tokenize: Callable[[str], Doc], single_head: Sequence[str] = (ACHIEVED,)):
        from sklearn.feature_extraction import FeatureHasher
        from sklearn.linear_model import LogisticRegression

        self.tokenize = tokenize
        self.single_head = set(single_head)
        self.hasher = FeatureHasher(n_features=2**14, input_type="string", alternate_sign=False)
        self.model = LogisticRegression(max_iter=3000, C=1.0)

    def _matrix(self, rows):
        from scipy.sparse import csr_matrix, hstack

        feats = csr_matrix(numpy.vstack([r[2] for r in rows]))
        return hstack([feats, self.hasher.transform([r[3] for r in rows])]).tocsr()

    def fit(self, records: Sequence[Record]) -> "LogRegBaseline":
        rows, y = [], []
        for rec in records:
            gold = {(r.head, r.tail) for r in rec.relations}
            for row in _pair_rows(rec, self.tokenize(rec.text)):
                rows.append(row)
                y.append(int((row[0].id, row[1].id) in gold))
        self.model.fit(self._matrix(rows), y)
        return self

    def predict(self, rec: Record, threshold: float = 0.5) -> Record:
        rows = _pair_rows(rec, self.tokenize(rec.text))
        if not rows:
            return with_relations(rec, [])
        probs = self.model.predict_proba(self._matrix(rows))[:, 1]
        labelled = [(h, t, allowed_relations(h.label, t.label)[0], p) for (h, t, _, _), p in zip(rows, probs)]
        kept = decode(labelled, threshold, self.single_head, tail_key=lambda t: t.id)
        return with_relations(rec, [(h, t, label) for h, t, label, _ in kept])
