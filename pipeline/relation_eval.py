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
from .relations import candidate_pairs, pair_features, sentence_ids
from .schema import RELATION_TYPES

RelScores = Dict[str, Dict[str, float]]
REL_NAME = "dangjian_relation_extractor"


def _pre_relation_docs(nlp: Language, records: Sequence[Record], gold_entities: bool) -> List[Doc]:
    """Docs through every component before the relation extractor; with `gold_entities` the
    entity components are skipped and the gold entities are set instead."""
    names = nlp.pipe_names
    before = names[: names.index(REL_NAME)] if REL_NAME in names else names
    skip = {"ner", "dangjian_outcome_ruler"} if gold_entities else set()
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


def _pair_rows(rec: Record, doc: Doc) -> List[Tuple[Entity, Entity, numpy.ndarray, str]]:
    """(head, tail, features, text between) for every candidate pair of a record."""
    spans = {}
    for e in rec.entities:
        s = doc.char_span(e.start, e.end, label=e.label, alignment_mode="expand")
        if s is not None:
            spans[e.id] = s
    by_start = {s.start: e for e in rec.entities for s in [spans.get(e.id)] if s is not None}
    ents = [spans[e.id] for e in rec.entities if e.id in spans]
    rows = []
    for h, t in candidate_pairs(doc, ents):
        first, second = (h, t) if h.start < t.start else (t, h)
        between = doc.text[first.end_char:second.start_char]
        rows.append((by_start[h.start], by_start[t.start], pair_features(ents, h, t), between))
    return rows


class LogRegBaseline:
    """Logistic regression over pair features and the characters between the two entities."""

    def __init__(self, tokenize: Callable[[str], Doc]):
        from sklearn.feature_extraction.text import HashingVectorizer
        from sklearn.linear_model import LogisticRegression

        self.tokenize = tokenize
        self.vectorizer = HashingVectorizer(analyzer="char", ngram_range=(1, 2), n_features=2**14, alternate_sign=False, norm="l2")
        self.model = LogisticRegression(max_iter=2000, C=1.0)

    def _matrix(self, rows) -> numpy.ndarray:
        from scipy.sparse import csr_matrix, hstack

        feats = csr_matrix(numpy.vstack([r[2] for r in rows]))
        return hstack([feats, self.vectorizer.transform([r[3] for r in rows])]).tocsr()

    def fit(self, records: Sequence[Record]) -> "LogRegBaseline":
        rows, y = [], []
        for rec in records:
            gold = {(r.head, r.tail) for r in rec.relations}
            for h, t, f, between in _pair_rows(rec, self.tokenize(rec.text)):
                rows.append((h, t, f, between))
                y.append(int((h.id, t.id) in gold))
        self.model.fit(self._matrix(rows), y)
        return self

    def predict(self, rec: Record, threshold: float = 0.5) -> Record:
        rows = _pair_rows(rec, self.tokenize(rec.text))
        if not rows:
            return with_relations(rec, [])
        probs = self.model.predict_proba(self._matrix(rows))[:, 1]
        from .schema import allowed_relations

        pairs = [(h, t, allowed_relations(h.label, t.label)[0]) for (h, t, _, _), p in zip(rows, probs) if p >= threshold]
        return with_relations(rec, pairs)
