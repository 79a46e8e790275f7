"""Totals and rankings of the facts, added up document by document: what the report's charts and
tables show, without keeping the facts themselves."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any, Dict, List, Sequence, Tuple

from ..facts.canonical import RESOLVED, UNRESOLVED
from ..facts.tagged import Document
from ..schema import ACHIEVED, ENTITY_LABELS, INITIATIVE, LAUNCHED, ORG, OUTCOME, RELATION_TYPES


class Summary:
    """Counts over documents: totals, organisations and initiatives by relations, outcomes by
    unit, and outcomes by organisation (directly, or through an initiative it launched)."""

    def __init__(self) -> None:
        self.documents = self.paragraphs = self.facts = 0
        self.entities: Counter = Counter()
        self.relations: Counter = Counter()
        self.org_status: Counter = Counter()
        self.orgs: Dict[str, Counter] = defaultdict(Counter)  # canonical ORG -> relation type -> count
        self.initiatives: Dict[str, Counter] = defaultdict(Counter)
        self.units: Dict[str, List[float]] = defaultdict(lambda: [0, 0.0])  # unit -> [count, sum of values]
        self.org_units: Dict[Tuple[str, str], List[float]] = defaultdict(lambda: [0, 0.0])

    def add(self, doc: Document, rows: Sequence[Dict[str, Any]]) -> None:
        """Count one document and its fact rows."""
        self.documents += 1
        self.paragraphs += len(doc.paragraphs)
        self.facts += len(rows)
        for para in doc.paragraphs:
            self.entities.update(e.label for e in para.record.entities)
            self.relations.update(r.label for r in para.record.relations)
        seen = set()
        for row in rows:
            self._count_names(row, seen)
            if row["kind"] == "relation":
                self._count_relation(row)
            elif row["head_label"] == OUTCOME:
                self._count_outcome(row, ())

    def _count_names(self, row: Dict[str, Any], seen: set) -> None:
        """Count the status of each ORG mention once (a mention may be in several rows)."""
        for side in ("head", "tail"):
            if row[f"{side}_label"] == ORG and (row["para"], row[f"{side}_start"]) not in seen:
                seen.add((row["para"], row[f"{side}_start"]))
                self.org_status[row[f"{side}_status"]] += 1

    @staticmethod
    def name(row: Dict[str, Any], side: str) -> str:
        """The canonical name a chart counts: an unresolved short form (市委) names a different
        organisation in each document, so its document is added (市委 · 038)."""
        name = row[f"{side}_canonical"]
        return f"{name} · {row['doc_id']}" if row[f"{side}_status"] == UNRESOLVED else name

    def _count_relation(self, row: Dict[str, Any]) -> None:
        head, label = self.name(row, "head"), row["relation"]
        if row["head_label"] == ORG:
            self.orgs[head][label] += 1
        if label == LAUNCHED:
            self.initiatives[self.name(row, "tail")][label] += 1
        elif row["head_label"] == INITIATIVE:
            self.initiatives[head][label] += 1
        if label == ACHIEVED:
            orgs = [head] if row["head_label"] == ORG else (row["launched_by"] or "").split("、")
            self._count_outcome(row, [o for o in orgs if o])

    def _count_outcome(self, row: Dict[str, Any], orgs: Sequence[str]) -> None:
        unit, value = row["unit"] or "", row["value"] or 0.0
        for key, table in [(unit, self.units)] + [((org, unit), self.org_units) for org in orgs]:
            table[key][0] += 1
            table[key][1] += value

    def totals(self) -> Dict[str, int]:
        """The headline numbers."""
        org_mentions = sum(self.org_status.values())
        return {
            "documents": self.documents,
            "paragraphs": self.paragraphs,
            "facts": self.facts,
            "relations": sum(self.relations.values()),
            **{f"entities_{label}": self.entities[label] for label in ENTITY_LABELS},
            **{f"relations_{label}": self.relations[label] for label in RELATION_TYPES},
            "org_mentions": org_mentions,
            "org_resolved": self.org_status[RESOLVED],
            "org_unresolved": self.org_status[UNRESOLVED],
            "organisations": len(self.orgs),
            "initiatives": len(self.initiatives),
        }

    def top(self, table: Dict[str, Counter], n: int) -> List[Tuple[str, Dict[str, int]]]:
        """The `n` names with most relations, with their counts by relation type."""
        ranked = sorted(table.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
        return [(name, {t: counts[t] for t in RELATION_TYPES}) for name, counts in ranked[:n]]

    def top_units(self, n: int) -> List[Tuple[str, int, float]]:
        """The `n` units with most outcomes: (unit, outcomes, sum of values)."""
        ranked = sorted(self.units.items(), key=lambda kv: (-kv[1][0], kv[0]))
        return [(unit, int(c), s) for unit, (c, s) in ranked[:n]]

    def top_org_units(self, n: int) -> List[Tuple[str, str, int, float]]:
        """The `n` (organisation, unit) pairs with most outcomes: (org, unit, outcomes, sum)."""
        ranked = sorted(self.org_units.items(), key=lambda kv: (-kv[1][0], kv[0]))
        return [(org, unit, int(c), s) for (org, unit), (c, s) in ranked[:n]]
