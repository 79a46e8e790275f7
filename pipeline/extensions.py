"""Custom attributes the pipeline stores on Docs (serialised by DocBin with store_user_data=True).

- doc._.meta: the record's meta (doc_id, para, ...), carried through so output keeps it.
- doc._.rel: relations as {(head_ent.start, tail_ent.start): {label: score}} keyed by token index,
  as in explosion's rel_component; holds only the relations that are asserted (gold or predicted).
- doc._.doccano_ids: {"entities": [...], "relations": [...]} original Doccano ids, so a corpus file
  converts to Docs and back byte for byte.
"""
from __future__ import annotations

from typing import Dict, List, Tuple

from spacy.tokens import Doc, Span

RelMap = Dict[Tuple[int, int], Dict[str, float]]


def register_extensions() -> None:
    """Register the Doc extensions once (idempotent)."""
    for name in ("meta", "rel", "doccano_ids"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


def get_rel(doc: Doc) -> RelMap:
    """The doc's relation map, created empty when absent."""
    if doc._.rel is None:
        doc._.rel = {}
    return doc._.rel


def ent_by_start(doc: Doc) -> Dict[int, Span]:
    """Entities keyed by their first token index (entities never overlap)."""
    return {ent.start: ent for ent in doc.ents}


def relation_triples(doc: Doc, threshold: float = 0.0) -> List[Tuple[Span, Span, str, float]]:
    """(head span, tail span, label, score) for every relation in doc._.rel (which holds only the
    relations the extractor asserted at its own threshold); `threshold` can filter further."""
    ents = ent_by_start(doc)
    triples = []
    for (h, t), labels in (doc._.rel or {}).items():
        if h not in ents or t not in ents:
            continue
        for label, score in labels.items():
            if score >= threshold:
                triples.append((ents[h], ents[t], label, float(score)))
    return triples


register_extensions()
