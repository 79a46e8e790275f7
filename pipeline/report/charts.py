"""Horizontal bar charts as inline SVG (no plotting library, nothing to fetch): one bar a name,
stacked by series (relation types), each bar labelled with its total."""

from __future__ import annotations

from html import escape
from typing import Dict, List, Sequence, Tuple

LABEL_WIDTH = 220  # pixels for the names left of the bars
BAR_WIDTH = 360
ROW = 22
MAX_LABEL = 16  # characters of a name shown; the whole name is in the bar's tooltip


def _short(name: str) -> str:
    return name if len(name) <= MAX_LABEL else name[: MAX_LABEL - 1] + "…"


def bar_chart(title: str, items: Sequence[Tuple[str, Dict[str, float]]], colors: Dict[str, str]) -> str:
    """An SVG chart of `items` (name, {series: value}); series drawn in the order of `colors`."""
    series = [s for s in colors if any(values.get(s) for _, values in items)]
    legend_h = 18 if len(series) > 1 else 0
    top = 26 + legend_h
    height = top + ROW * max(len(items), 1) + 6
    width = LABEL_WIDTH + BAR_WIDTH + 70
    most = max((sum(v.values()) for _, v in items), default=0) or 1
    parts: List[str] = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
        f'<text class="title" x="0" y="16">{escape(title)}</text>',
    ]
    x = LABEL_WIDTH
    for s in series if legend_h else ():
        parts.append(f'<rect x="{x}" y="24" width="10" height="10" fill="{colors[s]}"/>')
        parts.append(f'<text class="value" x="{x + 14}" y="33">{escape(s)}</text>')
        x += 14 + 8 * len(s) + 16
    if not items:
        parts.append(f'<text class="value" x="{LABEL_WIDTH}" y="{top + 15}">nothing to show</text>')
    for i, (name, values) in enumerate(items):
        y = top + i * ROW
        total = sum(values.values())
        parts.append(
            f'<text class="label" x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end">'
            f"<title>{escape(name)}</title>{escape(_short(name))}</text>"
        )
        x = float(LABEL_WIDTH)
        for s in series:
            w = BAR_WIDTH * values.get(s, 0) / most
            if w > 0:
                tip = f"{name}: {values[s]:,.0f} {s}"
                parts.append(
                    f'<rect class="bar" x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{ROW - 6}" '
                    f'fill="{colors[s]}"><title>{escape(tip)}</title></rect>'
                )
                x += w
        parts.append(f'<text class="value" x="{x + 5:.1f}" y="{y + 15}">{total:,.0f}</text>')
    parts.append("</svg>")
    return "".join(parts)
