"""Custom attributes the pipeline stores on Docs and Spans, and the one reader of relations.

- doc._.meta: the record's meta (doc_id, para, ...), carried through so output keeps it.
- doc._.rel: relations as [head_ent.start, tail_ent.start, label, score] lists (token indices), in
  the order asserted; holds only asserted relations (gold or predicted). Lists, not tuple-keyed
  dicts, so that Doc.to_bytes / from_bytes (and so nlp.pipe(n_process=...)) round-trip them.
- doc._.doccano_ids: {"entities": [...], "relations": [...]} original Doccano ids, so a corpus file
  converts to Docs and back byte for byte.
- doc._.confidence: the NER's least confident decision in the doc (dangjian_ner).
- span._.value / ._.unit / ._.qualifier: an OUTCOME's normalised quantity.
- span._.score: the NER's confidence in an entity it found (dangjian_ner); None for spans a later
  component made or changed.

Extensions are registered by the code that uses them (register_extensions is idempotent), never
as a side effect of importing the package.
"""

from __future__ import annotations

from typing import List, Tuple

from spacy.tokens import Doc, Span

RelList = List[list]  # [head token, tail token, label, score]
DOC_EXTENSIONS = ("meta", "rel", "doccano_ids", "confidence")
SPAN_EXTENSIONS = ("value", "unit", "qualifier", "score")


def register_extensions() -> None:
    """Register the Doc and Span extensions once."""
    for name in DOC_EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    for name in SPAN_EXTENSIONS:
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)


def add_relation(doc: Doc, head: int, tail: int, label: str, score: float) -> None:
    """Assert a relation between the entities starting at tokens `head` and `tail`."""
    register_extensions()
    if doc._.rel is None:
        doc._.rel = []
    doc._.rel.append([head, tail, label, score])


def clear_relations(doc: Doc) -> None:
    register_extensions()
    doc._.rel = []


def relation_triples(doc: Doc, threshold: float = 0.0) -> List[Tuple[Span, Span, str, float]]:
    """(head span, tail span, label, score) for every relation in doc._.rel whose spans are
    entities of the doc (doc._.rel holds only asserted relations; `threshold` can filter further)."""
    register_extensions()
    ents = {ent.start: ent for ent in doc.ents}
    return [
        (ents[h], ents[t], label, float(score))
        for h, t, label, score in (doc._.rel or [])
        if h in ents and t in ents and score >= threshold
    ]
