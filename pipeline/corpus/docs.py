"""Convert corpus records to spaCy Docs and back.

A gold span whose boundary falls inside a pkuseg token cannot be a `doc.ents` entry (spaCy would
drop it with warning W030 and never learn it). `record_to_doc` therefore splits such tokens at the
gold boundaries and reports every span it had to split for (alignment.py), so nothing is lost or
hidden.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable, Iterable, List, Optional, Sequence, Tuple

from spacy.tokens import Doc, DocBin, Span
from spacy.vocab import Vocab

from ..extensions import add_relation, clear_relations, register_extensions, relation_triples
from ..io import atomic_open
from ..text.tokens import split_at
from .alignment import AlignmentReport, alignment
from .records import Entity, Record, Relation

Tokenize = Callable[[str], Doc]


def record_to_doc(record: Record, tokenize: Tokenize) -> Tuple[Doc, AlignmentReport]:
    """Tokenise a record's text, split tokens at gold boundaries, and set ents, rel and meta."""
    register_extensions()
    doc = tokenize(record.text)
    report = alignment(doc, record)
    if report.misaligned:
        split_at(doc, {c for m in report.misaligned for c in (m.start, m.end)})
    ents: List[Span] = []
    token_start = {}
    for ent in record.entities:
        span = doc.char_span(ent.start, ent.end, label=ent.label)
        if span is None:  # cannot happen after split_at; guard against silent loss anyway
            raise ValueError(f"{record.key}: span {record.span_text(ent)!r} does not align after retokenising")
        ents.append(span)
        token_start[ent.id] = span.start
    doc.ents = ents
    clear_relations(doc)
    for r in record.relations:
        add_relation(doc, token_start[r.head], token_start[r.tail], r.label, 1.0)
    doc._.meta = dict(record.meta)
    doc._.doccano_ids = {"entities": [e.id for e in record.entities], "relations": [r.id for r in record.relations]}
    return doc, report


def doc_to_record(doc: Doc, threshold: float = 0.0) -> Record:
    """Turn a Doc (gold or predicted) into a corpus record, keeping original Doccano ids if known.
    doc._.rel already holds only asserted relations; `threshold` can filter further."""
    register_extensions()
    ids = doc._.doccano_ids or {}
    ent_ids = ids.get("entities") or []
    if len(ent_ids) != len(doc.ents) or len(set(ent_ids)) != len(ent_ids):
        ent_ids = list(range(1, len(doc.ents) + 1))
    entities = [Entity(eid, span.label_, span.start_char, span.end_char) for eid, span in zip(ent_ids, doc.ents)]
    id_by_token = {span.start: eid for eid, span in zip(ent_ids, doc.ents)}
    pairs = [(id_by_token[h.start], id_by_token[t.start], label) for h, t, label, _ in relation_triples(doc, threshold)]
    rel_ids = ids.get("relations") or []
    if len(rel_ids) != len(pairs):
        rel_ids = list(range(1, len(pairs) + 1))
    relations = [Relation(rid, h, t, label) for rid, (h, t, label) in zip(rel_ids, pairs)]
    return Record(text=doc.text, entities=entities, relations=relations, meta=dict(doc._.meta or {}))


def records_to_docs(records: Iterable[Record], tokenize: Tokenize) -> Tuple[List[Doc], AlignmentReport]:
    """Convert many records; the report lists every span that needed retokenising."""
    docs: List[Doc] = []
    report = AlignmentReport()
    for rec in records:
        doc, rep = record_to_doc(rec, tokenize)
        docs.append(doc)
        report.add(rep)
    return docs, report


def write_docbin(docs: Sequence[Doc], path: Path) -> None:
    """Save Docs with their user data (meta, relations) as a .spacy file, atomically."""
    db = DocBin(store_user_data=True, docs=docs)
    with atomic_open(path, "wb") as f:
        f.write(db.to_bytes())


def read_docbin(path: Path, vocab: Optional[Vocab] = None) -> List[Doc]:
    db = DocBin(store_user_data=True).from_disk(path)
    return list(db.get_docs(vocab or Vocab()))


def roundtrip(records: Sequence[Record], tokenize: Tokenize) -> str:
    """The records as JSONL after JSONL -> Docs -> JSONL (equal to the file for a valid corpus)."""
    docs, _ = records_to_docs(records, tokenize)
    return "".join(json.dumps(doc_to_record(d).to_json(), ensure_ascii=False) + "\n" for d in docs)
