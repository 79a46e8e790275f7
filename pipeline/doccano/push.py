"""Push paragraphs to Doccano with the model's suggestions.

Push is idempotent: examples are keyed by meta doc_id + para, and a record whose key is already
in the project is never uploaded again, so a re-run (also after a failure half-way) creates no
duplicates. Records are validated before upload, because Doccano silently drops overlapping spans
and multiplies documents when a relation points at a dropped span.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from ..corpus.files import check_records
from ..corpus.records import DOCCANO_RESERVED_KEYS, CorpusError, Problem, Record
from .client import DoccanoError, Key, connect, ensure_project, example_key, list_keyed_examples
from .settings import DoccanoSettings

PUSH_META = ("model_confidence",)  # meta keys push adds and pull removes


@dataclass
class PushSummary:
    uploaded: int = 0
    skipped_existing: int = 0
    remaining: int = 0
    duplicates_in_project: List[Key] = field(default_factory=list)


def import_rows(
    records: Sequence[Record], confidences: Optional[Sequence[Optional[float]]] = None
) -> List[Dict[str, Any]]:
    """Doccano import rows: text, entities, relations, and meta keys at the top level."""
    rows = []
    for i, rec in enumerate(records):
        row: Dict[str, Any] = rec.to_json()
        meta = row.pop("meta")
        if confidences is not None and confidences[i] is not None:
            meta["model_confidence"] = confidences[i]
        clash = DOCCANO_RESERVED_KEYS & set(meta)
        if clash:
            raise DoccanoError(f"record {rec.key}: meta key(s) {sorted(clash)} clash with Doccano's own fields")
        row.update(meta)
        rows.append(row)
    return rows


def _check_uploadable(records: Sequence[Record]) -> None:
    problems = []
    for i, rec in enumerate(records, 1):
        if example_key(rec.meta) is None:
            problems.append(
                Problem("<push input>", i, "meta.doc_id and meta.para are required to push (they key the examples)")
            )
        if any(v is None for v in rec.meta.values()):
            problems.append(
                Problem("<push input>", i, "meta values must not be null (Doccano rejects the whole import)")
            )
    keys = Counter(rec.key for rec in records)
    problems += [Problem("<push input>", 0, f"doc_id/para {k} occurs {n} times") for k, n in keys.items() if n > 1]
    if problems:
        raise CorpusError(problems)
    check_records(records, "<push input>")


def upload(client, project_id: int, rows: Sequence[Dict[str, Any]]) -> None:
    """Bulk-import rows (grouped by meta key set: Doccano needs the same keys in one file)."""
    groups: Dict[Tuple[str, ...], List[Dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    with tempfile.TemporaryDirectory(prefix="doccano-push-") as tmp:
        for n, group in enumerate(groups.values()):
            path = Path(tmp) / f"batch{n}.jsonl"
            path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in group), encoding="utf-8")
            status = client.upload(project_id, [str(path)], task="RelationExtraction", format="JSONL")
            errors = (status.result or {}).get("error") if isinstance(status.result, dict) else None
            if status.error or errors:
                raise DoccanoError(f"Doccano rejected the import: {status.error or errors}")


def push(
    records: Sequence[Record],
    project: str,
    suggest=None,
    limit: Optional[int] = None,
    settings: Optional[DoccanoSettings] = None,
    client=None,
) -> PushSummary:
    """Upload records not yet in the project, with `suggest(records) -> (records, confidences)`
    pre-annotations; with `limit`, only the least confident `limit` records."""
    _check_uploadable(records)
    client = client or connect(settings)
    proj = ensure_project(client, project)
    existing = list_keyed_examples(client, proj.id)
    summary = PushSummary(duplicates_in_project=[k for k, v in existing.items() if len(v) > 1])
    todo = [r for r in records if r.key not in existing]
    summary.skipped_existing = len(records) - len(todo)
    confidences: List[Optional[float]] = [None] * len(todo)
    if suggest is not None and todo:
        todo, confidences = suggest(todo)
        check_records(todo, "<model suggestions>")
    if limit is not None:
        order = sorted(
            range(len(todo)),
            key=lambda i: (confidences[i] is None, confidences[i] if confidences[i] is not None else 0.0),
        )
        keep = sorted(order[:limit])
        summary.remaining = len(todo) - len(keep)
        todo, confidences = [todo[i] for i in keep], [confidences[i] for i in keep]
    if todo:
        upload(client, proj.id, import_rows(todo, confidences))
    summary.uploaded = len(todo)
    return summary


def model_suggester(nlp):
    """A `suggest` function for push: tag records with `nlp`, keep their meta, return confidences."""
    from ..api import tag_many

    def suggest(records: Sequence[Record]) -> Tuple[List[Record], List[Optional[float]]]:
        out, conf = [], []
        for rec, result in zip(records, tag_many([r.text for r in records], nlp=nlp)):
            out.append(result.to_record(rec.meta))
            conf.append(result.confidence)
        return out, conf

    return suggest
