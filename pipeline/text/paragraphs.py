"""Paragraphs: the unit of annotation and of tagging is one non-empty line ("\n"-terminated, never
cut at other Unicode line breaks), without surrounding white space; tagging cuts very long lines at
sentence ends, and sentences that run on without end at clause marks."""

from __future__ import annotations

import re
from typing import List, Optional, Tuple

from ..schema import CLAUSE_END, SENTENCE_END

Span = Tuple[int, int]
Unit = Tuple[int, int, bool]  # start, end, and whether a segment must end there
_LINE = re.compile(r"[^\n]+")
_SENTENCE_END = re.compile(f"(?<=[{re.escape(SENTENCE_END)}])")


def line_spans(text: str) -> List[Span]:
    """(start, end) of every non-empty line of `text`, surrounding white space left out."""
    out = []
    for m in _LINE.finditer(text):
        line = m.group()
        stripped = line.strip()
        if stripped:
            start = m.start() + len(line) - len(line.lstrip())
            out.append((start, start + len(stripped)))
    return out


def paragraphs(text: str) -> List[str]:
    """An article's paragraphs: its non-empty lines, stripped."""
    return [text[a:b] for a, b in line_spans(text)]


def segments(text: str, max_chars: int, max_sentence: Optional[int] = None) -> List[Span]:
    """(start, end) of the paragraphs of `text`, lines longer than `max_chars` cut at sentence
    ends; a sentence longer than `max_sentence` (default `max_chars`) is cut into pieces of its
    own at clause marks (，、：), or hard as a last resort, so no segment holds more of it."""
    limit = min(max_chars, max_sentence or max_chars)
    return [
        (start + a, start + b)
        for start, end in line_spans(text)
        for a, b in _pack(text[start:end], _units(text[start:end], limit), max_chars)
    ]


def _units(line: str, max_sentence: int) -> List[Unit]:
    """The line's sentences; one over `max_sentence` as pieces that each end a segment but the last."""
    if len(line) <= max_sentence:
        return [(0, len(line), False)]
    bounds = [0] + [m.start() for m in _SENTENCE_END.finditer(line) if m.start() < len(line)] + [len(line)]
    units: List[Unit] = []
    for a, b in zip(bounds, bounds[1:]):
        while b - a > max_sentence:
            cut = _clause_cut(line, a, a + max_sentence)
            units.append((a, cut, True))
            a = cut
        units.append((a, b, False))
    return units


def _clause_cut(line: str, start: int, limit: int) -> int:
    """Where to end a piece of a run-on sentence starting at `start`: after its last clause mark
    before `limit`, else at `limit`."""
    last = max(line.rfind(mark, start + 1, limit) for mark in CLAUSE_END)
    return last + 1 if last > start else limit


def _pack(line: str, units: List[Unit], max_chars: int) -> List[Span]:
    """Consecutive units joined into segments of at most `max_chars`, ending where a unit says so."""
    pieces: List[Span] = []
    start = end = 0
    for a, b, closes in units:
        if b - start > max_chars and end > start:
            pieces.append((start, end))
            start = a
        end = b
        if closes:
            pieces.append((start, end))
            start = b
    if end > start:
        pieces.append((start, end))
    return [(a, b) for a, b in pieces if line[a:b].strip()]
