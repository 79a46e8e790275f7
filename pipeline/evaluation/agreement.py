"""Inter-annotator agreement on paragraphs that several people annotated.

Versions are matched by doc_id + para. For every pair of annotators, over the paragraphs both
annotated: F1 per entity label and per relation type with exact matching (an entity needs the
same start, end and label; a relation the same head span, tail span and type: metrics.entity_keys
and relation_keys), and Cohen's kappa (scikit-learn) on characters: every character of the text
gets the label of the entity covering it, or O (no BIO prefixes; tokenizer-independent). Overall
F1 pools the pairs' counts; overall kappa is the mean of the pairs' kappas (Light's kappa).
Paragraphs are ranked by the mean over pairs of F1 on their entities and relations together.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from ..corpus.records import CorpusError, Problem, Record
from ..schema import ENTITY_LABELS, RELATION_TYPES
from .metrics import Scores, entity_keys, prf, relation_keys, score_sets

Key = Tuple[str, int]
OUTSIDE = "O"


def by_paragraph(
    versions: Mapping[str, Sequence[Record]], sources: Optional[Mapping[str, str]] = None
) -> Dict[Key, Dict[str, Record]]:
    """{(doc_id, para): {annotator: record}}; the same paragraph must have the same text everywhere.
    `sources` names where each annotator's version was read (a file), for the error messages."""
    grouped: Dict[Key, Dict[str, Record]] = {}
    problems = []
    where = dict(sources or {})
    for name, records in versions.items():
        for rec in records:
            seen = grouped.setdefault(rec.key, {})
            other = next(iter(seen.items()), None)
            if other is not None and other[1].text != rec.text:
                first = f"{where.get(other[0], other[0])}" + (f":{other[1].line}" if other[1].line else "")
                message = f"{rec.key}: the text differs from the same paragraph in {first}"
                problems.append(Problem(where.get(name, name), rec.line or 0, message))
                continue
            seen[name] = rec
    if problems:
        raise CorpusError(problems)
    return dict(sorted(grouped.items()))


def char_labels(rec: Record) -> List[str]:
    """One label a character: the label of the entity covering it, else O."""
    labels = [OUTSIDE] * len(rec.text)
    for ent in rec.entities:
        labels[ent.start : ent.end] = [ent.label] * (ent.end - ent.start)
    return labels


def kappa(a: Sequence[str], b: Sequence[str]) -> Optional[float]:
    """Cohen's kappa of two labellings; None when undefined (both used one and the same label only)."""
    from sklearn.metrics import cohen_kappa_score

    if len(set(a) | set(b)) < 2:
        return None
    return round(float(cohen_kappa_score(a, b)), 4)


def pair_scores(a: Sequence[Record], b: Sequence[Record]) -> Dict[str, Any]:
    """Entity and relation F1 per label and kappa on characters of two aligned version lists."""
    chars_a = [label for rec in a for label in char_labels(rec)]
    chars_b = [label for rec in b for label in char_labels(rec)]
    return {
        "paragraphs": len(a),
        "entities": score_sets(entity_keys(a), entity_keys(b), ENTITY_LABELS),
        "relations": score_sets(relation_keys(a), relation_keys(b), list(RELATION_TYPES)),
        "kappa": kappa(chars_a, chars_b),
    }


def pooled(pairs: Sequence[Dict[str, Any]], part: str) -> Scores:
    """P/R/F per label from the summed counts of every pair."""
    labels = pairs[0][part].keys() if pairs else []
    return {label: prf(*(sum(p[part][label][c] for p in pairs) for c in ("tp", "fp", "fn"))) for label in labels}


def paragraph_f1(by_user: Mapping[str, Record]) -> float:
    """Mean over annotator pairs of F1 on entities and relations together (1.0 when nobody tagged anything)."""
    scores = []
    for a, b in combinations(by_user.values(), 2):
        x = entity_keys([a]) | relation_keys([a])
        y = entity_keys([b]) | relation_keys([b])
        scores.append(1.0 if not x and not y else prf(len(x & y), len(y - x), len(x - y))["f"])
    return round(sum(scores) / len(scores), 4)


