"""Validation of Doccano relation JSONL records against the format and ANNOTATION.md.

Two shapes are read. The import shape is what the corpus stores and Doccano imports:
    {"text", "entities": [{id, label, start_offset, end_offset}], "relations": [{id, from_id,
     to_id, type}], "meta": {"doc_id", "para", ...}}
The export shape is what Doccano 1.8 exports: meta keys sit at the top level, "id" is the example's
database id, entity and relation ids are database ids, and a "Comments" list may be present.
Export records are normalised to the import shape (entities renumbered 1..n by offset).
Every problem is reported with the file and line it comes from; nothing is skipped silently.
"""

from __future__ import annotations

from typing import Any, Dict, Iterator, List, Optional, Set, Tuple

from ..schema import ENTITY_LABELS, INVISIBLE, QUOTE_MARKS, RELATION_TYPES, SENTENCE_END, relation_allowed
from .records import DOCCANO_RESERVED_KEYS, Entity, Problem, Record, Relation


class _Collector:
    def __init__(self, source: str, line: int):
        self.source, self.line, self.problems = source, line, []  # type: ignore[var-annotated]

    def add(self, message: str) -> None:
        self.problems.append(Problem(self.source, self.line, message))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _objects(raw: Any, field: str, item: str, keys: Tuple[str, ...], out: _Collector) -> Iterator[Dict[str, Any]]:
    """The items of a list field that are objects with all `keys`; reports the others."""
    if not isinstance(raw, list):
        out.add(f"'{field}' must be a list")
        return
    for i, obj in enumerate(raw):
        if not isinstance(obj, dict):
            out.add(f"{item} #{i} is not an object")
            continue
        missing = [k for k in keys if k not in obj]
        if missing:
            out.add(f"{item} #{i} lacks {', '.join(missing)}")
            continue
        yield obj


def _entity_problem(e: Dict[str, Any], text: str, seen_ids: Set[int]) -> Optional[str]:
    """What is wrong with one entity object (None if nothing)."""
    eid, label, start, end = e["id"], e["label"], e["start_offset"], e["end_offset"]
    if not _is_int(eid):
        return "id must be an integer"
    if eid in seen_ids:
        return "duplicate entity id"
    if label not in ENTITY_LABELS:
        return f"unknown label {label!r} (allowed: {', '.join(ENTITY_LABELS)})"
    if not (_is_int(start) and _is_int(end)):
        return "offsets must be integers"
    if start >= end:
        return f"reversed or empty span [{start}, {end})"
    if start < 0 or end > len(text):
        return f"span [{start}, {end}) out of range for a text of {len(text)} chars"
    surface = text[start:end]
    if surface != surface.strip() or surface[0] in QUOTE_MARKS or surface[-1] in QUOTE_MARKS:
        return f"span {surface!r} starts or ends with white space or a quotation mark"
    if surface[0] in INVISIBLE or surface[-1] in INVISIBLE:
        edge = surface[0] if surface[0] in INVISIBLE else surface[-1]
        return f"span {surface!r} starts or ends with an invisible character (U+{ord(edge):04X})"
    return None


def _parse_entities(raw: Any, text: str, out: _Collector) -> List[Entity]:
    ents: List[Entity] = []
    seen_ids: Set[int] = set()
    for e in _objects(raw, "entities", "entity", ("id", "label", "start_offset", "end_offset"), out):
        problem = _entity_problem(e, text, seen_ids)
        if _is_int(e["id"]):
            seen_ids.add(e["id"])
        if problem:
            out.add(f"entity id={e['id']}: {problem}")
        else:
            ents.append(Entity(e["id"], e["label"], e["start_offset"], e["end_offset"]))
    ordered = sorted(ents, key=lambda x: (x.start, x.end))
    for a, b in zip(ordered, ordered[1:]):
        if b.start < a.end:
            out.add(
                f"entities id={a.id} [{a.start}, {a.end}) and id={b.id} [{b.start}, {b.end}) overlap "
                f"({text[a.start : a.end]!r} / {text[b.start : b.end]!r})"
            )
    return ents


def _crosses_sentence(text: str, a: Entity, b: Entity) -> bool:
    lo, hi = min(a.end, b.end), max(a.start, b.start)
    return any(ch in SENTENCE_END for ch in text[lo:hi])


