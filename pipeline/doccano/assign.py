"""Which annotators annotate which paragraph.

The assignment is decided once, when a paragraph is pushed, and recorded in the meta of the
team's own project (`assigned_to`); each assignee then finds the paragraph in her queue (see
queues.py), and pull, agreement and review read the assignment from there.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any, Dict, Iterable, Optional, Sequence, Tuple

from .client import Key

ASSIGN_META = "assigned_to"  # meta key: the annotators of an example, comma-separated


def assignees(meta: Dict[str, Any]) -> Optional[Tuple[str, ...]]:
    """The annotators recorded for an example (None if it has no recorded assignment)."""
    raw = meta.get(ASSIGN_META)
    return None if raw is None else tuple(n for n in str(raw).split(",") if n)


def _tiebreak(key: Key, name: str) -> str:
    """A stable pseudo-random order of annotators per paragraph (same on every run and machine)."""
    return hashlib.sha1(f"{key[0]}\t{key[1]}\t{name}".encode()).hexdigest()


def assign(
    keys: Sequence[Key], annotators: Sequence[str], overlap: int, taken: Iterable[Sequence[str]] = ()
) -> Dict[Key, Tuple[str, ...]]:
    """Give each paragraph `overlap` annotators, the least loaded first (load counts the
    assignments already `taken`), ties broken by a stable hash: deterministic and balanced."""
    load = Counter({name: 0 for name in annotators})
    for names in taken:
        load.update(n for n in names if n in load)
    out = {}
    for key in keys:
        chosen = sorted(annotators, key=lambda n: (load[n], _tiebreak(key, n)))[:overlap]
        load.update(chosen)
        out[key] = tuple(n for n in annotators if n in chosen)
    return out
