"""Evaluate a pipeline on gold records: per-label span P/R/F (exact match), as JSON and as a
scikit-learn classification report, plus a displaCy rendering of the predictions."""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Sequence, Set, Tuple

from spacy.language import Language

from .corpus import Record
from .docs import doc_to_record
from .schema import ENTITY_LABELS, RELATION_TYPES

SpanKey = Tuple[int, int, int, str]  # record index, start, end, label
RelKey = Tuple[int, Tuple[int, int], Tuple[int, int], str]  # record index, head span, tail span, label


def prf(tp: int, fp: int, fn: int) -> Dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f": round(f, 4), "tp": tp, "fp": fp, "fn": fn}


def entity_keys(records: Sequence[Record]) -> Set[SpanKey]:
    return {(i, e.start, e.end, e.label) for i, r in enumerate(records) for e in r.entities}


def relation_keys(records: Sequence[Record]) -> Set[RelKey]:
    keys = set()
    for i, r in enumerate(records):
        by_id = {e.id: e for e in r.entities}
        for rel in r.relations:
            h, t = by_id[rel.head], by_id[rel.tail]
            keys.add((i, (h.start, h.end), (t.start, t.end), rel.label))
    return keys


def score_sets(gold: Set, pred: Set, labels: Sequence[str], label_of=lambda k: k[-1]) -> Dict[str, Dict[str, float]]:
    """Per-label and micro P/R/F of exact-match keys."""
    out = {}
    for label in labels:
        g = {k for k in gold if label_of(k) == label}
        p = {k for k in pred if label_of(k) == label}
        out[label] = prf(len(g & p), len(p - g), len(g - p))
    out["micro"] = prf(len(gold & pred), len(pred - gold), len(gold - pred))
    return out


def sklearn_report(gold: Set[SpanKey], pred: Set[SpanKey]) -> str:
    """scikit-learn's report over the union of gold and predicted spans (a missed span is 'O')."""
    from sklearn.metrics import classification_report

    gold_label = {k[:3]: k[3] for k in gold}
    pred_label = {k[:3]: k[3] for k in pred}
    spans = sorted(set(gold_label) | set(pred_label))
    y_true = [gold_label.get(s, "O") for s in spans]
    y_pred = [pred_label.get(s, "O") for s in spans]
    return classification_report(y_true, y_pred, labels=list(ENTITY_LABELS), digits=3, zero_division=0)


def predict_records(nlp: Language, records: Sequence[Record], batch_size: int = 64) -> List[Record]:
    """Run the pipeline on the records' texts; keep their meta."""
    preds = []
    for rec, doc in zip(records, nlp.pipe((r.text for r in records), batch_size=batch_size)):
        out = doc_to_record(doc)
        out.meta = dict(rec.meta)
        preds.append(out)
    return preds


@dataclass
class Evaluation:
    entities: Dict[str, Dict[str, float]]
    relations: Dict[str, Dict[str, Dict[str, float]]] = field(default_factory=dict)
    report: str = ""
    n_records: int = 0

    def to_dict(self) -> Dict[str, object]:
        return {"n_records": self.n_records, "entities": self.entities, "relations": self.relations}


def evaluate_records(gold: Sequence[Record], pred: Sequence[Record]) -> Evaluation:
    """Entity scores, and relation scores end to end (a relation counts only if both spans match)."""
    g, p = entity_keys(gold), entity_keys(pred)
    ev = Evaluation(entities=score_sets(g, p, ENTITY_LABELS), report=sklearn_report(g, p), n_records=len(gold))
    if any(r.relations for r in gold) or any(r.relations for r in pred):
        ev.relations["end_to_end"] = score_sets(relation_keys(gold), relation_keys(pred), list(RELATION_TYPES))
    return ev


def render_html(nlp: Language, records: Sequence[Record], path: Path) -> Path:
    """displaCy entity rendering of the pipeline's predictions, one paragraph a block."""
    from spacy import displacy

    docs = list(nlp.pipe(r.text for r in records))
    for doc, rec in zip(docs, records):
        doc.user_data["title"] = f"{rec.meta.get('doc_id')} / {rec.meta.get('para')}"
    colors = {"ORG": "#7aecec", "INITIATIVE": "#feca74", "OUTCOME": "#bfe1d9"}
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"\[W006\]")  # paragraphs without entities are expected
        html = displacy.render(docs, style="ent", page=True, options={"colors": colors})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path


def errors(gold: Sequence[Record], pred: Sequence[Record]) -> List[str]:
    """Readable false positives and negatives, for error analysis."""
    lines = []
    for rg, rp in zip(gold, pred):
        gs = {(e.start, e.end, e.label) for e in rg.entities}
        ps = {(e.start, e.end, e.label) for e in rp.entities}
        for s, e, lab in sorted(ps - gs):
            lines.append(f"FP {lab:10} {rg.text[max(0, s - 6):s]}[{rg.text[s:e]}]{rg.text[e:e + 6]}")
        for s, e, lab in sorted(gs - ps):
            lines.append(f"FN {lab:10} {rg.text[max(0, s - 6):s]}[{rg.text[s:e]}]{rg.text[e:e + 6]}")
    return lines