def _relation_problem(
    r: Dict[str, Any], text: str, by_id: Dict[int, Entity], seen_ids: Set[int], seen: Set
) -> Optional[str]:
    """What is wrong with one relation object (None if nothing)."""
    rid, head, tail, label = r["id"], r["from_id"], r["to_id"], r["type"]
    if not _is_int(rid) or rid in seen_ids:
        return "id must be a unique integer"
    if label not in RELATION_TYPES:
        return f"unknown type {label!r} (allowed: {', '.join(RELATION_TYPES)})"
    if head not in by_id or tail not in by_id:
        dangling = [str(x) for x in (head, tail) if x not in by_id]
        return f"points to entity id {', '.join(dangling)} which does not exist"
    h, t = by_id[head], by_id[tail]
    if not relation_allowed(label, h.label, t.label):
        return f"{label} from {h.label} to {t.label} is not allowed by the guideline"
    if _crosses_sentence(text, h, t):
        return f"{label} links {text[h.start : h.end]!r} and {text[t.start : t.end]!r} across a sentence end"
    if (head, tail, label) in seen:
        return f"duplicate {label} relation between entities {head} and {tail}"
    return None


def _parse_relations(raw: Any, text: str, ents: List[Entity], out: _Collector) -> List[Relation]:
    by_id = {e.id: e for e in ents}
    rels: List[Relation] = []
    seen_ids: Set[int] = set()
    seen: Set = set()
    for r in _objects(raw, "relations", "relation", ("id", "from_id", "to_id", "type"), out):
        problem = _relation_problem(r, text, by_id, seen_ids, seen)
        if _is_int(r["id"]):
            seen_ids.add(r["id"])
        if problem:
            out.add(f"relation id={r['id']}: {problem}")
            continue
        seen.add((r["from_id"], r["to_id"], r["type"]))
        rels.append(Relation(r["id"], r["from_id"], r["to_id"], r["type"]))
    return rels


def _normalise_export(obj: Dict[str, Any]) -> Dict[str, Any]:
    """Turn a Doccano export row into the import shape: meta back under "meta", ids renumbered."""
    meta = {k: v for k, v in obj.items() if k not in DOCCANO_RESERVED_KEYS}
    entities = obj.get("entities", [])
    relations = obj.get("relations", [])
    if not isinstance(entities, list) or not isinstance(relations, list):
        return {"text": obj.get("text"), "entities": entities, "relations": relations, "meta": meta}
    valid = [e for e in entities if isinstance(e, dict) and _is_int(e.get("start_offset"))]
    ordered = sorted(valid, key=lambda e: (e["start_offset"], e.get("end_offset", 0)))
    new_id = {e.get("id"): i for i, e in enumerate(ordered, 1)}
    new_entities = [{**e, "id": new_id[e.get("id")]} for e in ordered]
    new_entities += [e for e in entities if e not in valid]  # left for the validator to report
    new_relations = []
    for i, r in enumerate(relations, 1):
        if isinstance(r, dict):
            r = {
                **r,
                "id": i,
                "from_id": new_id.get(r.get("from_id"), r.get("from_id")),
                "to_id": new_id.get(r.get("to_id"), r.get("to_id")),
            }
        new_relations.append(r)
    return {"text": obj.get("text"), "entities": new_entities, "relations": new_relations, "meta": meta}


def parse_record(
    obj: Any, source: str = "<record>", line: int = 0, require_meta: bool = True
) -> Tuple[Optional[Record], List[Problem]]:
    """Validate one decoded JSON object; returns (record or None, problems)."""
    out = _Collector(source, line)
    if not isinstance(obj, dict):
        out.add("a record must be a JSON object")
        return None, out.problems
    if "meta" not in obj and ("doc_id" in obj or "Comments" in obj):
        obj = _normalise_export(obj)
    text = obj.get("text")
    if not isinstance(text, str):
        out.add("missing 'text'" if text is None else "'text' must be a string")
        return None, out.problems
    if not text.strip():
        out.add("'text' is empty")
    if "\r" in text:
        out.add("'text' contains a carriage return (CRLF line ending); convert the file to LF")
    meta = obj.get("meta", {})
    if not isinstance(meta, dict):
        out.add("'meta' must be an object")
        meta = {}
    if require_meta:
        if not isinstance(meta.get("doc_id"), str) or not meta.get("doc_id"):
            out.add("meta.doc_id must be a non-empty string")
        if not _is_int(meta.get("para")) or meta.get("para", -1) < 0:
            out.add("meta.para must be a non-negative integer")
    ents = _parse_entities(obj.get("entities", []), text, out)
    rels = _parse_relations(obj.get("relations", []), text, ents, out)
    if out.problems:
        return None, out.problems
    return Record(text=text, entities=ents, relations=rels, meta=meta, line=line or None), []
