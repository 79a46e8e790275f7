"""Doccano's bulk import and export, as this product uses them.

Import rows are Doccano relation JSONL with meta keys at the top level, sent as UTF-8 by name
(Doccano's "Auto" encoding guesses with chardet, and took one short line with an emoji for
Windows-1254), grouped by meta key set (Doccano needs the same keys in one file), with offsets in
the annotation page's units (offsets.py). Export rows come back to corpus records: offsets in
code points again, push's meta keys removed, validated, and the relations a redrawn span took
with it found (lost.py). Both wait for Doccano's worker, polling briefly.
"""

from __future__ import annotations

import json
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from ..corpus.records import DOCCANO_RESERVED_KEYS, CorpusError, Problem, Record
from ..corpus.validate import parse_record
from ..io import write_jsonl
from .client import DoccanoError, Key
from .lost import SUGGESTED_META, Lost, decode, encode, lost_relations
from .offsets import row_from_page, row_to_page

TASK = "RelationExtraction"
ENCODING = "utf_8"  # Doccano's name for the upload's encoding
PUSH_META = ("model_confidence", "assigned_to", SUGGESTED_META)  # meta keys push adds and pull removes
REVIEW_META_PREFIX = "review_"  # meta keys of review examples (who said what), removed by pull too


def push_only(key: str) -> bool:
    """Whether an example's meta key was added by push or review (never part of the corpus)."""
    return key in PUSH_META or key.startswith(REVIEW_META_PREFIX)


def wait_task(client, task_id: str, timeout: float = 3600.0):
    """Doccano's status of a worker task once it is done (polled every 0.1-1 s)."""
    repo = client._task_status_repository  # doccano-client's own wait polls once a second
    deadline, delay = time.monotonic() + timeout, 0.1
    while time.monotonic() < deadline:
        status = repo.get(task_id)
        if status.ready:
            return status
        time.sleep(delay)
        delay = min(1.0, delay * 1.5)
    raise DoccanoError(
        f"Doccano's worker did not finish task {task_id} in {timeout:.0f} s (is `doccano task` running?)"
    )


def import_rows(
    records: Sequence[Record], confidences: Optional[Sequence[Optional[float]]] = None
) -> List[Dict[str, Any]]:
    """Doccano import rows: text, entities (page offsets), relations, and meta keys at the top
    level, with the relations also in `suggested_relations` so pull can tell which a redrawn span lost."""
    rows = []
    for i, rec in enumerate(records):
        row: Dict[str, Any] = rec.to_json()
        meta = {k: v for k, v in row.pop("meta").items() if k not in PUSH_META}
        if confidences is not None and confidences[i] is not None:
            meta["model_confidence"] = confidences[i]
        # every row carries the key (empty without relations): Doccano needs one key set per
        # upload file, and one file keeps the queue in push's order (least confident first)
        meta[SUGGESTED_META] = encode(rec) if rec.relations else ""
        clash = DOCCANO_RESERVED_KEYS & set(meta)
        if clash:
            raise DoccanoError(f"record {rec.key}: meta key(s) {sorted(clash)} clash with Doccano's own fields")
        row.update(meta)
        rows.append(row_to_page(row))
    return rows


def upload(client, project_id: int, rows: Sequence[Dict[str, Any]]) -> None:
    """Bulk-import rows as UTF-8, one file per meta key set."""
    groups: Dict[Tuple[str, ...], List[Dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    repo = client._data_import_repository  # doccano-client's upload cannot name the encoding
    with tempfile.TemporaryDirectory(prefix="doccano-push-") as tmp:
        for n, group in enumerate(groups.values()):
            path = Path(tmp) / f"batch{n}.jsonl"
            write_jsonl(path, group)
            upload_id = repo.upload(str(path))
            task = repo.ingest(project_id, [upload_id], TASK, "JSONL", column_data="text", encoding=ENCODING)
            status = wait_task(client, task)
            errors = (status.result or {}).get("error") if isinstance(status.result, dict) else None
            if status.error or errors:
                raise DoccanoError(f"Doccano rejected the import: {status.error or errors}")


def export_files(client, project_id: int, only_approved: bool = True) -> Dict[str, List[Dict[str, Any]]]:
    """Rows of Doccano's JSONL export (confirmed examples only, unless told otherwise), by file
    stem: `all` for a collaborative project, one per member for a non-collaborative one."""
    repo = client._data_export_repository
    with tempfile.TemporaryDirectory(prefix="doccano-pull-") as tmp:
        task = repo.schedule_download(project_id, repo.find_option_by_name(project_id, "JSONL"), only_approved)
        wait_task(client, task)
        path = repo.download(project_id, task, tmp)
        with zipfile.ZipFile(path) as zf:
            texts = {n[: -len(".jsonl")]: zf.read(n).decode("utf-8") for n in zf.namelist() if n.endswith(".jsonl")}
    return {name: [json.loads(line) for line in text.splitlines() if line.strip()] for name, text in texts.items()}


def export_rows(client, project_id: int, only_approved: bool = True) -> List[Dict[str, Any]]:
    """Rows of the export of a collaborative project (all.jsonl)."""
    files = export_files(client, project_id, only_approved)
    if list(files) != ["all"]:
        raise DoccanoError(f"unexpected export files {sorted(files)}: is the project collaborative?")
    return files["all"]


def rows_to_records(
    rows: Iterable[Dict[str, Any]], source: str = "<doccano export>"
) -> Tuple[List[Record], Dict[Key, List[Lost]]]:
    """Export rows -> corpus records (code-point offsets, meta doc_id, para and the pushed meta
    without push's own keys), and per paragraph the suggested relations lost to a redrawn span."""
    records, problems, lost = [], [], {}
    for i, row in enumerate(rows, 1):
        try:
            row = row_from_page(row)
        except ValueError as err:
            problems.append(Problem(source, i, str(err)))
            continue
        suggested = decode(row.get(SUGGESTED_META))
        rec, errs = parse_record({k: v for k, v in row.items() if not push_only(k)}, source, i)
        problems.extend(errs)
        if rec is not None:
            records.append(rec)
            gone = lost_relations(rec, suggested)
            if gone:
                lost[rec.key] = gone
    keys = Counter(r.key for r in records)
    problems += [
        Problem(source, 0, f"doc_id/para {k} is confirmed {n} times in the project (duplicate examples)")
        for k, n in keys.items()
        if n > 1
    ]
    if problems:
        raise CorpusError(problems)
    return sorted(records, key=lambda r: r.key), lost
