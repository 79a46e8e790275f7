"""Quotations and 《》 titles: where names sit, and where nothing is tagged."""

from __future__ import annotations

import re
from typing import List, Tuple

# A quotation is a name (its numbers are not results) when it is short and has no sentence end;
# otherwise it is quoted speech, whose numbers can be results.
MAX_NAME_QUOTE = 30
OPEN_CLOSE = {"“": "”", "《": "》", "「": "」", "‘": "’"}

_QUOTED = re.compile("|".join(f"{re.escape(o)}[^{re.escape(o + c)}]*{re.escape(c)}" for o, c in OPEN_CLOSE.items()))
_SPEECH_END = re.compile(r"[。！？!?]")
TITLE = re.compile(r"《[^《》]*》")


def quoted_ranges(text: str) -> List[Tuple[int, int, str]]:
    """(start, end, kind) of quotations and titles, marks included: kind "t" for a 《》 title, "q" for
    a short quotation without a sentence end (a name), "s" for anything else quoted (speech)."""
    out = []
    for m in _QUOTED.finditer(text):
        inner = m.group()[1:-1]
        short = len(inner) <= MAX_NAME_QUOTE and not _SPEECH_END.search(inner)
        kind = "t" if m.group()[0] == "《" else "q" if short else "s"
        out.append((m.start(), m.end(), kind))
    return out


def protected_ranges(text: str) -> List[Tuple[int, int]]:
    """Character ranges of 《》 titles and short quotations (names, whose numbers are not results)."""
    return [(a, b) for a, b, kind in quoted_ranges(text) if kind != "s"]
