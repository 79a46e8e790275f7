"""Pull confirmed corrections from Doccano back into the corpus.

Pull downloads confirmed examples only, converts the export back to corpus records (meta doc_id
and para restored), validates them, and merges them into the corpus by key in one atomic write:
an interrupted pull leaves the corpus as it was.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Tuple

from ..corpus.files import merge_records, read_records, write_records
from ..corpus.records import CorpusError, Problem, Record
from ..corpus.validate import parse_record
from .client import DoccanoError, connect, find_project
from .push import push_only
from .settings import DoccanoSettings


def export_files(client, project_id: int) -> Dict[str, List[Dict[str, Any]]]:
    """Rows of Doccano's JSONL export of confirmed examples, by file stem: `all` for a
    collaborative project, one per member (their user name) for a non-collaborative one."""
    with tempfile.TemporaryDirectory(prefix="doccano-pull-") as tmp:
        path = client.download(project_id, "JSONL", only_approved=True, dir_name=tmp)
        with zipfile.ZipFile(path) as zf:
            texts = {n[: -len(".jsonl")]: zf.read(n).decode("utf-8") for n in zf.namelist() if n.endswith(".jsonl")}
    return {name: [json.loads(line) for line in text.splitlines() if line.strip()] for name, text in texts.items()}


def export_confirmed(client, project_id: int) -> List[Dict[str, Any]]:
    """Rows of the export of a collaborative project's confirmed examples (all.jsonl)."""
    files = export_files(client, project_id)
    if list(files) != ["all"]:
        raise DoccanoError(f"unexpected export files {sorted(files)}: is the project collaborative?")
    return files["all"]


def rows_to_records(rows: Iterable[Dict[str, Any]], source: str = "<doccano export>") -> List[Record]:
    """Export rows -> corpus records (meta doc_id, para and the pushed meta, push-only keys removed)."""
    records, problems = [], []
    for i, row in enumerate(rows, 1):
        row = {k: v for k, v in row.items() if not push_only(k)}
        rec, errs = parse_record(row, source, i)
        problems.extend(errs)
        if rec is not None:
            records.append(rec)
    keys = Counter(r.key for r in records)
    problems += [
        Problem(source, 0, f"doc_id/para {k} is confirmed {n} times in the project (duplicate examples)")
        for k, n in keys.items()
        if n > 1
    ]
    if problems:
        raise CorpusError(problems)
    return sorted(records, key=lambda r: r.key)


@dataclass
class PullSummary:
    pulled: int
    counts: Dict[str, int]
    new_doc_ids: List[str]


def pull(
    project: str,
    corpus_file: Path,
    output: Optional[Path] = None,
    settings: Optional[DoccanoSettings] = None,
    client=None,
) -> PullSummary:
    """Fetch confirmed examples; write them to `output`, or merge them into `corpus_file` by key."""
    client = client or connect(settings)
    proj = find_project(client, project)
    if proj is None:
        raise DoccanoError(f"no project named {project!r} on the server")
    if not proj.collaborative_annotation:
        raise DoccanoError(f"project {project!r} is a team project: its versions are pulled per annotator")
    pulled = rows_to_records(export_confirmed(client, proj.id), f"{project} (Doccano export)")
    if output is not None:
        write_records(output, pulled)
        return PullSummary(len(pulled), {"written": len(pulled)}, [])
    counts, new_docs = merge_into(corpus_file, pulled)
    return PullSummary(len(pulled), counts, new_docs)


def merge_into(corpus_file: Path, records: List[Record]) -> Tuple[Dict[str, int], List[str]]:
    """Merge records into a corpus file by key in one atomic write (none if nothing changes);
    returns the merge counts and the doc_ids new to the file."""
    base = read_records(corpus_file) if corpus_file.exists() else []
    merged, counts = merge_records(base, records)
    new_docs = sorted({r.doc_id for r in records} - {r.doc_id for r in base})
    if counts["changed"] or counts["added"]:
        write_records(corpus_file, merged)
    return counts, new_docs
