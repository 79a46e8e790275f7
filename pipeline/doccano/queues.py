"""A team in Doccano 1.8.4: the team's own project, and one queue project per annotator.

Doccano 1.8.4 cannot restrict which examples of a project a member sees, counts or confirms. So
a team named T is several projects:

- T (tagged "dangjian team", no annotator among its members): every paragraph pushed to the team,
  with the model's suggestions and who annotates it (`assigned_to`); what push and review key on;
- "T · NAME" for each annotator (tagged "dangjian queue", collaborative, she its only annotator):
  only her paragraphs, with the suggestions, so what she lists, her progress and what she can
  confirm are hers; her confirmed examples are her versions.

Push keeps the queues in step with T: every paragraph assigned in T is in each assignee's queue,
also after a push that stopped half-way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Sequence

from .assign import ASSIGN_META, assignees
from .client import (
    QUEUE_SEP,
    DoccanoError,
    Key,
    check_kind,
    ensure_project,
    find_project,
    list_keyed_examples,
    project_kind,
    queue_name,
)
from .team import Team, ensure_member, ensure_user
from .transfer import export_rows, import_rows, rows_to_records, upload


@dataclass
class TeamProjects:
    team: Any  # the team's own project
    queues: Dict[str, Any]  # annotator -> her queue project

    def assignment(self, client) -> Dict[Key, tuple]:
        """Who annotates each paragraph of the team, as recorded when it was pushed."""
        return {key: assignees(found[0].meta) or () for key, found in list_keyed_examples(client, self.team.id).items()}


def find_team(client, name: str) -> TeamProjects:
    """The team's own project and its annotators' queues; a clear error for anything else."""
    project = find_project(client, name)
    if project is None:
        raise DoccanoError(f"no project named {name!r} on the server")
    check_kind(project, "team")
    prefix = name + QUEUE_SEP
    queues = {
        p.name[len(prefix) :]: p
        for p in client.list_projects()
        if p.name.startswith(prefix) and project_kind(p) == "queue"
    }
    return TeamProjects(project, queues)


def ensure_queues(client, name: str, team: Team, names: Iterable[str], guideline: str) -> Dict[str, Any]:
    """Each named annotator a user (created with her password if new) with her own queue in team
    `name`, she a member of it as an annotator; the queues get the guideline and labels."""
    queues = {}
    for user in dict.fromkeys(names):
        uid = ensure_user(client, user, team)
        queue = ensure_project(client, queue_name(name, user), guideline, kind="queue")
        ensure_member(client, queue.id, user, uid)
        queues[user] = queue
    return queues


def queue_row(row: Dict[str, Any]) -> Dict[str, Any]:
    """A row of the team's project as it goes into a queue (who else annotates it left out)."""
    return {k: v for k, v in row.items() if k != ASSIGN_META}


def keep_in_step(
    client, projects: TeamProjects, rows: Dict[Key, Dict[str, Any]], assignment: Dict[Key, Sequence[str]]
) -> Dict[str, int]:
    """Upload into each queue the paragraphs assigned to its annotator that it lacks, from `rows`
    (this push's import rows) or else from the team project's export; how many each queue got."""
    missing: Dict[str, List[Key]] = {}
    for user, queue in projects.queues.items():
        have = set(list_keyed_examples(client, queue.id))
        missing[user] = [k for k, names in assignment.items() if user in names and k not in have]
    lacking = {k for keys in missing.values() for k in keys if k not in rows}
    if lacking:
        rows = {**rows, **_team_rows(client, projects.team, lacking)}
    for user, keys in missing.items():
        if keys:
            upload(client, projects.queues[user].id, [queue_row(rows[k]) for k in keys])
    return {user: len(keys) for user, keys in missing.items()}


def _team_rows(client, team_project, keys: set) -> Dict[Key, Dict[str, Any]]:
    """Import rows for paragraphs of the team's project, rebuilt from its export (suggestions included)."""
    records, _ = rows_to_records(export_rows(client, team_project.id, only_approved=False), team_project.name)
    wanted = [r for r in records if r.key in keys]
    return {r.key: row for r, row in zip(wanted, import_rows(wanted))}
