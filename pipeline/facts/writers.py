"""Writing fact rows as they come: CSV a row at a time, Parquet a row group at a time, each into a
temporary file renamed over the output only when everything was written (pipeline/io.py)."""

from __future__ import annotations

import csv
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List

from ..io import OutputError, atomic_open
from .rows import COLUMNS

FORMATS = (".parquet", ".csv")
ROW_GROUP = 50_000  # Parquet rows buffered before they are written as one row group

Write = Callable[[List[Dict[str, Any]]], None]


def check_format(path: Path) -> str:
    """The output format named by the file's suffix; an OutputError for any other."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise OutputError(f"{path}: name a .parquet or .csv file (the suffix picks the format)")
    if suffix == ".parquet":
        from ..distributed.outputs import parquet_module

        parquet_module()
    return suffix


@contextmanager
def fact_writer(path: Path) -> Iterator[Write]:
    """A function that writes lists of fact rows to `path` (.parquet or .csv), atomically."""
    if check_format(path) == ".csv":
        with atomic_open(path) as f:
            writer = csv.DictWriter(f, fieldnames=list(COLUMNS))
            writer.writeheader()
            yield writer.writerows
        return
    with atomic_open(path, "wb") as f, _parquet(f) as write:
        yield write


@contextmanager
def _parquet(f) -> Iterator[Write]:
    """Rows buffered into row groups of ROW_GROUP and written to the open file `f`."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64()}
    schema = pa.schema([(name, types[kind]) for name, kind in COLUMNS.items()])
    buffer: List[Dict[str, Any]] = []
    with pq.ParquetWriter(f, schema) as writer:

        def flush() -> None:
            if buffer:
                writer.write_table(pa.Table.from_pylist(buffer, schema=schema), row_group_size=ROW_GROUP)
                buffer.clear()

        def write(rows: List[Dict[str, Any]]) -> None:
            buffer.extend(rows)
            if len(buffer) >= ROW_GROUP:
                flush()

        yield write
        flush()
