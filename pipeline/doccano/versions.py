"""Each annotator's confirmed version of a team project, kept beside the corpus, never merged into gold.

Doccano exports a non-collaborative project as one file per member (`<user>.jsonl`), holding the
examples that member confirmed with that member's labels only. Pull keeps them in
corpus/annotators/<project>/<user>.jsonl, merged by doc_id + para with what earlier pulls kept
(a version is updated, never dropped). Versions of paragraphs the user was not assigned go to
<user>.unassigned.jsonl: kept, but left out of agreement and review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from ..corpus.files import read_records
from ..corpus.records import Record
from .assign import assignees
from .client import DoccanoError, Key, find_project, list_keyed_examples
from .pull import export_files, merge_into, rows_to_records

UNASSIGNED = ".unassigned"  # file-name suffix of versions outside the user's assignment


def versions_dir(root: Path, project: str) -> Path:
    """Where a project's annotator versions are kept (the name made safe for a folder)."""
    return Path(root) / (re.sub(r"[^\w.-]", "_", project).lstrip(".") or "_")


@dataclass
class TeamVersions:
    """What a team project holds: every kept version by annotator, and the recorded assignment."""

    versions: Dict[str, List[Record]]
    assignment: Dict[Key, Optional[Tuple[str, ...]]]
    counts: Dict[str, Dict[str, int]] = field(default_factory=dict)  # merge counts per kept file
    unassigned: Dict[str, int] = field(default_factory=dict)  # versions outside the assignment per user

    def by_paragraph(self) -> Dict[Key, Dict[str, Record]]:
        """Versions grouped by paragraph: {(doc_id, para): {annotator: record}}."""
        out: Dict[Key, Dict[str, Record]] = {}
        for user, records in self.versions.items():
            for rec in records:
                out.setdefault(rec.key, {})[user] = rec
        return dict(sorted(out.items()))


def _mine(user: str, rec: Record, assignment: Dict[Key, Optional[Tuple[str, ...]]]) -> bool:
    names = assignment.get(rec.key)
    return names is None or user in names  # no recorded assignment: it counts for whoever confirmed it


def pull_versions(client, project: str, root: Path) -> TeamVersions:
    """Fetch every annotator's confirmed examples and keep them under `root`/<project>/; all files
    are read and validated before any is written."""
    proj = find_project(client, project)
    if proj is None:
        raise DoccanoError(f"no project named {project!r} on the server")
    if proj.collaborative_annotation:
        raise DoccanoError(f"project {project!r} is collaborative: it has one version, pull it into the corpus")
    assignment = {key: assignees(found[0].meta) for key, found in list_keyed_examples(client, proj.id).items()}
    folder = versions_dir(root, project)
    staged: Dict[Path, List[Record]] = {}
    unassigned: Dict[str, int] = {}
    for user, rows in sorted(export_files(client, proj.id).items()):
        records = rows_to_records(rows, f"{project} (Doccano export {user}.jsonl)")
        extra = [r for r in records if not _mine(user, r, assignment)]
        staged[folder / f"{user}.jsonl"] = [r for r in records if _mine(user, r, assignment)]
        staged[folder / f"{user}{UNASSIGNED}.jsonl"] = extra
        unassigned[user] = len(extra)
    counts = {}
    for path, records in staged.items():
        if records or path.exists():
            counts[path.stem] = merge_into(path, records)[0]
    return TeamVersions(read_versions(folder), assignment, counts, {u: n for u, n in unassigned.items() if n})


def read_versions(folder: Path) -> Dict[str, List[Record]]:
    """The kept versions of a project by annotator (unassigned ones left out)."""
    files = sorted(p for p in Path(folder).glob("*.jsonl") if not p.stem.endswith(UNASSIGNED))
    return {p.stem: read_records(p) for p in files}
