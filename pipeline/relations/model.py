"""The relation model: a log-linear scorer of candidate heads over hashed feature strings
(features.py), read by the extractor as a softmax over each tail's candidates and "no head"."""

from __future__ import annotations

import zlib
from typing import List, Sequence, Tuple

import numpy
from spacy.util import registry
from thinc.api import Model, SparseLinear_v2
from thinc.types import Floats2d

SparseRows = Tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]  # keys, values, lengths (thinc's SparseLinear)


@registry.architectures("dangjian.RelationChoice.v1")
def build_relation_choice(length: int = 2**18) -> Model[SparseRows, Floats2d]:
    """One score per row (a candidate head of a tail, or the tail's "no head" row): a linear
    model over the row's hashed feature strings, `length` weights. Small annotated data favours
    a model whose every weight is a readable feature of the guideline's sentence structure."""
    return SparseLinear_v2(nO=1, length=length)


def hash_rows(rows: Sequence[Sequence[str]]) -> SparseRows:
    """Feature strings of each row as thinc's (keys, values, lengths); CRC32 keys are stable
    across runs and machines."""
    keys: List[int] = []
    lengths: List[int] = []
    for row in rows:
        hashed = {zlib.crc32(f.encode("utf8")) for f in row}
        keys.extend(hashed)
        lengths.append(len(hashed))
    return (
        numpy.asarray(keys, dtype="uint64"),
        numpy.ones(len(keys), dtype="float32"),
        numpy.asarray(lengths, dtype="int32"),
    )
