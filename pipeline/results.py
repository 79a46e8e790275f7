"""What tagging returns: spans and relations with character offsets into the text passed in."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from .corpus.records import Entity, Record, Relation
from .schema import OUTCOME


@dataclass
class TaggedSpan:
    start: int
    end: int
    label: str
    text: str
    score: Optional[float] = None
    value: Optional[float] = None
    unit: Optional[str] = None
    qualifier: Optional[str] = None

    def to_dict(self) -> Dict[str, Any]:
        d: Dict[str, Any] = {
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "text": self.text,
            "score": self.score,
        }
        if self.label == OUTCOME:
            d.update(value=self.value, unit=self.unit, qualifier=self.qualifier)
        return d


@dataclass
class TaggedRelation:
    head: TaggedSpan
    tail: TaggedSpan
    label: str
    score: Optional[float] = None

    def to_dict(self) -> Dict[str, Any]:
        return {"head": self.head.to_dict(), "tail": self.tail.to_dict(), "label": self.label, "score": self.score}


@dataclass
class TagResult:
    text: str
    spans: List[TaggedSpan] = field(default_factory=list)
    relations: List[TaggedRelation] = field(default_factory=list)
    confidence: Optional[float] = None  # least confident NER decision over the text's paragraphs

    def to_dict(self) -> Dict[str, Any]:
        return {
            "text": self.text,
            "spans": [s.to_dict() for s in self.spans],
            "relations": [r.to_dict() for r in self.relations],
            "confidence": self.confidence,
        }

    def to_record(self, meta: Optional[Dict[str, Any]] = None) -> Record:
        """The result as a Doccano relation record (ids 1..n in offset order)."""
        ids = {id(s): i for i, s in enumerate(self.spans, 1)}
        entities = [Entity(ids[id(s)], s.label, s.start, s.end) for s in self.spans]
        relations = [Relation(i, ids[id(r.head)], ids[id(r.tail)], r.label) for i, r in enumerate(self.relations, 1)]
        return Record(self.text, entities, relations, dict(meta or {}))
