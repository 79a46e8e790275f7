"""Paragraphs: the unit of annotation and of tagging is one non-empty line ("\n"-terminated, never
cut at other Unicode line breaks), without surrounding white space; tagging cuts very long lines at
sentence ends."""

from __future__ import annotations

import re
from typing import List, Tuple

from ..schema import SENTENCE_END

Span = Tuple[int, int]
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


def segments(text: str, max_chars: int) -> List[Span]:
    """(start, end) of the paragraphs of `text`, lines longer than `max_chars` cut at sentence
    ends (or hard, as a last resort)."""
    return [(start + a, start + b) for start, end in line_spans(text) for a, b in _cut(text[start:end], max_chars)]


def _cut(line: str, max_chars: int) -> List[Span]:
    if len(line) <= max_chars:
        return [(0, len(line))]
    pieces: List[Span] = []
    start = 0
    bounds = [m.start() for m in _SENTENCE_END.finditer(line)] + [len(line)]
    last = 0
    for b in bounds:
        if b - start > max_chars and last > start:
            pieces.append((start, last))
            start = last
        while b - start > max_chars:
            pieces.append((start, start + max_chars))
            start += max_chars
        last = b
    if start < len(line):
        pieces.append((start, len(line)))
    return [(a, b) for a, b in pieces if line[a:b].strip()]
