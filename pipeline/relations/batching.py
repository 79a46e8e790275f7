"""Batches of docs bounded by their entities: what the relation extractor holds for a batch (its
candidates and their features) grows with the entities, so a name-dense text must not bring them
all at once."""

from __future__ import annotations

from typing import Iterable, Iterator, List

from spacy.tokens import Doc

MAX_BATCH_ENTITIES = 300  # entities the relation extractor sees at once (or one doc)


def by_entities(docs: Iterable[Doc], batch_size: int, max_entities: int = MAX_BATCH_ENTITIES) -> Iterator[List[Doc]]:
    """Consecutive docs, at most `batch_size` of them with at most `max_entities` entities in all
    (or one doc)."""
    group: List[Doc] = []
    n = 0
    for doc in docs:
        if group and (len(group) >= batch_size or n + len(doc.ents) > max_entities):
            yield group
            group, n = [], 0
        group.append(doc)
        n += len(doc.ents)
    if group:
        yield group
