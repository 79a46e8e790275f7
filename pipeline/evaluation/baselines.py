"""The baseline every relation design must beat: the nearest-head rule (relations/candidates.py)
applied to a record's entities."""

from __future__ import annotations

from typing import Dict

from ..corpus.records import Entity, Record, Relation
from ..relations.candidates import Mention, rule_relations


def nearest_head(rec: Record) -> Record:
    """The record with the relations the nearest-head rule asserts between its entities."""
    by_index: Dict[int, Entity] = dict(enumerate(rec.entities))
    mentions = [Mention(e.start, e.end, e.label, i) for i, e in by_index.items()]
    rels = [
        Relation(i, by_index[h.index].id, by_index[t.index].id, label)
        for i, (h, t, label) in enumerate(rule_relations(rec.text, mentions), 1)
    ]
    return Record(rec.text, list(rec.entities), rels, dict(rec.meta))
