"""From tags to facts: who launched which initiative and what it achieved, read from tagged
output (`tag -o`, a Dask run's shards) document by document, with canonical organisation and
initiative names within each document; as a table (`facts` command, `pipeline.read_facts`) and an
HTML report (pipeline/report)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Sequence, Union

if TYPE_CHECKING:
    import pandas

Spec = Union[str, Path]


def iter_facts(inputs: Union[Spec, Sequence[Spec]]) -> Iterator[List[Dict[str, Any]]]:
    """The fact rows of tagged files, directories or globs, a document at a time (lists of dicts
    with the columns of pipeline.facts.rows.COLUMNS)."""
    from .rows import document_facts
    from .tagged import documents, expand

    specs = [inputs] if isinstance(inputs, (str, Path)) else list(inputs)
    for doc in documents(expand([str(s) for s in specs])):
        yield document_facts(doc)


def read_facts(inputs: Union[Spec, Sequence[Spec]]) -> "pandas.DataFrame":
    """The facts of tagged files, directories or globs as a pandas DataFrame, one row per
    relation and one per entity in no relation."""
    import pandas

    from .rows import COLUMNS

    rows = [row for doc_rows in iter_facts(inputs) for row in doc_rows]
    frame = pandas.DataFrame(rows, columns=list(COLUMNS))
    for name, kind in COLUMNS.items():
        if kind == "int":
            frame[name] = frame[name].astype("Int64")
    return frame
