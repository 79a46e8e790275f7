"""Each annotator's confirmed versions of a team, kept beside the corpus, never merged into gold.

An annotator's versions are the confirmed examples of her queue (queues.py). Pull keeps them in
corpus/annotators/<team>/<user>.jsonl, merged by doc_id + para with what earlier pulls kept (a
version is updated, never dropped). A confirmed paragraph her queue holds without the team's
project assigning it to her (one added by hand) goes to <user>.unassigned.jsonl: kept, but left
out of agreement and review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from ..corpus.files import read_records
from ..corpus.records import Record
from .client import Key
from .lost import Lost
from .pull import merge_into
from .queues import find_team
from .transfer import export_rows, rows_to_records

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
    lost: Dict[str, Dict[Key, List[Lost]]] = field(default_factory=dict)  # per user: relations a redrawn span took
    queues: Dict[str, str] = field(default_factory=dict)  # per user: her queue project

    def by_paragraph(self) -> Dict[Key, Dict[str, Record]]:
        """Versions grouped by paragraph: {(doc_id, para): {annotator: record}}."""
        out: Dict[Key, Dict[str, Record]] = {}
        for user, records in self.versions.items():
            for rec in records:
                out.setdefault(rec.key, {})[user] = rec
        return dict(sorted(out.items()))


def _mine(user: str, rec: Record, assignment: Dict[Key, Optional[Tuple[str, ...]]]) -> bool:
    return user in (assignment.get(rec.key) or ())


def pull_versions(client, project: str, root: Path) -> TeamVersions:
    """Fetch every annotator's confirmed examples from her queue and keep them under
    `root`/<team>/; all are read and validated before any file is written."""
    team = find_team(client, project)
    assignment = team.assignment(client)
    folder = versions_dir(root, project)
    staged: Dict[Path, List[Record]] = {}
    unassigned: Dict[str, int] = {}
    lost: Dict[str, Dict[Key, List[Lost]]] = {}
    for user, queue in sorted(team.queues.items()):
        records, lost[user] = rows_to_records(export_rows(client, queue.id), f"{queue.name} (Doccano export)")
        extra = [r for r in records if not _mine(user, r, assignment)]
        staged[folder / f"{user}.jsonl"] = [r for r in records if _mine(user, r, assignment)]
        staged[folder / f"{user}{UNASSIGNED}.jsonl"] = extra
        unassigned[user] = len(extra)
    counts = {}
    for path, records in staged.items():
        if records or path.exists():
            counts[path.stem] = merge_into(path, records)[0]
    return TeamVersions(
        read_versions(folder),
        assignment,
        counts,
        {u: n for u, n in unassigned.items() if n},
        {u: found for u, found in lost.items() if found},
        {u: q.name for u, q in team.queues.items()},
    )


def read_versions(folder: Path) -> Dict[str, List[Record]]:
    """The kept versions of a project by annotator (unassigned ones left out)."""
    files = sorted(p for p in Path(folder).glob("*.jsonl") if not p.stem.endswith(UNASSIGNED))
    return {p.stem: read_records(p) for p in files}
