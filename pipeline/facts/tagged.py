"""Tagged paragraphs as `tag -o` and the Dask run write them (Doccano relation JSONL, or the
run's Parquet shards), read lazily and grouped into documents: files, directories (a run's OUTDIR is
read shard by shard in the manifest's order) and glob patterns. Every bad line is reported with
its file and line once the whole input has been read."""

from __future__ import annotations

import glob
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

from ..corpus.files import iter_jsonl
from ..corpus.records import CorpusError, Problem, Record
from ..corpus.validate import parse_record

SUFFIXES = (".jsonl", ".parquet")
PARQUET_BATCH = 2048  # rows decoded at a time from a Parquet file
MAX_PROBLEMS = 1000  # problems kept for the error message (the count is exact)


@dataclass
class Paragraph:
    """One tagged paragraph, with the scores its record carries (none for `tag -o` output) and
    where it was read."""

    record: Record
    source: str
    line: int
    entity_scores: Dict[int, float] = field(default_factory=dict)
    relation_scores: Dict[int, float] = field(default_factory=dict)


@dataclass
class Document:
    """Consecutive paragraphs with the same meta.doc_id (a paragraph without one is a document of its own)."""

    doc_id: Optional[str]
    paragraphs: List[Paragraph]


def expand(specs: Sequence[str]) -> List[Path]:
    """The files named by `specs`: .jsonl / .parquet files, directories (a Dask run's OUTDIR: its
    shards in the manifest's order; else its .jsonl and .parquet files, sorted) and glob patterns."""
    out: List[Path] = []
    for spec in specs:
        path = Path(spec)
        if path.is_dir():
            found = _directory(path)
        elif path.exists():
            found = [path]
        else:
            found = sorted(Path(p) for p in glob.glob(spec) if Path(p).is_file())
        if not found:
            what = " (no .jsonl or .parquet files in it)" if path.is_dir() else ""
            raise FileNotFoundError(f"{spec}: no such file{what}")
        bad = [p for p in found if p.suffix.lower() not in SUFFIXES]
        if bad:
            raise CorpusError(
                [Problem(str(bad[0]), 0, "not tagged output: give the .jsonl that `tag -o` writes or a run's shards")]
            )
        out.extend(found)
    return out


def _directory(path: Path) -> List[Path]:
    """A run's shard files in order (all must be finished), or the directory's tagged files."""
    from ..distributed.outputs import output_path
    from ..distributed.shards import MANIFEST, read_manifest

    if not (path / MANIFEST).exists():
        return sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
    manifest = read_manifest(path)
    shards = [output_path(path, s, manifest.format) for s in manifest.shards]
    missing = [p for p in shards if not p.exists()]
    if missing:
        raise FileNotFoundError(
            f"{path}: {len(missing)} of {len(shards)} shards are not finished ({missing[0].name} …); "
            "run the same tag command again to finish the run"
        )
    return shards


def _rows(path: Path) -> Iterator[Tuple[int, Any, Optional[str]]]:
    """(line or row number, decoded object, problem) of every record of one file."""
    if path.suffix.lower() != ".parquet":
        yield from iter_jsonl(path)
        return
    from ..distributed.outputs import parquet_module

    number = 0
    for batch in parquet_module().ParquetFile(path).iter_batches(batch_size=PARQUET_BATCH):
        for row in batch.to_pylist():
            number += 1
            meta = row.get("meta")
            if isinstance(meta, str):
                try:
                    row["meta"] = json.loads(meta)
                except json.JSONDecodeError as err:
                    yield number, None, f"meta is not JSON: {err.msg}"
                    continue
            yield number, row, None


def _scores(items: Any) -> Dict[int, float]:
    """{id: score} of entity or relation objects that carry a numeric score."""
    if not isinstance(items, list):
        return {}
    return {
        o["id"]: float(o["score"])
        for o in items
        if isinstance(o, dict) and isinstance(o.get("score"), (int, float)) and isinstance(o.get("id"), int)
    }


class Problems:
    """The problems found so far: the first MAX_PROBLEMS kept, the rest counted."""

    def __init__(self) -> None:
        self.kept: List[Problem] = []
        self.more = 0

    def add(self, problems: Sequence[Problem]) -> None:
        room = MAX_PROBLEMS - len(self.kept)
        self.kept.extend(problems[: max(room, 0)])
        self.more += max(len(problems) - max(room, 0), 0)

    def raise_any(self) -> None:
        if self.kept:
            tail = [Problem("…", 0, f"and {self.more} more")] if self.more else []
            raise CorpusError(self.kept + tail)


def paragraphs(paths: Sequence[Path], problems: Problems) -> Iterator[Paragraph]:
    """Every valid tagged paragraph of the files, in order; the bad ones go to `problems`."""
    for path in paths:
        source = str(path)
        for number, obj, error in _rows(path):
            if error is not None:
                problems.add([Problem(source, number, error)])
                continue
            record, errs = parse_record(obj, source, number, require_meta=False)
            if record is None:
                problems.add(errs)
                continue
            scored = "meta" in obj  # the import shape keeps the ids the scores refer to
            ents = _scores(obj.get("entities")) if scored else {}
            rels = _scores(obj.get("relations")) if scored else {}
            yield Paragraph(record, source, number, ents, rels)


def documents(paths: Sequence[Path]) -> Iterator[Document]:
    """The paragraphs of the files grouped into documents, one document in memory at a time;
    raises CorpusError naming every bad line (file and line) after the last document."""
    problems = Problems()
    current: Optional[Document] = None
    for para in paragraphs(paths, problems):
        doc_id = para.record.meta.get("doc_id")
        doc_id = None if doc_id is None else str(doc_id)
        if current is not None and doc_id is not None and doc_id == current.doc_id:
            current.paragraphs.append(para)
            continue
        if current is not None:
            yield current
        current = Document(doc_id, [para])
    if current is not None:
        yield current
    problems.raise_any()


def count_paragraphs(paths: Sequence[Path]) -> int:
    """About how many paragraphs the files hold (lines of JSONL, rows of Parquet), for a progress bar."""
    total = 0
    for path in paths:
        if path.suffix.lower() == ".parquet":
            from ..distributed.outputs import parquet_module

            total += parquet_module().ParquetFile(path).metadata.num_rows
            continue
        with open(path, "rb") as f:
            total += sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))
    return total
