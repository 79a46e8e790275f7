"""Review of a team project: agreed paragraphs go into the corpus, the others to a reviewer.

A paragraph is ready once every annotator assigned to it has confirmed a version. Versions that
agree (all identical, or with `accept="majority"` one shared by more than half of them) are
accepted into the corpus like a pull. The others are pushed to a collaborative review project,
pre-annotated with the majority vote (spans and relations more than half the versions have) or the
union (every span, overlaps resolved by votes), with each version's annotator and spans in the
example's meta (review_1, review_2, ...) so the reviewer sees who said what. A paragraph where a
version lost a suggested relation to a redrawn span (lost.py) goes to review even when the versions
agree, with that relation restored between the redrawn spans and said so (review_restored): the
reviewer keeps or deletes it. The reviewer's
confirmed decisions come back with `doccano pull -p REVIEW_PROJECT`. Every version stays kept
beside the corpus (versions.py).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, FrozenSet, List, Optional, Sequence, Tuple

from ..corpus.records import Entity, Record, Relation
from ..evaluation.metrics import entity_keys, relation_keys
from ..schema import ENTITY_LABELS
from .client import Key, find_project, list_keyed_examples
from .lost import Lost, restore
from .pull import merge_into
from .push import push
from .team import Team, ensure_member, ensure_user
from .transfer import REVIEW_META_PREFIX
from .versions import TeamVersions, pull_versions

ACCEPT = ("all", "majority")
PREANNOTATE = ("majority", "union")
SpanSig = Tuple[int, int, str]
RelSig = Tuple[SpanSig, SpanSig, str]


def signature(rec: Record) -> Tuple[FrozenSet, FrozenSet]:
    """What a version says, independent of entity ids: its spans and its relations."""
    return frozenset(entity_keys([rec])), frozenset(relation_keys([rec]))


def agreed(versions: Sequence[Record], accept: str = "all") -> Optional[Record]:
    """The version the annotators agree on (all of them, or a strict majority), else None."""
    counts = Counter(signature(v) for v in versions)
    sig, n = counts.most_common(1)[0]
    if n == len(versions) or (accept == "majority" and n * 2 > len(versions)):
        return next(v for v in versions if signature(v) == sig)
    return None


def _spans(rec: Record) -> Dict[int, SpanSig]:
    return {e.id: (e.start, e.end, e.label) for e in rec.entities}


def vote(versions: Sequence[Record], mode: str = "majority") -> Record:
    """One version from several: spans and relations that more than half of them have (majority)
    or any has (union); overlapping candidates are resolved by votes, then length, then position."""
    need = len(versions) // 2 + 1 if mode == "majority" else 1
    span_votes = Counter(s for v in versions for s in _spans(v).values())
    kept: List[SpanSig] = []
    ranked = sorted(span_votes, key=lambda s: (-span_votes[s], s[0] - s[1], s[0], ENTITY_LABELS.index(s[2])))
    for s in ranked:
        if span_votes[s] >= need and all(s[1] <= k[0] or k[1] <= s[0] for k in kept):
            kept.append(s)
    ids = {s: i for i, s in enumerate(sorted(kept), 1)}
    rel_votes: Counter = Counter()
    for v in versions:
        spans = _spans(v)
        rel_votes.update({(spans[r.head], spans[r.tail], r.label) for r in v.relations})
    rels = sorted(r for r, n in rel_votes.items() if n >= need and r[0] in ids and r[1] in ids)
    return Record(
        versions[0].text,
        [Entity(i, s[2], s[0], s[1]) for s, i in ids.items()],
        [Relation(i, ids[h], ids[t], label) for i, (h, t, label) in enumerate(rels, 1)],
        meta=dict(versions[0].meta),
    )


def describe(name: str, rec: Record) -> str:
    """One line for the reviewer: who tagged which spans and relations."""
    parts = [f"{e.label} {rec.span_text(e)} [{e.start},{e.end})" for e in sorted(rec.entities, key=lambda e: e.start)]
    parts += [
        f"{r.label} {rec.span_text(rec.entity(r.head))}→{rec.span_text(rec.entity(r.tail))}" for r in rec.relations
    ]
    return f"{name}: " + (" · ".join(parts) if parts else "(nothing tagged)")


def review_record(
    project: str, versions: Dict[str, Record], mode: str, lost: Optional[Dict[str, List[Lost]]] = None
) -> Record:
    """The pre-annotated review example: the vote (over the versions with their lost relations
    restored, and every restored relation whose spans the vote kept), with every version
    described in its meta and what was restored."""
    lost = {name: items for name, items in (lost or {}).items() if items}
    restored = {name: restore(v, lost.get(name, ())) for name, v in versions.items()}
    offered = [i for _, done in restored.values() for i in done]
    rec, _ = restore(vote([r for r, _ in restored.values()], mode), offered)
    rec.meta[f"{REVIEW_META_PREFIX}of"] = project
    for i, (name, version) in enumerate(sorted(versions.items()), 1):
        rec.meta[f"{REVIEW_META_PREFIX}{i}"] = describe(name, version)
    if lost:
        rec.meta[f"{REVIEW_META_PREFIX}restored"] = "; ".join(
            f"{name}: {item.describe(rec.text)}" for name, items in sorted(lost.items()) for item in items
        )
    return rec


@dataclass
class ReviewSummary:
    accepted: List[Record] = field(default_factory=list)  # agreed: merged into the corpus
    disputed: List[Record] = field(default_factory=list)  # sent to the review project
    pending: List[Key] = field(default_factory=list)  # not every assigned annotator has confirmed
    in_review: int = 0  # already in the review project: the reviewer decides
    sent: int = 0
    counts: Dict[str, int] = field(default_factory=dict)
    new_doc_ids: List[str] = field(default_factory=list)
    team: Optional[TeamVersions] = None


def triage(team: TeamVersions, in_review: set, accept: str, preannotate: str, project: str) -> ReviewSummary:
    """Sort the paragraphs: pending, already in review, agreed (accepted) or disputed (to review)."""
    summary = ReviewSummary(team=team)
    for key, by_user in team.by_paragraph().items():
        wanted = team.assignment.get(key) or tuple(sorted(by_user))
        if any(name not in by_user for name in wanted):
            summary.pending.append(key)
        elif key in in_review:
            summary.in_review += 1
        else:
            versions = {name: by_user[name] for name in wanted}
            lost = {name: team.lost.get(name, {}).get(key, []) for name in wanted}
            decision = None if any(lost.values()) else agreed(list(versions.values()), accept)
            if decision is not None:
                summary.accepted.append(decision)
            else:
                summary.disputed.append(review_record(project, versions, preannotate, lost))
    return summary


def review(
    client,
    project: str,
    into: str,
    corpus_file: Path,
    versions_root: Path,
    accept: str = "all",
    preannotate: str = "majority",
    reviewers: Optional[Team] = None,
) -> ReviewSummary:
    """Pull the team's versions (kept), push the disputed paragraphs to `into`, make the
    `reviewers` (found or created) its members, then merge the agreed ones into `corpus_file`
    (atomically; the corpus is untouched if the push fails)."""
    if accept not in ACCEPT or preannotate not in PREANNOTATE:
        raise ValueError(f"accept must be one of {ACCEPT} and preannotate one of {PREANNOTATE}")
    team = pull_versions(client, project, versions_root)
    target = find_project(client, into)
    in_review = set(list_keyed_examples(client, target.id)) if target is not None else set()
    summary = triage(team, in_review, accept, preannotate, project)
    if summary.disputed:
        summary.sent = push(summary.disputed, into, client=client, source=f"review of {project}").uploaded
    target = find_project(client, into) if reviewers is not None else None
    for name in reviewers.annotators if target is not None else ():
        ensure_member(client, target.id, name, ensure_user(client, name, reviewers))
    if summary.accepted:
        summary.counts, summary.new_doc_ids = merge_into(corpus_file, summary.accepted)
    return summary
