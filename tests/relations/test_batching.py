"""The relation extractor's batches are bounded by their entities."""

from __future__ import annotations

import pytest
from spacy.tokens import Span

from pipeline.relations.batching import MAX_BATCH_ENTITIES, by_entities


@pytest.mark.parametrize("counts", [[0] * 10, [100] * 10, [250, 100, 400, 1, 1]])
@pytest.mark.parametrize("batch_size", [2, 128])
def test_batches_hold_a_bounded_number_of_entities(char_tokenize, counts, batch_size):
    docs = []
    for n in counts:
        doc = char_tokenize("字" * max(n, 1))
        doc.ents = [Span(doc, i, i + 1, label="OUTCOME") for i in range(n)]
        docs.append(doc)
    groups = list(by_entities(docs, batch_size))
    assert [d for g in groups for d in g] == docs
    assert all(len(g) <= batch_size for g in groups)
    assert all(len(g) == 1 or sum(len(d.ents) for d in g) <= MAX_BATCH_ENTITIES for g in groups)
