"""What the pipeline reads of a text: the text without invisible characters (zero-width spaces and
joiners, byte-order marks, direction marks, soft hyphens), in simplified characters (OpenCC's
Traditional-to-Simplified tables, which map character for character here). The model, the rules
and the word lists were all made from simplified text; the spans found are mapped back onto the
text as given, and never start or end with an invisible character."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import List, NamedTuple, Optional, Tuple

from ..schema import INVISIBLE

_INVISIBLE = re.compile(f"[{INVISIBLE}]")


class Reading(NamedTuple):
    """The text the pipeline reads, and for each of its characters the index of that character in
    the text as given (None: the same positions)."""

    text: str
    index: Optional[List[int]] = None

    def span(self, start: int, end: int) -> Tuple[int, int]:
        """(start, end) in the text as given of the characters start..end of the reading: from its
        first character to just after its last (invisible characters at the edges left out)."""
        if self.index is None:
            return start, end
        return self.index[start], self.index[end - 1] + 1


@lru_cache(maxsize=1)
def _converter():
    """OpenCC's Traditional-to-Simplified converter (its tables ship inside the package)."""
    import opencc

    return opencc.OpenCC("t2s.json")


def simplified(text: str) -> str:
    """`text` in simplified characters, character for character (unchanged where OpenCC would
    change the length)."""
    if text.isascii():
        return text
    out = _converter().convert(text)
    return out if len(out) == len(text) else text


def reading(text: str) -> Reading:
    """What the pipeline reads of `text` (see the module docstring)."""
    if not _INVISIBLE.search(text):
        return Reading(simplified(text))
    index = [i for i, ch in enumerate(text) if ch not in INVISIBLE]
    return Reading(simplified("".join(text[i] for i in index)), index)
