"""Custom attributes the pipeline stores on Docs and Spans, and the one reader of relations.

- doc._.meta: the record's meta (doc_id, para, ...), carried through so output keeps it.
- doc._.rel: relations as {(head_ent.start, tail_ent.start): {label: score}} keyed by token index,
  as in explosion's rel_component; holds only the relations that are asserted (gold or predicted).
- doc._.doccano_ids: {"entities": [...], "relations": [...]} original Doccano ids, so a corpus file
  converts to Docs and back byte for byte.
- span._.value / ._.unit / ._.qualifier: an OUTCOME's normalised quantity.

Extensions are registered by the code that uses them (register_extensions is idempotent), never
as a side effect of importing the package.
"""

from __future__ import annotations

from typing import Dict, List, Tuple

from spacy.tokens import Doc, Span

RelMap = Dict[Tuple[int, int], Dict[str, float]]
DOC_EXTENSIONS = ("meta", "rel", "doccano_ids")
SPAN_EXTENSIONS = ("value", "unit", "qualifier")


def register_extensions() -> None:
    """Register the Doc and Span extensions once."""
    for name in DOC_EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    for name in SPAN_EXTENSIONS:
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)


def get_rel(doc: Doc) -> RelMap:
    """The doc's relation map, created empty when absent."""
    register_extensions()
    if doc._.rel is None:
        doc._.rel = {}
    return doc._.rel


def relation_triples(doc: Doc, threshold: float = 0.0) -> List[Tuple[Span, Span, str, float]]:
    """(head span, tail span, label, score) for every relation in doc._.rel whose spans are
    entities of the doc (doc._.rel holds only asserted relations; `threshold` can filter further)."""
    register_extensions()
    ents = {ent.start: ent for ent in doc.ents}
    return [
        (ents[h], ents[t], label, float(score))
        for (h, t), labels in (doc._.rel or {}).items()
        if h in ents and t in ents
        for label, score in labels.items()
        if score >= threshold
    ]