def agreement(versions: Mapping[str, Sequence[Record]], sources: Optional[Mapping[str, str]] = None) -> Dict[str, Any]:
    """Pairwise, per-label, overall and per-paragraph agreement of the annotators' versions
    (`sources`: the file each version was read from, named in errors)."""
    grouped = by_paragraph(versions, sources)
    shared = {k: v for k, v in grouped.items() if len(v) > 1}
    if not shared:
        names = ", ".join(versions) or "no annotators"
        raise CorpusError([Problem(names, 0, "no paragraph (doc_id + para) was annotated by two of them")])
    pairs = []
    for a, b in combinations(sorted(versions), 2):
        keys = [k for k, v in shared.items() if a in v and b in v]
        if keys:
            scores = pair_scores([shared[k][a] for k in keys], [shared[k][b] for k in keys])
            pairs.append({"annotators": [a, b], **scores})
    labels = {"entities": pooled(pairs, "entities"), "relations": pooled(pairs, "relations")}
    kappas = [p["kappa"] for p in pairs if p["kappa"] is not None]
    overall = {
        "entities_f1": labels["entities"]["micro"]["f"],
        "relations_f1": labels["relations"]["micro"]["f"],
        "kappa": round(sum(kappas) / len(kappas), 4) if kappas else None,
        "paragraphs": len(shared),
        "pairs": len(pairs),
    }
    paragraphs = [
        {
            "doc_id": k[0],
            "para": k[1],
            "annotators": sorted(v),
            "f1": paragraph_f1(v),
            "text": next(iter(v.values())).text,
        }
        for k, v in shared.items()
    ]
    paragraphs.sort(key=lambda p: (p["f1"], p["doc_id"], p["para"]))
    return {
        "annotators": sorted(versions),
        "overall": overall,
        "labels": labels,
        "pairs": pairs,
        "paragraphs": paragraphs,
    }


def _num(value: Optional[float]) -> str:
    return "    –" if value is None else f"{value:.3f}"


def format_agreement(result: Dict[str, Any], lowest: int = 10) -> str:
    """The agreement as text tables: pairs and overall, labels, and the least agreed paragraphs."""
    o = result["overall"]
    lines = [f"{'pair':<28}{'paras':>6}{'ent F':>8}{'rel F':>8}{'kappa':>8}"]
    for p in result["pairs"]:
        name = " × ".join(p["annotators"])
        ent, rel = p["entities"]["micro"]["f"], p["relations"]["micro"]["f"]
        lines.append(f"{name:<28}{p['paragraphs']:>6}{_num(ent):>8}{_num(rel):>8}{_num(p['kappa']):>8}")
    overall = (_num(o["entities_f1"]), _num(o["relations_f1"]), _num(o["kappa"]))
    lines.append(f"{'overall':<28}{o['paragraphs']:>6}{overall[0]:>8}{overall[1]:>8}{overall[2]:>8}")
    lines += ["", f"{'label (pooled over pairs)':<28}{'P':>7}{'R':>7}{'F':>7}{'items':>7}"]
    for part in ("entities", "relations"):
        for label, s in result["labels"][part].items():
            name = f"{part} (micro)" if label == "micro" else label
            items = s["tp"] + s["fn"] + s["fp"]
            prf_ = "".join(f"{_num(s[k] if items else None):>7}" for k in ("p", "r", "f"))
            lines.append(f"{name:<28}{prf_}{items:>7}")
    lines += ["", f"lowest agreement first (F1 on entities + relations, mean over pairs; {lowest} shown):"]
    for p in result["paragraphs"][:lowest]:
        text = p["text"] if len(p["text"]) <= 30 else p["text"][:29] + "…"
        lines.append(f"  {p['f1']:.3f}  {p['doc_id']}/{p['para']}  {','.join(p['annotators'])}  {text}")
    return "\n".join(lines)
