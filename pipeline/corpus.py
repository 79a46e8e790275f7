"""Doccano relation JSONL: load, validate and write paragraph records.

Two shapes are read. The import shape is what the corpus stores and Doccano imports:
    {"text", "entities": [{id, label, start_offset, end_offset}], "relations": [{id, from_id,
     to_id, type}], "meta": {"doc_id", "para", ...}}
The export shape is what Doccano 1.8 exports: meta keys sit at the top level, "id" is the example's
database id, entity and relation ids are database ids, and a "Comments" list may be present.
Export records are normalised to the import shape (entities renumbered 1..n by offset).

Every problem is reported with the file and line it comes from; nothing is skipped silently.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from .io import PathLike, write_jsonl
from .schema import ENTITY_LABELS, QUOTE_MARKS, RELATION_TYPES, SENTENCE_END, relation_allowed

# Keys of an export record that are not meta.
_EXPORT_RESERVED = {"id", "text", "entities", "relations", "Comments", "label"}


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


def _parse_entities(raw: Any, text: str, out: _Collector) -> List[Entity]:
    ents: List[Entity] = []
    seen_ids = set()
    for e in _objects(raw, "entities", "entity", ("id", "label", "start_offset", "end_offset"), out):
        eid, label, start, end = e["id"], e["label"], e["start_offset"], e["end_offset"]
        where = f"entity id={eid}"
        if not _is_int(eid):
            out.add(f"{where}: id must be an integer")
            continue
        if eid in seen_ids:
            out.add(f"{where}: duplicate entity id")
            continue
        seen_ids.add(eid)
        if label not in ENTITY_LABELS:
            out.add(f"{where}: unknown label {label!r} (allowed: {', '.join(ENTITY_LABELS)})")
            continue
        if not (_is_int(start) and _is_int(end)):
            out.add(f"{where}: offsets must be integers")
            continue
        if start >= end:
            out.add(f"{where}: reversed or empty span [{start}, {end})")
            continue
        if start < 0 or end > len(text):
            out.add(f"{where}: span [{start}, {end}) out of range for a text of {len(text)} chars")
            continue
        surface = text[start:end]
        if surface != surface.strip() or surface[0] in QUOTE_MARKS or surface[-1] in QUOTE_MARKS:
            out.add(f"{where}: span {surface!r} starts or ends with white space or a quotation mark")
            continue
        ents.append(Entity(eid, label, start, end))
    ordered = sorted(ents, key=lambda x: (x.start, x.end))
    for a, b in zip(ordered, ordered[1:]):
        if b.start < a.end:
            out.add(
                f"entities id={a.id} [{a.start}, {a.end}) and id={b.id} [{b.start}, {b.end}) overlap "
                f"({text[a.start:a.end]!r} / {text[b.start:b.end]!r})"
            )
    return ents


def _crosses_sentence(text: str, a: Entity, b: Entity) -> bool:
    lo, hi = min(a.end, b.end), max(a.start, b.start)
    return any(ch in SENTENCE_END for ch in text[lo:hi])


def _parse_relations(raw: Any, text: str, ents: List[Entity], out: _Collector) -> List[Relation]:
    by_id = {e.id: e for e in ents}
    rels: List[Relation] = []
    seen_ids, seen_pairs = set(), set()
    for r in _objects(raw, "relations", "relation", ("id", "from_id", "to_id", "type"), out):
        rid, head, tail, label = r["id"], r["from_id"], r["to_id"], r["type"]
        where = f"relation id={rid}"
        if not _is_int(rid) or rid in seen_ids:
            out.add(f"{where}: id must be a unique integer")
            continue
        seen_ids.add(rid)
        if label not in RELATION_TYPES:
            out.add(f"{where}: unknown type {label!r} (allowed: {', '.join(RELATION_TYPES)})")
            continue
        if head not in by_id or tail not in by_id:
            dangling = [str(x) for x in (head, tail) if x not in by_id]
            out.add(f"{where}: points to entity id {', '.join(dangling)} which does not exist")
            continue
        h, t = by_id[head], by_id[tail]
        if not relation_allowed(label, h.label, t.label):
            out.add(f"{where}: {label} from {h.label} to {t.label} is not allowed by the guideline")
            continue
        if _crosses_sentence(text, h, t):
            out.add(f"{where}: {label} links {text[h.start:h.end]!r} and {text[t.start:t.end]!r} across a sentence end")
            continue
        if (head, tail, label) in seen_pairs:
            out.add(f"{where}: duplicate {label} relation between entities {head} and {tail}")
            continue
        seen_pairs.add((head, tail, label))
        rels.append(Relation(rid, head, tail, label))
    return rels


def _normalise_export(obj: Dict[str, Any]) -> Dict[str, Any]:
    """Turn a Doccano export row into the import shape: meta back under "meta", ids renumbered."""
    meta = {k: v for k, v in obj.items() if k not in _EXPORT_RESERVED}
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
            r = {**r, "id": i, "from_id": new_id.get(r.get("from_id"), r.get("from_id")),
                 "to_id": new_id.get(r.get("to_id"), r.get("to_id"))}
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
    return Record(text=text, entities=ents, relations=rels, meta=meta), []


def iter_jsonl(path: PathLike) -> Iterator[Tuple[int, Any, Optional[str]]]:
    """Yield (line number, decoded object or None, JSON error or None) for each non-blank line."""
    with open(path, "rb") as f:
        for lineno, raw in enumerate(f, 1):
            if raw.endswith(b"\r\n"):
                yield lineno, None, "line ends with CRLF; convert the file to LF line endings"
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as err:
                yield lineno, None, f"not UTF-8 ({err.reason} at byte {err.start})"
                continue
            if not line.strip():
                continue
            try:
                yield lineno, json.loads(line), None
            except json.JSONDecodeError as err:
                yield lineno, None, f"invalid JSON: {err.msg} (column {err.colno})"


def validate_file(path: PathLike, require_meta: bool = True) -> Tuple[List[Record], List[Problem]]:
    """Read and validate every line of a JSONL file; returns (valid records, all problems)."""
    source = str(path)
    records: List[Record] = []
    problems: List[Problem] = []
    lines_of: Dict[Tuple[str, int], int] = {}
    for lineno, obj, error in iter_jsonl(path):
        if error is not None:
            problems.append(Problem(source, lineno, error))
            continue
        rec, errs = parse_record(obj, source, lineno, require_meta=require_meta)
        problems.extend(errs)
        if rec is None:
            continue
        if require_meta:
            if rec.key in lines_of:
                problems.append(Problem(source, lineno, f"duplicate doc_id/para {rec.key} (first on line {lines_of[rec.key]})"))
                continue
            lines_of[rec.key] = lineno
        records.append(rec)
    return records, problems


def read_records(path: PathLike, require_meta: bool = True) -> List[Record]:
    """Load a Doccano relation JSONL file; raise CorpusError listing every problem."""
    if not Path(path).exists():
        raise FileNotFoundError(f"{path}: no such file")
    records, problems = validate_file(path, require_meta=require_meta)
    if problems:
        raise CorpusError(problems)
    return records


def check_records(records: Iterable[Record], source: str = "<records>") -> None:
    """Validate records built in code (e.g. from model output) with the same rules as files."""
    problems: List[Problem] = []
    for i, rec in enumerate(records, 1):
        _, errs = parse_record(rec.to_json(), source, i, require_meta=False)
        problems.extend(errs)
    if problems:
        raise CorpusError(problems)


def write_records(path: PathLike, records: Iterable[Union[Record, Dict[str, Any]]]) -> int:
    """Write records as Doccano relation JSONL, atomically."""
    return write_jsonl(path, (r.to_json() if isinstance(r, Record) else r for r in records))


def doc_ids(records: Iterable[Record]) -> List[str]:
    """Distinct doc_ids in first-seen order."""
    seen: Dict[str, None] = {}
    for r in records:
        seen.setdefault(r.doc_id, None)
    return list(seen)


def merge_records(base: Sequence[Record], updates: Sequence[Record]) -> Tuple[List[Record], Dict[str, int]]:
    """Replace records of `base` by key with `updates`; append new keys. Returns (merged, counts)."""
    by_key = {r.key: r for r in updates}
    merged: List[Record] = []
    counts = {"changed": 0, "unchanged": 0, "added": 0, "kept": 0}
    for rec in base:
        new = by_key.pop(rec.key, None)
        if new is None:
            merged.append(rec)
            counts["kept"] += 1
        elif new.to_json() == rec.to_json():
            merged.append(rec)
            counts["unchanged"] += 1
        else:
            merged.append(new)
            counts["changed"] += 1
    for rec in updates:
        if rec.key in by_key:
            merged.append(rec)
            counts["added"] += 1
    return merged, counts


def paragraphs(text: str) -> List[str]:
    """An article's paragraphs: its non-empty lines, stripped (the corpus's unit of annotation)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def records_from_text(text: str, doc_id: str) -> List[Record]:
    """Unannotated records for an article, one per paragraph, meta doc_id and para."""
    return [Record(text=p, meta={"doc_id": doc_id, "para": i}) for i, p in enumerate(paragraphs(text))]
