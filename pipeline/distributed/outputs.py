"""Shard outputs in OUTDIR: one file a shard, Doccano relation JSONL or Parquet, each written
atomically, so a shard has a finished output or none; a shard's file existing is what "done" means."""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Dict, Iterator, List, Sequence, Set

from ..io import OutputError, atomic_open, read_jsonl
from .shards import Manifest, Shard

SUFFIXES = {"jsonl": ".jsonl", "parquet": ".parquet"}
LOCK = ".lock"


def output_path(outdir: Path, shard: Shard, fmt: str) -> Path:
    return Path(outdir) / f"{shard.name}{SUFFIXES[fmt]}"


def finished(outdir: Path, manifest: Manifest) -> Set[int]:
    """Ids of the shards whose output is complete (written and renamed into place)."""
    return {s.id for s in manifest.shards if output_path(outdir, s, manifest.format).exists()}


def remove_stale_temps(outdir: Path) -> int:
    """Delete half-written shard files an interrupted run left (.shard-*.tmp); returns how many."""
    stale = list(Path(outdir).glob(".shard-*.tmp"))
    for path in stale:
        path.unlink()
    return len(stale)


@contextmanager
def locked(outdir: Path) -> Iterator[None]:
    """Hold OUTDIR/.lock for the run, so two runs never write the same shards at once."""
    import fcntl

    Path(outdir).mkdir(parents=True, exist_ok=True)
    with open(Path(outdir) / LOCK, "w") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(f"another run is writing into {outdir}; wait for it or use another OUTDIR") from None
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def write_shard(path: Path, rows: Sequence[Dict[str, Any]], fmt: str) -> None:
    """Write a shard's records (Doccano relation JSON objects) atomically."""
    if fmt == "parquet":
        pq, table = _parquet_table(rows)
        with atomic_open(path, "wb") as f:
            pq.write_table(table, f)
        return
    with atomic_open(path) as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def read_shard(path: Path) -> List[Dict[str, Any]]:
    """The records of a shard output, as Doccano relation JSON objects, whatever its format."""
    if Path(path).suffix == ".parquet":
        pq = parquet_module()
        rows = pq.read_table(path).to_pylist()
        return [{**row, "meta": json.loads(row["meta"])} for row in rows]
    return list(read_jsonl(path))


def parquet_module():
    """pyarrow.parquet, or a clear error naming the extra to install."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise OutputError(
            "Parquet output needs pyarrow: pip install 'dangjian-pipeline[parquet]' (or use JSONL)"
        ) from None
    return pq


def _parquet_table(rows: Sequence[Dict[str, Any]]):
    """Records as an Arrow table: text, entities and relations as nested columns, meta as JSON text
    (meta keys differ from input to input)."""
    pq = parquet_module()
    import pyarrow as pa

    entity = pa.struct(
        [("id", pa.int32()), ("label", pa.string()), ("start_offset", pa.int64()), ("end_offset", pa.int64())]
    )
    relation = pa.struct([("id", pa.int32()), ("from_id", pa.int32()), ("to_id", pa.int32()), ("type", pa.string())])
    schema = pa.schema(
        [
            ("text", pa.string()),
            ("entities", pa.list_(entity)),
            ("relations", pa.list_(relation)),
            ("meta", pa.string()),
        ]
    )
    columns = [{**row, "meta": json.dumps(row["meta"], ensure_ascii=False)} for row in rows]
    return pq, pa.Table.from_pylist(columns, schema=schema)


def merged(outdir: Path) -> Iterator[Dict[str, Any]]:
    """Every record of a finished run, in input order (shard by shard)."""
    from .shards import read_manifest

    manifest = read_manifest(outdir)
    for shard in manifest.shards:
        path = output_path(outdir, shard, manifest.format)
        if not path.exists():
            raise OutputError(f"{path} is missing: the run is not finished; re-run it to finish")
        yield from read_shard(path)
