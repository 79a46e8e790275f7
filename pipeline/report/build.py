"""The `report` page of tagged output: totals, charts of the organisations and initiatives with
most relations and of the outcomes, the facts table, and every paragraph drawn with its entities
and relations. Built in one pass over the documents; what the page embeds is streamed to
temporary files first, so only the counts stay in memory."""

from __future__ import annotations

import tempfile
from html import escape
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, Optional, Sequence

from ..facts.canonical import Canonical
from ..facts.rows import canonical_names, document_facts
from ..facts.tagged import Document
from ..schema import RELATION_COLORS
from .charts import bar_chart
from .page import JsonLines, config, legend, write_page
from .summary import Summary

FACT_COLUMNS = [
    "doc_id", "para", "relation", "head", "head_label", "head_canonical", "tail", "tail_label",
    "tail_canonical", "launched_by", "value", "unit", "qualifier", "evidence",
]  # fmt: skip
TOP = 15  # names in each chart


def paragraph_payload(doc: Document, names: Dict[Any, Canonical]) -> Iterable[list]:
    """[doc_id, para, text, entities, relations] of each paragraph: entities as [start, end,
    label, canonical (None when as written), status], relations as [head, tail, type] indices."""
    for i, para in enumerate(doc.paragraphs):
        rec = para.record
        index = {e.id: k for k, e in enumerate(rec.entities)}
        ents = []
        for e in rec.entities:
            name = names.get((i, e.id))
            canonical = name.name if name and name.name != rec.span_text(e) else None
            ents.append([e.start, e.end, e.label, canonical, name.status if name else None])
        rels = [[index[r.head], index[r.tail], r.label] for r in rec.relations]
        yield [doc.doc_id, rec.meta.get("para"), rec.text, ents, rels]


def build_report(
    docs: Iterable[Document],
    output: Path,
    inputs: Sequence[Path],
    max_paragraphs: int,
    max_facts: int,
    progress: Optional[Callable[[Document], None]] = None,
) -> Summary:
    """Read the documents once and write the report to `output`; returns the counts."""
    summary = Summary()
    with tempfile.TemporaryDirectory(prefix="dangjian-report-") as tmp:
        paragraphs, facts = JsonLines(Path(tmp) / "paragraphs"), JsonLines(Path(tmp) / "facts")
        for doc in docs:
            names = canonical_names(doc)
            rows = document_facts(doc, names)
            summary.add(doc, rows)
            for row in rows[: max(max_facts - facts.count, 0)]:
                facts.add([row[c] for c in FACT_COLUMNS])
            for payload in paragraph_payload(doc, names):
                if paragraphs.count >= max_paragraphs:
                    break
                paragraphs.add(payload)
            if progress:
                progress(doc)
        totals = summary.totals()
        subtitle = f"{totals['documents']:,} documents, {totals['paragraphs']:,} paragraphs from " + (
            ", ".join(p.name for p in inputs[:3]) + (f" and {len(inputs) - 3} more files" if len(inputs) > 3 else "")
        )
        body = [_totals(summary), _charts(summary), _outcomes(summary), _facts_section(facts.count, totals["facts"]),
                _paragraphs_section(paragraphs.count, totals["paragraphs"])]  # fmt: skip
        data = {"config": config("report"), "facts": {"columns": FACT_COLUMNS, "rows": facts, "total": totals["facts"]},
                "paragraphs": paragraphs}  # fmt: skip
        write_page(output, "Facts from tagged Party-building news", subtitle, body, data)
    return summary


def _card(n: Any, what: str) -> str:
    shown = f"{n:,}" if isinstance(n, int) else escape(str(n))
    return f'<div class="card"><div class="n">{shown}</div><div class="what">{escape(what)}</div></div>'


