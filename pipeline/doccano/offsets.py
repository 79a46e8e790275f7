"""Offsets as Doccano's annotation page counts them: UTF-16 code units, not Python code points.

Doccano 1.8.4 stores whatever offsets it is given, but its page (grapheme mode off, as our
projects are) selects and draws spans in JavaScript string units: a character outside the Basic
Multilingual Plane (𠮷, emoji) counts twice. Push converts the corpus's code points to page units,
pull converts back, so a span drawn in the browser after 𠮷 comes back on the right characters.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Any, Dict, List

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def astral_positions(text: str) -> List[int]:
    """Code-point indices of the characters that take two UTF-16 units."""
    return [m.start() for m in _ASTRAL.finditer(text)]


def to_page(text: str, offset: int, astral: List[int] = None) -> int:
    """A code-point offset into `text` as page (UTF-16) units."""
    astral = astral_positions(text) if astral is None else astral
    return offset + bisect_left(astral, offset)


def from_page(text: str, unit: int, astral: List[int] = None) -> int:
    """A page (UTF-16) offset into `text` as a code-point offset; ValueError when it falls between
    the two halves of one character."""
    astral = astral_positions(text) if astral is None else astral
    before = 0
    for k, pos in enumerate(astral):
        if pos + k + 1 == unit:
            raise ValueError(f"offset {unit} (UTF-16) splits the character {text[pos]!r} at {pos}")
        if pos + k + 2 > unit:
            break
        before += 1
    return unit - before


def _convert(row: Dict[str, Any], convert) -> Dict[str, Any]:
    text = row.get("text")
    if not isinstance(text, str) or not _ASTRAL.search(text):
        return row
    astral = astral_positions(text)
    entities = []
    for ent in row.get("entities") or []:
        ent = dict(ent)
        for key in ("start_offset", "end_offset"):
            if isinstance(ent.get(key), int):
                ent[key] = convert(text, ent[key], astral)
        entities.append(ent)
    return {**row, "entities": entities}


def row_to_page(row: Dict[str, Any]) -> Dict[str, Any]:
    """An import row with its entity offsets in page units (the row itself when the text has no
    character outside the BMP)."""
    return _convert(row, to_page)


def row_from_page(row: Dict[str, Any]) -> Dict[str, Any]:
    """An export row with its entity offsets back in code points; ValueError for an offset inside a
    character."""
    return _convert(row, from_page)
