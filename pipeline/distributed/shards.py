"""Shards of an archive: the checked inputs cut into runs of consecutive paragraphs, and the
manifest in OUTDIR that records the cut, so that a re-run means exactly the same shards (or
refuses, saying what changed)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

from .. import inputs as tag_inputs
from ..corpus.records import Record
from ..io import OutputError, read_json, sha256_of, write_json

MANIFEST = "manifest.json"
VERSION = 1
FORMATS = ("jsonl", "parquet")


@dataclass(frozen=True)
class Shard:
    """Paragraphs first .. first + count - 1 of the whole input stream (all inputs, in order)."""

    id: int
    first: int
    count: int

    @property
    def name(self) -> str:
        return f"shard-{self.id:05d}"


@dataclass
class Manifest:
    """What a sharded run tags: the inputs (with their sha256), the model, the output format and the shards."""

    inputs: List[Dict[str, Any]]
    model: str
    format: str
    shard_size: int
    shards: List[Shard]
    version: int = VERSION

    @property
    def paragraphs(self) -> int:
        return sum(s.count for s in self.shards)

    def to_json(self) -> Dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> "Manifest":
        shards = [Shard(**s) for s in data["shards"]]
        return cls(data["inputs"], data["model"], data["format"], data["shard_size"], shards, data["version"])

    def difference(self, other: "Manifest") -> Optional[str]:
        """How `other` (a new plan) differs from this one, in words; None if it is the same run."""
        if self.version != other.version:
            return f"it was written by manifest version {self.version}, this is version {other.version}"
        mine = [(i["path"], i["sha256"]) for i in self.inputs]
        theirs = [(i["path"], i["sha256"]) for i in other.inputs]
        if mine != theirs:
            changed = [p for (p, h), (q, g) in zip(mine, theirs) if p == q and h != g]
            if changed and len(mine) == len(theirs):
                return f"{changed[0]} changed since the run started (sha256 differs)"
            return f"it tags other inputs ({', '.join(p for p, _ in mine[:3])}{' ...' if len(mine) > 3 else ''})"
        for what in ("model", "format", "shard_size"):
            if getattr(self, what) != getattr(other, what):
                return f"it was started with {what} {getattr(self, what)!r}, not {getattr(other, what)!r}"
        return None


def plan(paths: Sequence[Path], shard_size: int, fmt: str, model: str = "") -> Manifest:
    """Check every input (all problems at once, with file and line) and cut the paragraphs into
    shards of `shard_size`; the cut depends only on the inputs and the size."""
    if fmt not in FORMATS:
        raise OutputError(f"unknown output format {fmt!r}: use one of {', '.join(FORMATS)}")
    counts = tag_inputs.paragraph_counts(paths)
    total = sum(counts)
    listed = [
        {"path": str(Path(p).resolve()), "sha256": sha256_of(Path(p)), "paragraphs": n} for p, n in zip(paths, counts)
    ]
    shards = [Shard(i, first, min(shard_size, total - first)) for i, first in enumerate(range(0, total, shard_size))]
    return Manifest(listed, model, fmt, shard_size, shards)


def prepare(outdir: Path, new: Manifest) -> Manifest:
    """The run's manifest: written into a new or empty OUTDIR; in an OUTDIR with a manifest the
    same plan must be asked for again (a resumed run), else nothing is touched and it fails,
    unless that run tagged nothing (a wrong model, say): then `new` replaces it. Call it holding
    OUTDIR's lock when a manifest is there."""
    path = outdir / MANIFEST
    if outdir.exists() and not outdir.is_dir():
        raise OutputError(f"{outdir} is a file: name a directory for the shard outputs")
    if path.exists():
        try:
            old = Manifest.from_json(read_json(path))
        except (ValueError, KeyError, TypeError) as err:
            raise OutputError(f"{path} is not a manifest this version can read ({err}); use a new OUTDIR") from None
        why = old.difference(new)
        if why is None:
            return old
        if any(p.name.startswith("shard-") for p in outdir.iterdir()):
            raise OutputError(f"{outdir} holds another run: {why}; re-run it as it was started, or use a new OUTDIR")
        write_json(path, new.to_json())  # it tagged nothing: nothing of it to keep
        return new
    if outdir.exists() and any(not p.name.startswith(".") for p in outdir.iterdir()):
        raise OutputError(f"{outdir} is not empty and holds no {MANIFEST}: name a new or empty directory")
    write_json(path, new.to_json())
    return new


def read_manifest(outdir: Path) -> Manifest:
    """The manifest of a sharded run in OUTDIR."""
    path = Path(outdir) / MANIFEST
    if not path.exists():
        raise FileNotFoundError(f"{path}: no sharded run here (no {MANIFEST})")
    return Manifest.from_json(read_json(path))


def shard_records(records: Iterable[Record], shards: Sequence[Shard]) -> Iterator[Tuple[Shard, List[Record]]]:
    """Each of `shards` (in order; a subset of the plan) with its records, from one lazy pass over
    all the input records; records of other shards are read past."""
    wanted = iter(shards)
    shard = next(wanted, None)
    batch: List[Record] = []
    for index, record in enumerate(records):
        if shard is None:
            return
        if index < shard.first:
            continue
        batch.append(record)
        if len(batch) == shard.count:
            yield shard, batch
            shard, batch = next(wanted, None), []
