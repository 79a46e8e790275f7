"""Which annotators annotate which paragraph, and each annotator's own copy of the suggestions.

Doccano 1.8.4 cannot restrict what an annotator sees: every project member lists every example
(per-example assignment reached Doccano's main branch after 1.8.4, with the migration
examples/0008_assignment). So the assignment is decided once, when a paragraph is pushed, and
recorded in the example's meta (`assigned_to`, shown in the annotation page's metadata panel);
pull, agreement and review honour it. In a non-collaborative project each user sees only their
own labels, and imported labels belong to the admin who imported them; each assigned annotator
therefore gets a copy of the suggestions created in their name through the REST API.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from .client import Key

ASSIGN_META = "assigned_to"  # meta key: the annotators of an example, comma-separated


def assignees(meta: Dict[str, Any]) -> Optional[Tuple[str, ...]]:
    """The annotators recorded for an example (None if it has no recorded assignment)."""
    raw = meta.get(ASSIGN_META)
    return None if raw is None else tuple(n for n in str(raw).split(",") if n)


def _tiebreak(key: Key, name: str) -> str:
    """A stable pseudo-random order of annotators per paragraph (same on every run and machine)."""
    return hashlib.sha1(f"{key[0]}\t{key[1]}\t{name}".encode()).hexdigest()


def assign(
    keys: Sequence[Key], annotators: Sequence[str], overlap: int, taken: Iterable[Sequence[str]] = ()
) -> Dict[Key, Tuple[str, ...]]:
    """Give each paragraph `overlap` annotators, the least loaded first (load counts the
    assignments already `taken`), ties broken by a stable hash: deterministic and balanced."""
    load = Counter({name: 0 for name in annotators})
    for names in taken:
        load.update(n for n in names if n in load)
    out = {}
    for key in keys:
        chosen = sorted(annotators, key=lambda n: (load[n], _tiebreak(key, n)))[:overlap]
        load.update(chosen)
        out[key] = tuple(n for n in annotators if n in chosen)
    return out


def _admin_labels(admin, project_id: int, example_id: int) -> Tuple[List[Any], List[Any]]:
    return admin.list_spans(project_id, example_id), admin.list_relations(project_id, example_id)


def copy_labels(session, project_id: int, example_id: int, spans: Sequence[Any], relations: Sequence[Any]) -> None:
    """Create the spans and relations in the session user's name, marked as not human-annotated."""
    new_id = {}
    for s in spans:
        new_id[s.id] = session.create_span(project_id, example_id, s.start_offset, s.end_offset, s.label).id
    for r in relations:
        session.create_relation(project_id, example_id, new_id[r.from_id], new_id[r.to_id], r.type)


def distribute(
    admin, session_of: Callable[[str], Any], project_id: int, examples: Dict[Key, List[Any]], annotators: Sequence[str]
) -> Dict[str, int]:
    """Give every assigned annotator who has not started or confirmed an example their own copy of
    the admin's (imported) suggestions. Resumable: a push that stopped half-way is completed by the
    next. Returns how many examples each annotator got suggestions on."""
    admin_labels: Dict[int, Tuple[List[Any], List[Any]]] = {}
    copied = {name: 0 for name in annotators}
    for name in annotators:
        mine = [found[0] for found in examples.values() if name in (assignees(found[0].meta) or ())]
        for ex in mine:
            if ex.id not in admin_labels:
                admin_labels[ex.id] = _admin_labels(admin, project_id, ex.id)
        todo = [ex for ex in mine if admin_labels[ex.id][0]]
        if not todo:
            continue
        session = session_of(name)
        confirmed = {ex.id for ex in session.list_examples(project_id, is_confirmed=True)}
        for ex in todo:
            if ex.id in confirmed or session.list_spans(project_id, ex.id):
                continue
            copy_labels(session, project_id, ex.id, *admin_labels[ex.id])
            copied[name] += 1
    return copied
