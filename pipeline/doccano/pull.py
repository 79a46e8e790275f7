"""Pull confirmed corrections from Doccano back into the corpus.

Pull downloads confirmed examples only, converts the export back to corpus records (meta doc_id
and para restored), validates them, and merges them into the corpus by key in one atomic write:
an interrupted pull leaves the corpus as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from ..corpus.files import merge_records, read_records, write_records
from ..corpus.records import Record
from .client import DoccanoError, Key, check_kind, connect, find_project
from .lost import Lost
from .settings import DoccanoSettings
from .transfer import export_rows, rows_to_records


@dataclass
class PullSummary:
    pulled: int
    counts: Dict[str, int]
    new_doc_ids: List[str]
    lost: Dict[Key, List[Lost]] = field(default_factory=dict)  # suggested relations a redrawn span took along
    records: Dict[Key, Record] = field(default_factory=dict)


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
    check_kind(proj, "plain")
    pulled, lost = rows_to_records(export_rows(client, proj.id), f"{project} (Doccano export)")
    by_key = {r.key: r for r in pulled}
    if output is not None:
        write_records(output, pulled)
        return PullSummary(len(pulled), {"written": len(pulled)}, [], lost, by_key)
    counts, new_docs = merge_into(corpus_file, pulled)
    return PullSummary(len(pulled), counts, new_docs, lost, by_key)


def merge_into(corpus_file: Path, records: List[Record]) -> Tuple[Dict[str, int], List[str]]:
    """Merge records into a corpus file by key in one atomic write (none if nothing changes);
    returns the merge counts and the doc_ids new to the file."""
    base = read_records(corpus_file) if corpus_file.exists() else []
    merged, counts = merge_records(base, records)
    new_docs = sorted({r.doc_id for r in records} - {r.doc_id for r in base})
    if counts["changed"] or counts["added"]:
        write_records(corpus_file, merged)
    return counts, new_docs
