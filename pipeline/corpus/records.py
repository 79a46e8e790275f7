"""Corpus records: one paragraph with its entities and relations, as one line of Doccano's
relation JSONL, and the problems validation reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple

# Keys of a Doccano row that are Doccano's own fields, never meta (an export puts meta keys at the
# top level beside them; an import row must not use them as meta keys).
DOCCANO_RESERVED_KEYS = frozenset({"id", "text", "entities", "relations", "Comments", "label"})


@dataclass(frozen=True)
class Entity:
    id: int
    label: str
    start: int
    end: int

    def to_json(self) -> Dict[str, Any]:
        return {"id": self.id, "label": self.label, "start_offset": self.start, "end_offset": self.end}


@dataclass(frozen=True)
class Relation:
    id: int
    head: int  # entity id (Doccano from_id)
    tail: int  # entity id (Doccano to_id)
    label: str  # Doccano type

    def to_json(self) -> Dict[str, Any]:
        return {"id": self.id, "from_id": self.head, "to_id": self.tail, "type": self.label}


@dataclass
class Record:
    """One paragraph with its annotations, as one line of Doccano relation JSONL."""

    text: str
    entities: List[Entity] = field(default_factory=list)
    relations: List[Relation] = field(default_factory=list)
    meta: Dict[str, Any] = field(default_factory=dict)
    line: Optional[int] = field(default=None, compare=False, repr=False)  # where it was read from, if known

    @property
    def key(self) -> Tuple[str, int]:
        """(doc_id, para): how records are matched across the corpus and Doccano."""
        return (str(self.meta.get("doc_id")), int(self.meta.get("para", -1)))

    @property
    def doc_id(self) -> str:
        return str(self.meta.get("doc_id"))

    def entity(self, entity_id: int) -> Entity:
        for ent in self.entities:
            if ent.id == entity_id:
                return ent
        raise KeyError(entity_id)

    def span_text(self, ent: Entity) -> str:
        return self.text[ent.start : ent.end]

    def to_json(self) -> Dict[str, Any]:
        return {
            "text": self.text,
            "entities": [e.to_json() for e in self.entities],
            "relations": [r.to_json() for r in self.relations],
            "meta": dict(self.meta),
        }


@dataclass(frozen=True)
class Problem:
    """A validation problem and where it is."""

    source: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.message}"


class CorpusError(ValueError):
    """Raised when input records are invalid; lists every problem with file and line."""

    def __init__(self, problems: Sequence[Problem], limit: int = 30):
        self.problems = list(problems)
        shown = "\n".join(f"  {p}" for p in self.problems[:limit])
        more = len(self.problems) - limit
        tail = f"\n  ... and {more} more" if more > 0 else ""
        super().__init__(f"{len(self.problems)} invalid record(s):\n{shown}{tail}")
