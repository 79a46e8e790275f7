"""Per-label span and relation P/R/F (exact match) of predicted records against gold records."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Dict, Hashable, List, Sequence, Set, Tuple

from spacy.language import Language
from spacy.scorer import PRFScore

from ..corpus.records import Record
from ..inference import tag_texts
from ..schema import ENTITY_LABELS, RELATION_TYPES

SpanKey = Tuple[int, int, int, str]  # record index, start, end, label
RelKey = Tuple[int, Tuple[int, int], Tuple[int, int], str]  # record index, head span, tail span, label
Scores = Dict[str, Dict[str, float]]


def prf(tp: int, fp: int, fn: int) -> Dict[str, float]:
    """Precision, recall and F1 (rounded to 4 places) with the counts they come from."""
    s = PRFScore(tp=tp, fp=fp, fn=fn)
    return {"p": round(s.precision, 4), "r": round(s.recall, 4), "f": round(s.fscore, 4), "tp": tp, "fp": fp, "fn": fn}


def entity_keys(records: Sequence[Record]) -> Set[SpanKey]:
    return {(i, e.start, e.end, e.label) for i, r in enumerate(records) for e in r.entities}


def relation_heads(records: Sequence[Record]) -> Dict[RelKey, str]:
    """Every relation of the records by its key, with the label of its head span."""
    out = {}
    for i, r in enumerate(records):
        by_id = {e.id: e for e in r.entities}
        for rel in r.relations:
            h, t = by_id[rel.head], by_id[rel.tail]
            out[(i, (h.start, h.end), (t.start, t.end), rel.label)] = h.label
    return out


def relation_keys(records: Sequence[Record]) -> Set[RelKey]:
    return set(relation_heads(records))


def score_sets(
    gold: Set, pred: Set, labels: Sequence[str], label_of: Callable[[Hashable], str] = lambda k: k[-1]
) -> Scores:
    """Per-label and micro P/R/F of exact-match keys."""
    out = {}
    for label in labels:
        g = {k for k in gold if label_of(k) == label}
        p = {k for k in pred if label_of(k) == label}
        out[label] = prf(len(g & p), len(p - g), len(g - p))
    out["micro"] = prf(len(gold & pred), len(pred - gold), len(gold - pred))
    return out


def format_scores(scores: Scores) -> str:
    """A table of P/R/F per label, one line a label."""
    lines = [f"{'':<12}{'P':>7}{'R':>7}{'F':>7}{'gold':>7}"]
    for label, s in scores.items():
        lines.append(f"{label:<12}{s['p']:>7.3f}{s['r']:>7.3f}{s['f']:>7.3f}{s['tp'] + s['fn']:>7}")
    return "\n".join(lines)


def predict_records(nlp: Language, records: Sequence[Record], batch_size: int = 64) -> List[Record]:
    """What users get for the records' texts (the inference path `tag_many` runs), as records with
    the records' meta."""
    results = tag_texts(nlp, (r.text for r in records), batch_size)
    return [result.to_record(rec.meta) for rec, result in zip(records, results)]


@dataclass
class Evaluation:
    entities: Scores
    relations: Dict[str, Scores] = field(default_factory=dict)
    n_records: int = 0

    def to_dict(self) -> Dict[str, object]:
        return {"n_records": self.n_records, "entities": self.entities, "relations": self.relations}


def evaluate_records(gold: Sequence[Record], pred: Sequence[Record]) -> Evaluation:
    """Entity scores, and relation scores end to end (a relation counts only if both spans match)."""
    ev = Evaluation(entities=score_sets(entity_keys(gold), entity_keys(pred), ENTITY_LABELS), n_records=len(gold))
    if any(r.relations for r in gold) or any(r.relations for r in pred):
        ev.relations["end_to_end"] = score_sets(relation_keys(gold), relation_keys(pred), list(RELATION_TYPES))
    return ev
