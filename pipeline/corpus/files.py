"""Reading, writing and merging corpus files (Doccano relation JSONL), and raw articles as records."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from ..io import PathLike, write_jsonl
from ..text.encoding import value_problem
from .records import CorpusError, Problem, Record
from .validate import parse_record

# A lone surrogate can only come from a \u escape: a line that decodes as UTF-8 holds none.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def iter_jsonl(path: PathLike) -> Iterator[Tuple[int, Any, Optional[str]]]:
    """Yield (line number, decoded object or None, error or None) for each non-blank line; a line
    holding a string UTF-8 cannot encode (a lone surrogate) is an error naming where it is."""
    with open(path, "rb") as f:
        for lineno, raw in enumerate(f, 1):
            if raw.endswith(b"\r\n"):
                yield lineno, None, "line ends with CRLF; convert the file to LF line endings"
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as err:
                yield lineno, None, f"not UTF-8 ({err.reason} at byte {err.start})"
                continue
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as err:
                yield lineno, None, f"invalid JSON: {err.msg} (column {err.colno})"
                continue
            except RecursionError:
                yield lineno, None, "invalid JSON: nested too deeply to read"
                continue
            bad = value_problem(obj) if _SURROGATE_ESCAPE.search(line) else None
            yield lineno, (None if bad else obj), bad


def validate_file(path: PathLike, require_meta: bool = True) -> Tuple[List[Record], List[Problem]]:
    """Read and validate every line of a JSONL file; returns (valid records, all problems)."""
    source = str(path)
    records: List[Record] = []
    problems: List[Problem] = []
    lines_of: Dict[Tuple[str, int], int] = {}
    for lineno, obj, error in iter_jsonl(path):
        if error is not None:
            problems.append(Problem(source, lineno, error))
            continue
        rec, errs = parse_record(obj, source, lineno, require_meta=require_meta)
        problems.extend(errs)
        if rec is None:
            continue
        if require_meta:
            if rec.key in lines_of:
                problems.append(
                    Problem(source, lineno, f"duplicate doc_id/para {rec.key} (first on line {lines_of[rec.key]})")
                )
                continue
            lines_of[rec.key] = lineno
        records.append(rec)
    return records, problems


def read_records(path: PathLike, require_meta: bool = True) -> List[Record]:
    """Load a Doccano relation JSONL file; raise CorpusError listing every problem."""
    if not Path(path).exists():
        raise FileNotFoundError(f"{path}: no such file")
    records, problems = validate_file(path, require_meta=require_meta)
    if problems:
        raise CorpusError(problems)
    return records


def check_records(records: Iterable[Record], source: str = "<records>") -> None:
    """Validate records built in code (e.g. from model output) with the same rules as files."""
    problems: List[Problem] = []
    for i, rec in enumerate(records, 1):
        _, errs = parse_record(rec.to_json(), source, i, require_meta=False)
        problems.extend(errs)
    if problems:
        raise CorpusError(problems)


def write_records(path: PathLike, records: Iterable[Union[Record, Dict[str, Any]]]) -> int:
    """Write records as Doccano relation JSONL, atomically."""
    return write_jsonl(path, (r.to_json() if isinstance(r, Record) else r for r in records))


def doc_ids(records: Iterable[Record]) -> List[str]:
    """Distinct doc_ids in first-seen order."""
    seen: Dict[str, None] = {}
    for r in records:
        seen.setdefault(r.doc_id, None)
    return list(seen)


def merge_records(base: Sequence[Record], updates: Sequence[Record]) -> Tuple[List[Record], Dict[str, int]]:
    """Replace records of `base` by key with `updates`; append new keys. Returns (merged, counts)."""
    by_key = {r.key: r for r in updates}
    merged: List[Record] = []
    counts = {"changed": 0, "unchanged": 0, "added": 0, "kept": 0}
    for rec in base:
        new = by_key.pop(rec.key, None)
        if new is None:
            merged.append(rec)
            counts["kept"] += 1
        elif new.to_json() == rec.to_json():
            merged.append(rec)
            counts["unchanged"] += 1
        else:
            merged.append(new)
            counts["changed"] += 1
    for rec in updates:
        if rec.key in by_key:
            merged.append(rec)
            counts["added"] += 1
    return merged, counts
