"""Relations lost when an annotator redraws a span.

Doccano 1.8.4 changes a span's boundaries only by deleting it and selecting again, and deleting a
span deletes its relations without a word. Push therefore writes the relations it sends into the
example's meta (`suggested_relations`, readable in the page's metadata panel); pull compares the
confirmed version with them. A suggested relation is lost when one of its spans was replaced by an
overlapping span of the same label, the other end is still there (or replaced likewise), and no
relation joins them now. A relation whose span was deleted outright, or that was deleted while both
its spans stayed, was removed on purpose and is not reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

from ..corpus.records import Record, Relation
from ..corpus.validate import parse_record

SUGGESTED_META = "suggested_relations"  # meta key push writes and pull reads (and removes)
SpanSig = Tuple[int, int, str]
_ITEM = re.compile(r"(\w+): (\w+) .*? \[(\d+),(\d+)\) → (\w+) .*? \[(\d+),(\d+)\)(?:; |$)")


@dataclass(frozen=True)
class Suggested:
    """A relation as push sent it: its type and its two spans (code-point offsets)."""

    label: str
    head: SpanSig
    tail: SpanSig


@dataclass(frozen=True)
class Lost:
    """A suggested relation gone with a redrawn span, and the spans that now stand for its ends."""

    suggested: Suggested
    head: SpanSig
    tail: SpanSig

    def describe(self, text: str) -> str:
        """One line for a person: the relation, and which span was redrawn as what."""

        def show(s: SpanSig) -> str:
            return f"{text[s[0] : s[1]]} [{s[0]},{s[1]})"

        pairs = [(self.suggested.head, self.head), (self.suggested.tail, self.tail)]
        redrawn = " and ".join(f"{show(old)} was redrawn as {show(new)}" for old, new in pairs if old != new)
        return f"{self.suggested.label} {text[self.head[0] : self.head[1]]}→{text[self.tail[0] : self.tail[1]]} (lost when {redrawn})"


def _span(rec: Record, entity_id: int) -> SpanSig:
    ent = rec.entity(entity_id)
    return (ent.start, ent.end, ent.label)


def encode(rec: Record) -> str:
    """The record's relations as one readable line (empty when it has none)."""
    items = []
    for r in rec.relations:
        (hs, he, hl), (ts, te, tl) = _span(rec, r.head), _span(rec, r.tail)
        items.append(f"{r.label}: {hl} {rec.text[hs:he]} [{hs},{he}) → {tl} {rec.text[ts:te]} [{ts},{te})")
    return "; ".join(items)


def decode(value: object) -> List[Suggested]:
    """The relations of an `encode`d line (nothing for a value that is not one)."""
    if not isinstance(value, str):
        return []
    out = []
    for m in _ITEM.finditer(value):
        label, hl, hs, he, tl, ts, te = m.groups()
        out.append(Suggested(label, (int(hs), int(he), hl), (int(ts), int(te), tl)))
    return out


def _replacement(span: SpanSig, spans: Sequence[SpanSig]) -> Optional[SpanSig]:
    """The span itself if still there, else the same-label span overlapping it most (None: deleted)."""
    if span in spans:
        return span
    overlaps = [(min(s[1], span[1]) - max(s[0], span[0]), s) for s in spans if s[2] == span[2]]
    overlaps = [(n, s) for n, s in overlaps if n > 0]
    return max(overlaps)[1] if overlaps else None


def lost_relations(rec: Record, suggested: Sequence[Suggested]) -> List[Lost]:
    """The suggested relations the confirmed version `rec` lost to a redrawn span."""
    spans = [(e.start, e.end, e.label) for e in rec.entities]
    have = {(_span(rec, r.head), _span(rec, r.tail), r.label) for r in rec.relations}
    lost = []
    for s in suggested:
        head, tail = _replacement(s.head, spans), _replacement(s.tail, spans)
        if head is None or tail is None or (head, tail) == (s.head, s.tail) or (head, tail, s.label) in have:
            continue
        lost.append(Lost(s, head, tail))
    return lost


def restore(rec: Record, lost: Sequence[Lost]) -> Tuple[Record, List[Lost]]:
    """The version with the lost relations joined again between the spans that stand for their
    ends, and the ones restored (one whose spans it lacks, or that the guideline would refuse
    there, is left out)."""
    ids = {(e.start, e.end, e.label): e.id for e in rec.entities}
    out, restored = rec, []
    for item in lost:
        if item.head not in ids or item.tail not in ids:
            continue
        rel = Relation(
            max((r.id for r in out.relations), default=0) + 1, ids[item.head], ids[item.tail], item.suggested.label
        )
        candidate = Record(out.text, list(out.entities), [*out.relations, rel], dict(out.meta))
        if parse_record(candidate.to_json(), require_meta=False)[0] is not None:
            out, restored = candidate, [*restored, item]
    return out, restored
