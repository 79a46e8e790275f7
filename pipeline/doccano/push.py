"""Push paragraphs to Doccano with the model's suggestions.

Push is idempotent: examples are keyed by meta doc_id + para, and a record whose key is already
in the project is never uploaded again, so a re-run (also after a failure half-way) creates no
duplicates. Records are validated before upload, because Doccano silently drops overlapping spans
and multiplies documents when a relation points at a dropped span.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple

from ..corpus.files import check_records
from ..corpus.records import CorpusError, Problem, Record
from .assign import ASSIGN_META, assign, assignees
from .client import (
    DoccanoError,
    Key,
    connect,
    default_guideline,
    ensure_project,
    example_key,
    list_keyed_examples,
    queue_name,
)
from .queues import ensure_queues, find_team, keep_in_step
from .settings import DoccanoSettings
from .team import Team
from .transfer import import_rows, upload


@dataclass
class PushSummary:
    uploaded: int = 0
    skipped_existing: int = 0
    remaining: int = 0
    duplicates_in_project: List[Key] = field(default_factory=list)
    skipped_gold: int = 0  # already gold: not sent, so model output cannot replace human annotations
    sent_gold: int = 0  # already gold: sent with their gold annotations instead of model output
    assigned: Dict[str, int] = field(default_factory=dict)  # teams: new paragraphs per annotator
    queued: Dict[str, int] = field(default_factory=dict)  # teams: paragraphs put into each annotator's queue
    queue_names: Dict[str, str] = field(default_factory=dict)  # teams: each annotator's queue project


def _check_uploadable(records: Sequence[Record], source: str) -> None:
    """Every record keyed and valid; problems name `source` and the record's line (else its index)."""
    problems = []
    first_line: Dict[Key, int] = {}
    for i, rec in enumerate(records, 1):
        line = rec.line or i
        if example_key(rec.meta) is None:
            problems.append(
                Problem(source, line, "meta.doc_id and meta.para are required to push (they key the examples)")
            )
        elif rec.key in first_line:
            problems.append(Problem(source, line, f"doc_id/para {rec.key} again (first on line {first_line[rec.key]})"))
        else:
            first_line[rec.key] = line
        if any(v is None for v in rec.meta.values()):
            problems.append(Problem(source, line, "meta values must not be null (Doccano rejects the whole import)"))
    if problems:
        raise CorpusError(problems)
    check_records(records, source)


def push(
    records: Sequence[Record],
    project: str,
    suggest=None,
    limit: Optional[int] = None,
    settings: Optional[DoccanoSettings] = None,
    client=None,
    gold: Sequence[Record] = (),
    include_gold: bool = False,
    source: str = "<push input>",
    team: Optional[Team] = None,
    guideline: Optional[str] = None,
) -> PushSummary:
    """Upload records not yet in the project, with `suggest(records) -> (records, confidences)`
    pre-annotations; with `limit`, only the least confident `limit` records. The project gets the
    guideline (default docs/ANNOTATION.md), our labels with their keys and colours.

    A record whose doc_id/para is in `gold` never gets model suggestions (an annotator confirming
    them would make the next pull replace human annotations): it is skipped, or with
    `include_gold` sent with its gold annotations. With a `team`, `project` names the team: each
    new paragraph is assigned to `team.overlap` annotators (recorded in the team's project) and put
    into each assignee's own queue project (queues.py), which push keeps in step."""
    _check_uploadable(records, source)
    for name in team.annotators if team is not None else ():
        if len(queue_name(project, name)) > 100:
            raise DoccanoError(
                f"the queue {queue_name(project, name)!r} would pass Doccano's 100 characters: a shorter team name"
            )
    client = client or connect(settings)
    guideline = default_guideline() if guideline is None else guideline
    proj = ensure_project(client, project, guideline, kind="plain" if team is None else "team")
    existing = list_keyed_examples(client, proj.id)
    summary = PushSummary(duplicates_in_project=[k for k, v in existing.items() if len(v) > 1])
    todo, confidences = _select(records, existing, suggest, limit, gold, include_gold, summary)
    rows = import_rows(todo, confidences)
    if team is not None:
        assignment = {key: assignees(found[0].meta) or () for key, found in existing.items()}
        new = assign([r.key for r in todo], team.annotators, team.overlap, assignment.values())
        for row, rec in zip(rows, todo):
            row[ASSIGN_META] = ",".join(new[rec.key])
        summary.assigned = dict(Counter(n for names in new.values() for n in names))
        assignment.update(new)
        names = [*team.annotators, *sorted({n for names in assignment.values() for n in names})]
        ensure_queues(client, project, team, names, guideline)
    if rows:
        upload(client, proj.id, rows)
    summary.uploaded = len(todo)
    if team is not None:
        projects = find_team(client, project)
        summary.queued = keep_in_step(client, projects, {r.key: row for r, row in zip(todo, rows)}, assignment)
        summary.queue_names = {user: q.name for user, q in projects.queues.items()}
    return summary


def _select(
    records: Sequence[Record],
    existing: Dict[Key, List[Any]],
    suggest,
    limit: Optional[int],
    gold: Sequence[Record],
    include_gold: bool,
    summary: PushSummary,
) -> Tuple[List[Record], List[Optional[float]]]:
    """The records to upload (not in the project yet; gold ones skipped or with their gold
    annotations; with `limit` the least confident) and their model confidences."""
    todo = [r for r in records if r.key not in existing]
    summary.skipped_existing = len(records) - len(todo)
    gold_by_key = {g.key: g for g in gold} if suggest is not None else {}
    known = [gold_by_key[r.key] for r in todo if r.key in gold_by_key]
    todo = [r for r in todo if r.key not in gold_by_key]
    summary.skipped_gold, summary.sent_gold = (0, len(known)) if include_gold else (len(known), 0)
    confidences: List[Optional[float]] = [None] * len(todo)
    if suggest is not None and todo:
        todo, confidences = suggest(todo)
        check_records(todo, "<model suggestions>")
    if include_gold:
        todo, confidences = todo + known, confidences + [None] * len(known)
    if limit is not None:
        order = sorted(
            range(len(todo)),
            key=lambda i: (confidences[i] is None, confidences[i] if confidences[i] is not None else 0.0),
        )
        keep = sorted(order[:limit])
        summary.remaining = len(todo) - len(keep)
        todo, confidences = [todo[i] for i in keep], [confidences[i] for i in keep]
    return todo, confidences


def model_suggester(nlp):
    """A `suggest` function for push: tag records with `nlp` (a pipeline, or a function that loads
    one when the first suggestion is needed), keep their meta, return confidences."""
    from ..api import tag_many

    def suggest(records: Sequence[Record]) -> Tuple[List[Record], List[Optional[float]]]:
        pipeline = nlp() if callable(nlp) and not hasattr(nlp, "pipe") else nlp
        out, conf = [], []
        for result, rec in tag_many(((r.text, r) for r in records), nlp=pipeline, as_tuples=True):
            out.append(result.to_record(rec.meta))
            conf.append(result.confidence)
        return out, conf

    return suggest