def _totals(summary: Summary) -> str:
    t = summary.totals()
    share = f"{t['org_resolved'] / t['org_mentions']:.0%}" if t["org_mentions"] else "–"
    cards = [
        _card(t["documents"], "documents"),
        _card(t["paragraphs"], "paragraphs"),
        _card(t["entities_ORG"], "ORG mentions"),
        _card(t["entities_INITIATIVE"], "INITIATIVE mentions"),
        _card(t["entities_OUTCOME"], "OUTCOME mentions"),
        _card(t["relations_LAUNCHED"], "LAUNCHED relations"),
        _card(t["relations_ACHIEVED"], "ACHIEVED relations"),
        _card(t["organisations"], "organisations with relations"),
        _card(t["initiatives"], "initiatives with relations"),
        _card(share, "ORG mentions given a fuller name"),
    ]
    note = (
        f"Canonical names are resolved within each document: {t['org_resolved']:,} of {t['org_mentions']:,} "
        f"ORG mentions take a fuller name the document gives (市直机关工委 → 湛江市直机关工委); "
        f"{t['org_unresolved']:,} short forms nothing in their document explains stay as written."
    )
    return f'<section id="totals"><h2>Totals</h2><div class="cards">{"".join(cards)}</div><p class="note">{escape(note)}</p></section>'


def _charts(summary: Summary) -> str:
    orgs = bar_chart("Organisations with most relations", summary.top(summary.orgs, TOP), RELATION_COLORS)
    inits = bar_chart("Initiatives with most relations", summary.top(summary.initiatives, TOP), RELATION_COLORS)
    units = bar_chart(
        "Outcomes by unit (count)", [(u or "(none)", {"outcomes": c}) for u, c, _ in summary.top_units(TOP)],
        {"outcomes": RELATION_COLORS["ACHIEVED"]},
    )  # fmt: skip
    note = "Names are canonical (the fullest form within each document); hover a bar for its name and counts."
    return (
        f'<section id="charts"><h2>Who ran what, and what it achieved</h2><p class="note">{note}</p>'
        f'<div class="charts">{orgs}{inits}{units}</div></section>'
    )


def _outcomes(summary: Summary) -> str:
    rows = "".join(
        f"<tr><td>{escape(org)}</td><td>{escape(unit)}</td><td class='num'>{n:,}</td><td class='num'>{total:,.6g}</td></tr>"
        for org, unit, n, total in summary.top_org_units(20)
    )
    units = "".join(
        f"<tr><td>{escape(unit)}</td><td class='num'>{n:,}</td><td class='num'>{total:,.6g}</td></tr>"
        for unit, n, total in summary.top_units(20)
    )
    note = (
        "An organisation's outcomes are those ACHIEVED by it, or by an initiative it LAUNCHED in the same "
        "document. Sums add values as written (近60万毫升 counts 600000)."
    )
    head = "<tr><th>organisation</th><th>unit</th><th class='num'>outcomes</th><th class='num'>sum</th></tr>"
    return (
        f'<section id="outcomes"><h2>Outcomes by organisation and unit</h2><p class="note">{escape(note)}</p>'
        f'<div class="charts"><table class="plain" id="org-units">{head}{rows}</table>'
        f"<table class='plain' id='units'><tr><th>unit</th><th class='num'>outcomes</th><th class='num'>sum</th></tr>{units}</table></div></section>"
    )


def _facts_section(shown: int, total: int) -> str:
    more = (
        f" The table holds the first {shown:,} of {total:,} facts; the facts command writes them all."
        if shown < total
        else ""
    )
    note = (
        "One row per relation and one per entity in no relation. Click a header to sort, type to filter, "
        f"click a document to see its paragraph drawn.{more}"
    )
    return f'<section id="facts"><h2>Facts</h2><p class="note">{escape(note)}</p></section>'


def _paragraphs_section(shown: int, total: int) -> str:
    more = f" The first {shown:,} of {total:,} paragraphs are drawn (--max-paragraphs)." if shown < total else ""
    note = f"Every paragraph with its entities and its relations (arrows from head to tail).{more}"
    return f'<section id="paragraphs"><h2>Paragraphs</h2><p class="note">{escape(note)}</p>{legend()}</section>'
