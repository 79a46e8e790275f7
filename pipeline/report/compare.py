"""The gold-versus-predicted page of `evaluate`: every paragraph drawn twice, side by side, with
the report's renderer (spans and relation arcs); spans and relations only one side has are
dashed in red (missed on the gold side, spurious on the predicted side)."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Set, Tuple

from ..corpus.records import Record
from .page import config, legend, write_page

SpanKey = Tuple[int, int, str]


def _side(rec: Record, other_spans: Set[SpanKey], other_rels: Set[Tuple]) -> Tuple[list, list, bool]:
    """Entities and relations of one side, each flagged 1 when the other side lacks it."""
    index = {e.id: k for k, e in enumerate(rec.entities)}
    by_id = {e.id: e for e in rec.entities}
    ents = [
        [e.start, e.end, e.label, None, None, int((e.start, e.end, e.label) not in other_spans)] for e in rec.entities
    ]
    rels = []
    for r in rec.relations:
        h, t = by_id[r.head], by_id[r.tail]
        rels.append([index[r.head], index[r.tail], r.label, int(_rel_key(h, t, r.label) not in other_rels)])
    return ents, rels, any(e[5] for e in ents) or any(r[3] for r in rels)


def _rel_key(h, t, label: str) -> Tuple:
    return (h.start, h.end, t.start, t.end, label)


def _keys(rec: Record) -> Tuple[Set[SpanKey], Set[Tuple]]:
    by_id = {e.id: e for e in rec.entities}
    spans = {(e.start, e.end, e.label) for e in rec.entities}
    rels = {_rel_key(by_id[r.head], by_id[r.tail], r.label) for r in rec.relations}
    return spans, rels


def comparison_rows(gold: Sequence[Record], predicted: Sequence[Record]) -> List[list]:
    """[doc_id, para, text, gold entities, gold relations, predicted entities, predicted
    relations, differs] of each paragraph (same order, same texts)."""
    rows = []
    for g, p in zip(gold, predicted):
        (gs, gr), (ps, pr) = _keys(g), _keys(p)
        g_ents, g_rels, g_diff = _side(g, ps, pr)
        p_ents, p_rels, p_diff = _side(p, gs, gr)
        rows.append(
            [g.meta.get("doc_id"), g.meta.get("para"), g.text, g_ents, g_rels, p_ents, p_rels, g_diff or p_diff]
        )
    return rows


def _scores_table(scores: Dict[str, Any]) -> str:
    """P/R/F per label of an Evaluation.to_dict() (entities, and each relation setting)."""
    tables = [("Entities", scores.get("entities", {}))]
    tables += [(f"Relations, {setting.replace('_', ' ')}", t) for setting, t in scores.get("relations", {}).items()]
    out = []
    for title, table in tables:
        head = "<tr><th></th><th class='num'>P</th><th class='num'>R</th><th class='num'>F</th><th class='num'>gold</th></tr>"
        rows = "".join(
            f"<tr><td>{escape(label)}</td><td class='num'>{s['p']:.3f}</td><td class='num'>{s['r']:.3f}</td>"
            f"<td class='num'>{s['f']:.3f}</td><td class='num'>{s['tp'] + s['fn']}</td></tr>"
            for label, s in table.items()
        )
        out.append(f"<div><h3>{escape(title)}</h3><table class='plain'>{head}{rows}</table></div>")
    return f"<section id='scores'><h2>Scores</h2><div class='charts'>{''.join(out)}</div></section>"


def write_comparison(
    gold: Sequence[Record], predicted: Sequence[Record], path: Path, scores: Optional[Dict[str, Any]] = None,
    title: str = "Gold and predicted, side by side",
) -> Path:  # fmt: skip
    """Write the page; `scores`: an Evaluation.to_dict() shown above the paragraphs."""
    rows = comparison_rows(gold, predicted)
    differing = sum(r[7] for r in rows)
    subtitle = f"{len(rows):,} paragraphs, {differing:,} with a difference"
    note = "Spans and relations only one side has are dashed in red: missed (gold side) or spurious (predicted side)."
    body = [_scores_table(scores) if scores else ""]
    body.append(f'<section id="paragraphs"><h2>Paragraphs</h2><p class="note">{escape(note)}</p>{legend()}</section>')
    return write_page(Path(path), title, subtitle, body, {"config": config("compare"), "paragraphs": rows})
