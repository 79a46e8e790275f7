"""Facts of one tagged document: a row per relation and a row per entity in no relation, with the
canonical names of the organisations and initiatives, the outcome's value, unit and qualifier,
and the sentence that states it."""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from typing import Any, Dict, List, Optional, Set, Tuple

from ..corpus.records import Entity
from ..schema import ACHIEVED, INITIATIVE, LAUNCHED, ORG, OUTCOME, SENTENCE_END
from ..text.numbers import Quantity, parse_quantity
from .canonical import Canonical
from .initiatives import resolve_initiatives
from .orgs import resolve_orgs
from .tagged import Document, Paragraph

# Column name -> type ("str", "int", "float"); the order of the columns in every output.
COLUMNS: Dict[str, str] = {
    "doc_id": "str",
    "para": "int",
    "sentence": "int",
    "kind": "str",  # "relation", or "entity" for an entity in no relation
    "relation": "str",
    "head": "str",
    "head_label": "str",
    "head_canonical": "str",
    "head_status": "str",
    "tail": "str",
    "tail_label": "str",
    "tail_canonical": "str",
    "tail_status": "str",
    "launched_by": "str",
    "value": "float",
    "unit": "str",
    "qualifier": "str",
    "score": "float",
    "head_score": "float",
    "tail_score": "float",
    "head_start": "int",
    "head_end": "int",
    "tail_start": "int",
    "tail_end": "int",
    "evidence": "str",
    "source": "str",
}
JOIN = "、"  # between the organisations that launched one initiative
_SENTENCE_END = re.compile(f"[{re.escape(SENTENCE_END)}]")

Key = Tuple[int, int]  # paragraph index in the document, entity id


@lru_cache(maxsize=65536)
def quantity(text: str) -> Quantity:
    """The value, unit and qualifier of an OUTCOME (86.34万元 -> 863400.0, 元, exact)."""
    return parse_quantity(text)


def canonical_names(doc: Document) -> Dict[Key, Canonical]:
    """The canonical name of every ORG and INITIATIVE of the document (OUTCOMEs are as written)."""
    texts = [p.record.text for p in doc.paragraphs]
    by_label: Dict[str, List[Tuple[Key, int, int, str]]] = {ORG: [], INITIATIVE: []}
    for i, para in enumerate(doc.paragraphs):
        for ent in sorted(para.record.entities, key=lambda e: e.start):
            if ent.label in by_label:
                by_label[ent.label].append(((i, ent.id), i, ent.start, para.record.span_text(ent)))
    orgs = by_label[ORG]
    out = dict(zip((k for k, *_ in orgs), resolve_orgs(texts, [(i, s, t) for _, i, s, t in orgs])))
    inits = by_label[INITIATIVE]
    out.update(zip((k for k, *_ in inits), resolve_initiatives([t for *_, t in inits])))
    return out


def _launchers(doc: Document, names: Dict[Key, Canonical]) -> Dict[str, Set[str]]:
    """The canonical organisations that LAUNCHED each canonical initiative in the document."""
    out: Dict[str, Set[str]] = {}
    for i, para in enumerate(doc.paragraphs):
        for rel in para.record.relations:
            if rel.label == LAUNCHED:
                out.setdefault(names[i, rel.tail].name, set()).add(names[i, rel.head].name)
    return out


class _Sentences:
    """Sentence boundaries of one paragraph (a sentence ends at 。！？；)."""

    def __init__(self, text: str):
        self.text = text
        self.ends = [m.end() for m in _SENTENCE_END.finditer(text)]

    def index(self, offset: int) -> int:
        return bisect_right(self.ends, offset)

    def text_of(self, index: int) -> str:
        start = self.ends[index - 1] if index > 0 else 0
        end = self.ends[index] if index < len(self.ends) else len(self.text)
        return self.text[start:end].lstrip("”’」』)）").strip()  # a closing quote ends the sentence before


def _side(prefix: str, para: Paragraph, ent: Optional[Entity], names: Dict[Key, Canonical], i: int) -> Dict[str, Any]:
    """The head_* or tail_* columns of one entity (all None without one)."""
    if ent is None:
        return {f"{prefix}{k}": None for k in ("", "_label", "_canonical", "_status", "_score", "_start", "_end")}
    text = para.record.span_text(ent)
    name = names.get((i, ent.id))
    return {
        prefix: text,
        f"{prefix}_label": ent.label,
        f"{prefix}_canonical": name.name if name else text,
        f"{prefix}_status": name.status if name else None,
        f"{prefix}_score": para.entity_scores.get(ent.id),
        f"{prefix}_start": ent.start,
        f"{prefix}_end": ent.end,
    }


def _row(doc: Document, i: int, head: Entity, tail: Optional[Entity], names, sentences, **extra) -> Dict[str, Any]:
    para = doc.paragraphs[i]
    outcome = tail if tail is not None and tail.label == OUTCOME else head if head.label == OUTCOME else None
    q = quantity(para.record.span_text(outcome)) if outcome is not None else None
    sentence = sentences.index(head.start)
    return {
        "doc_id": doc.doc_id,
        "para": para.record.meta.get("para"),
        "sentence": sentence,
        **_side("head", para, head, names, i),
        **_side("tail", para, tail, names, i),
        "value": q.value if q else None,
        "unit": q.unit if q else None,
        "qualifier": q.qualifier if q else None,
        "evidence": sentences.text_of(sentence),
        "source": para.source,
        **extra,
    }


def document_facts(doc: Document, names: Optional[Dict[Key, Canonical]] = None) -> List[Dict[str, Any]]:
    """The fact rows of one document, paragraph by paragraph, relations first, in COLUMNS order
    (`names`: the document's canonical_names, if already computed)."""
    names = canonical_names(doc) if names is None else names
    launchers = _launchers(doc, names)
    rows = []
    for i, para in enumerate(doc.paragraphs):
        rec, sentences = para.record, _Sentences(para.record.text)
        by_id = {e.id: e for e in rec.entities}
        related = set()
        for rel in rec.relations:
            head, tail = by_id[rel.head], by_id[rel.tail]
            related.update((rel.head, rel.tail))
            by = None
            if rel.label == ACHIEVED and head.label == INITIATIVE:
                by = JOIN.join(sorted(launchers.get(names[i, head.id].name, ()))) or None
            extra = {
                "kind": "relation",
                "relation": rel.label,
                "launched_by": by,
                "score": para.relation_scores.get(rel.id),
            }
            rows.append(_row(doc, i, head, tail, names, sentences, **extra))
        for ent in sorted(rec.entities, key=lambda e: e.start):
            if ent.id not in related:
                extra = {"kind": "entity", "relation": None, "launched_by": None, "score": None}
                rows.append(_row(doc, i, ent, None, names, sentences, **extra))
    return [{c: row[c] for c in COLUMNS} for row in rows]
