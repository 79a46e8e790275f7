"""Token boundaries: cut tokens where a span must start or end, and where punctuation is glued on."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from typing import Dict, Iterable, List, Optional, Tuple

from spacy.tokens import Doc

_PUNCT_CATEGORIES = {"Po", "Ps", "Pe", "Pi", "Pf", "Pd", "Sm"}
_KEEP = ".%·•+．％"  # glued to numbers and names on purpose (86.34, 89%, 党建+; full-width alike)
_PUNCT = re.compile(
    "["
    + "".join(
        re.escape(chr(c))
        for c in range(0x10000)
        if unicodedata.category(chr(c)) in _PUNCT_CATEGORIES and chr(c) not in _KEEP
    )
    + "]"
)


def token_starts(doc: Doc) -> List[int]:
    """Character offset of every token (without creating Token objects)."""
    return doc.to_array("IDX").tolist() if len(doc) else []


def split_at(doc: Doc, offsets: Iterable[int]) -> Doc:
    """Split tokens in place so that every character offset in `offsets` is a token boundary."""
    starts = token_starts(doc)
    inside: Dict[int, List[int]] = {}
    for c in sorted(set(offsets)):
        i = bisect_right(starts, c) - 1
        if i >= 0 and c != starts[i]:
            inside.setdefault(i, []).append(c)
    todo: List[Tuple[int, List[str]]] = []
    for i, cuts in inside.items():
        tok = doc[i]
        inner = [c - tok.idx for c in cuts if c < tok.idx + len(tok.text)]
        if inner:
            bounds = [0, *inner, len(tok.text)]
            todo.append((i, [tok.text[a:b] for a, b in zip(bounds, bounds[1:])]))
    if todo:
        with doc.retokenize() as retok:
            for i, parts in todo:
                tok = doc[i]
                retok.split(tok, parts, heads=[(tok, 0)] * len(parts))
    return doc


def punctuation_cuts(doc: Doc, text: Optional[str] = None) -> List[int]:
    """Offsets where punctuation is glued to other characters in a token (奖,21 -> 奖 , 21):
    before and after every punctuation character that is not already a token boundary.
    (`text` saves rebuilding doc.text, which costs a pass over all tokens.)"""
    text = doc.text if text is None else text
    starts = set(token_starts(doc))
    cuts = {c for m in _PUNCT.finditer(text) for c in (m.start(), m.end())}
    return sorted(c for c in cuts if 0 < c < len(text) and c not in starts)
