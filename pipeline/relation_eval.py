"""Relation evaluation (gold entities and end to end), threshold tuning, and the baselines the
learned component must beat: a nearest-actor rule and logistic regression over pair features."""
from __future__ import annotations

from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy
from spacy.language import Language
from spacy.tokens import Doc

from .corpus import Entity, Record, Relation
from .docs import doc_to_record
from .evaluate import relation_keys, score_sets
from .relations import pair_rows, sentence_ids
from .schema import RELATION_TYPES

RelScores = Dict[str, Dict[str, float]]
REL_NAME = "dangjian_relation_extractor"


def _pre_relation_docs(nlp: Language, records: Sequence[Record], gold_entities: bool) -> List[Doc]:
    """Docs through every component before the relation extractor; with `gold_entities` the
    entity components are skipped and the gold entities are set instead."""
    names = nlp.pipe_names
    before = names[: names.index(REL_NAME)] if REL_NAME in names else names
    skip = {n for n in before if "doc.ents" in nlp.get_pipe_meta(n).assigns} if gold_entities else set()
    docs = []
    for rec, doc in zip(records, nlp.pipe((r.text for r in records), disable=[n for n in names if n not in before or n in skip])):
        if gold_entities:
            spans = [doc.char_span(e.start, e.end, label=e.label, alignment_mode="expand") for e in rec.entities]
            doc.ents = [s for s in spans if s is not None]
        doc._.meta = dict(rec.meta)
        docs.append(doc)
    return docs


def relation_scores(nlp: Language, records: Sequence[Record], gold_entities: bool) -> Tuple[List[Doc], numpy.ndarray]:
    """Docs (entities set) and the extractor's raw scores for all their candidate pairs."""
    docs = _pre_relation_docs(nlp, records, gold_entities)
    rel = nlp.get_pipe(REL_NAME)
    scores = rel.model.ops.to_numpy(rel.predict(docs)) if docs else numpy.zeros((0, len(rel.labels)))
    return docs, scores


def records_at(nlp: Language, docs: Sequence[Doc], scores: numpy.ndarray, threshold: float) -> List[Record]:
    """Records with the relations the extractor asserts at `threshold`."""
    rel = nlp.get_pipe(REL_NAME)
    old = rel.threshold
    rel.threshold = threshold
    try:
        rel.set_annotations(docs, scores)
        return [doc_to_record(d, threshold=threshold) for d in docs]
    finally:
        rel.threshold = old


def evaluate_relations(gold: Sequence[Record], pred: Sequence[Record]) -> RelScores:
    return score_sets(relation_keys(gold), relation_keys(pred), list(RELATION_TYPES))


def reachable(gold: Sequence[Record], pred: Sequence[Record]) -> Tuple[int, int]:
    """(gold relations whose head and tail spans were both predicted exactly, all gold relations):
    the recall an end-to-end relation extractor could reach on these entities."""
    found = {(i, e.start, e.end, e.label) for i, r in enumerate(pred) for e in r.entities}
    ok = total = 0
    for i, rec in enumerate(gold):
        by_id = {e.id: e for e in rec.entities}
        for rel in rec.relations:
            h, t = by_id[rel.head], by_id[rel.tail]
            total += 1
            ok += (i, h.start, h.end, h.label) in found and (i, t.start, t.end, t.label) in found
    return ok, total


def tune_threshold(nlp: Language, dev: Sequence[Record], grid: Optional[Sequence[float]] = None) -> Tuple[float, float]:
    """The threshold with the best end-to-end relation F1 on dev: (threshold, F1)."""
    grid = grid or [round(x, 2) for x in numpy.arange(0.05, 0.96, 0.05)]
    docs, scores = relation_scores(nlp, dev, gold_entities=False)
    results = [(evaluate_relations(dev, records_at(nlp, docs, scores, t))["micro"]["f"], t) for t in grid]
    best_f, best_t = max(results, key=lambda x: (x[0], -abs(x[1] - 0.5)))
    return best_t, best_f


# ---------------------------------------------------------------- baselines


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
        if e.label == "INITIATIVE":
            orgs = [x for x in before if x.label == "ORG"]
            if orgs:
                pairs.append((orgs[-1], e, "LAUNCHED"))
        elif e.label == "OUTCOME":
            inis = [x for x in before if x.label == "INITIATIVE"]
            orgs = [x for x in before if x.label == "ORG"]
            if inis or orgs:
                pairs.append(((inis or orgs)[-1], e, "ACHIEVED"))
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
    component's wide path reads (pipeline/relation_features.py), with the same single-head
    decoding for ACHIEVED."""

    def __init__(self, tokenize: Callable[[str], Doc], single_head: Sequence[str] = ("ACHIEVED",)):
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
        from .schema import allowed_relations

        rows = _pair_rows(rec, self.tokenize(rec.text))
        if not rows:
            return with_relations(rec, [])
        probs = self.model.predict_proba(self._matrix(rows))[:, 1]
        labelled = [(h, t, allowed_relations(h.label, t.label)[0], p) for (h, t, _, _), p in zip(rows, probs)]
        best: Dict[Tuple[str, int], float] = {}
        for h, t, label, p in labelled:
            if label in self.single_head:
                best[(label, t.id)] = max(best.get((label, t.id), 0.0), p)
        pairs = [(h, t, label) for h, t, label, p in labelled if p >= threshold and (label not in self.single_head or p >= best[(label, t.id)])]
        return with_relations(rec, pairs)
