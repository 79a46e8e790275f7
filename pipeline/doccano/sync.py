"""Push model suggestions to Doccano and pull confirmed corrections back into the corpus.

Push is idempotent: examples are keyed by meta doc_id + para, and a record whose key is already
in the project is never uploaded again, so a re-run (also after a failure half-way) creates no
duplicates. Records are validated before upload, because Doccano silently drops overlapping spans
and multiplies documents when a relation points at a dropped span.

Pull downloads confirmed examples only, converts the export back to corpus records (meta doc_id
and para restored), validates them, and merges them into the corpus by key in one atomic write:
an interrupted pull leaves the corpus as it was.
"""
from __future__ import annotations

import json
import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from ..corpus import CorpusError, Problem, Record, check_records, merge_records, parse_record, read_records, write_records
from ..schema import ENTITY_LABELS, RELATION_TYPES
from .settings import DoccanoSettings, load_settings

SPAN_COLORS = {"ORG": "#7aecec", "INITIATIVE": "#feca74", "OUTCOME": "#bfe1d9"}
RELATION_COLORS = {"LAUNCHED": "#aa9cfc", "ACHIEVED": "#ff9561"}
PUSH_META = ("model_confidence",)  # meta keys push adds and pull removes
Key = Tuple[str, int]


class DoccanoError(RuntimeError):
    """A Doccano operation failed; the message says what and how to recover."""


def connect(settings: Optional[DoccanoSettings] = None):
    """A logged-in doccano-client, with clear errors for a server that is down or bad credentials."""
    import requests
    from doccano_client import DoccanoClient
    from doccano_client.exceptions import DoccanoAPIError

    settings = settings or load_settings()
    client = DoccanoClient(settings.url)
    try:
        client.login(settings.username, settings.password)
    except requests.exceptions.ConnectionError:
        raise DoccanoError(f"cannot reach a Doccano server at {settings.url} (is it running? `python -m pipeline doccano serve`)") from None
    except DoccanoAPIError as err:
        status = getattr(err.response, "status_code", "?")
        if status in (400, 401, 403):
            raise DoccanoError(f"Doccano at {settings.url} refused the login for user {settings.username!r} (HTTP {status}): check DOCCANO_USERNAME / DOCCANO_PASSWORD") from None
        raise DoccanoError(f"Doccano login failed at {settings.url}: {err}") from None
    return client


def find_project(client, name: str):
    for project in client.list_projects():
        if project.name == name:
            return project
    return None


def ensure_project(client, name: str, guideline: str = ""):
    """Find or create a collaborative, relation-enabled SequenceLabeling project with our labels."""
    project = find_project(client, name)
    if project is None:
        project = client.create_project(
            name=name, project_type="SequenceLabeling", description="ORG, INITIATIVE, OUTCOME and their relations (dangjian pipeline)",
            guideline=guideline, collaborative_annotation=True, allow_overlapping=False, grapheme_mode=False, use_relation=True,
        )
    elif project.project_type != "SequenceLabeling" or not project.use_relation:
        raise DoccanoError(f"project {name!r} exists but is not a relation-enabled SequenceLabeling project")
    have = {t.text for t in client.list_label_types(project.id, "span")}
    for label in ENTITY_LABELS:
        if label not in have:
            client.create_label_type(project.id, "span", label, color=SPAN_COLORS[label])
    have = {t.text for t in client.list_label_types(project.id, "relation")}
    for label in RELATION_TYPES:
        if label not in have:
            client.create_label_type(project.id, "relation", label, color=RELATION_COLORS[label])
    return project


def example_key(meta: Dict[str, Any]) -> Optional[Key]:
    try:
        return (str(meta["doc_id"]), int(meta["para"]))
    except (KeyError, TypeError, ValueError):
        return None


def list_keyed_examples(client, project_id: int) -> Dict[Key, List[Any]]:
    """Examples of the project grouped by (doc_id, para) from their meta."""
    found: Dict[Key, List[Any]] = {}
    for ex in client.list_examples(project_id):
        key = example_key(ex.meta)
        if key is not None:
            found.setdefault(key, []).append(ex)
    return found


# ---------------------------------------------------------------- push


@dataclass
class PushSummary:
    uploaded: int = 0
    skipped_existing: int = 0
    remaining: int = 0
    duplicates_in_project: List[Key] = field(default_factory=list)


def import_rows(records: Sequence[Record], confidences: Optional[Sequence[Optional[float]]] = None) -> List[Dict[str, Any]]:
    """Doccano import rows: text, entities, relations, and meta keys at the top level."""
    rows = []
    for i, rec in enumerate(records):
        row: Dict[str, Any] = rec.to_json()
        meta = row.pop("meta")
        if confidences is not None and confidences[i] is not None:
            meta["model_confidence"] = confidences[i]
        reserved = {"text", "entities", "relations", "id", "label", "Comments"}
        clash = reserved & set(meta)
        if clash:
            raise DoccanoError(f"record {rec.key}: meta key(s) {sorted(clash)} clash with Doccano's own fields")
        row.update(meta)
        rows.append(row)
    return rows


def _check_uploadable(records: Sequence[Record]) -> None:
    problems = []
    for i, rec in enumerate(records, 1):
        if example_key(rec.meta) is None:
            problems.append(Problem("<push input>", i, "meta.doc_id and meta.para are required to push (they key the examples)"))
        if any(v is None for v in rec.meta.values()):
            problems.append(Problem("<push input>", i, "meta values must not be null (Doccano rejects the whole import)"))
    keys = Counter(rec.key for rec in records)
    problems += [Problem("<push input>", 0, f"doc_id/para {k} occurs {n} times") for k, n in keys.items() if n > 1]
    if problems:
        raise CorpusError(problems)
    check_records(records, "<push input>")


def upload(client, project_id: int, rows: Sequence[Dict[str, Any]]) -> None:
    """Bulk-import rows (grouped by meta key set: Doccano needs the same keys in one file)."""
    groups: Dict[Tuple[str, ...], List[Dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    with tempfile.TemporaryDirectory(prefix="doccano-push-") as tmp:
        for n, group in enumerate(groups.values()):
            path = Path(tmp) / f"batch{n}.jsonl"
            path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in group), encoding="utf-8")
            status = client.upload(project_id, [str(path)], task="RelationExtraction", format="JSONL")
            errors = (status.result or {}).get("error") if isinstance(status.result, dict) else None
            if status.error or errors:
                raise DoccanoError(f"Doccano rejected the import: {status.error or errors}")


def push(
    records: Sequence[Record],
    project: str,
    suggest=None,
    limit: Optional[int] = None,
    settings: Optional[DoccanoSettings] = None,
    client=None,
) -> PushSummary:
    """Upload records not yet in the project, with `suggest(records) -> (records, confidences)`
    pre-annotations; with `limit`, only the least confident `limit` records."""
    _check_uploadable(records)
    client = client or connect(settings)
    proj = ensure_project(client, project)
    existing = list_keyed_examples(client, proj.id)
    summary = PushSummary(duplicates_in_project=[k for k, v in existing.items() if len(v) > 1])
    todo = [r for r in records if r.key not in existing]
    summary.skipped_existing = len(records) - len(todo)
    confidences: List[Optional[float]] = [None] * len(todo)
    if suggest is not None and todo:
        todo, confidences = suggest(todo)
        check_records(todo, "<model suggestions>")
    if limit is not None:
        order = sorted(range(len(todo)), key=lambda i: (confidences[i] is None, confidences[i] if confidences[i] is not None else 0.0))
        keep = sorted(order[:limit])
        summary.remaining = len(todo) - len(keep)
        todo, confidences = [todo[i] for i in keep], [confidences[i] for i in keep]
    if todo:
        upload(client, proj.id, import_rows(todo, confidences))
    summary.uploaded = len(todo)
    return summary


def model_suggester(nlp):
    """A `suggest` function for push: tag records with `nlp`, keep their meta, return confidences."""
    from ..api import tag_many

    def suggest(records: Sequence[Record]) -> Tuple[List[Record], List[Optional[float]]]:
        out, conf = [], []
        for rec, result in zip(records, tag_many([r.text for r in records], nlp=nlp)):
            out.append(result.to_record(rec.meta))
            conf.append(result.confidence)
        return out, conf

    return suggest


# ---------------------------------------------------------------- pull


def export_confirmed(client, project_id: int) -> List[Dict[str, Any]]:
    """Rows of Doccano's JSONL export of confirmed examples (collaborative: all.jsonl)."""
    with tempfile.TemporaryDirectory(prefix="doccano-pull-") as tmp:
        path = client.download(project_id, "JSONL", only_approved=True, dir_name=tmp)
        with zipfile.ZipFile(path) as zf:
            names = [n for n in zf.namelist() if n.endswith(".jsonl")]
            if names != ["all.jsonl"]:
                raise DoccanoError(f"unexpected export files {names}: is the project collaborative?")
            text = zf.read("all.jsonl").decode("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def rows_to_records(rows: Iterable[Dict[str, Any]], source: str = "<doccano export>") -> List[Record]:
    """Export rows -> corpus records (meta doc_id, para and the pushed meta, push-only keys removed)."""
    records, problems = [], []
    for i, row in enumerate(rows, 1):
        row = {k: v for k, v in row.items() if k not in PUSH_META}
        rec, errs = parse_record(row, source, i)
        problems.extend(errs)
        if rec is not None:
            records.append(rec)
    keys = Counter(r.key for r in records)
    problems += [Problem(source, 0, f"doc_id/para {k} is confirmed {n} times in the project (duplicate examples)") for k, n in keys.items() if n > 1]
    if problems:
        raise CorpusError(problems)
    return sorted(records, key=lambda r: r.key)


@dataclass
class PullSummary:
    pulled: int
    counts: Dict[str, int]
    new_doc_ids: List[str]


def pull(
    project: str,
    corpus_file: Path,
    output: Optional[Path] = None,
    settings: Optional[DoccanoSettings] = None,
    client=None,
) -> PullSummary:
    """Fetch confirmed examples; write them to `output`, or merge them into `corpus_file` by key."""
    client = client or connect(settings)
    proj = find_project(client, project)
    if proj is None:
        raise DoccanoError(f"no project named {project!r} on the server")
    pulled = rows_to_records(export_confirmed(client, proj.id), f"{project} (Doccano export)")
    if output is not None:
        write_records(output, pulled)
        return PullSummary(len(pulled), {"written": len(pulled)}, [])
    base = read_records(corpus_file) if corpus_file.exists() else []
    merged, counts = merge_records(base, pulled)
    known = {r.doc_id for r in base}
    new_docs = sorted({r.doc_id for r in pulled} - known)
    if counts["changed"] or counts["added"]:
        write_records(corpus_file, merged)
    return PullSummary(len(pulled), counts, new_docs)


# ---------------------------------------------------------------- corrections through the API


@dataclass
class CorrectionSummary:
    examples: int = 0
    spans_deleted: int = 0
    spans_added: int = 0
    relations_deleted: int = 0
    relations_added: int = 0
    confirmed: int = 0


def correct(client, project: str, targets: Sequence[Record], confirm: bool = True) -> CorrectionSummary:
    """Make each example's annotations equal the target record's, one REST call per change, as an
    annotator would in the UI (delete wrong spans, add missing ones, fix relations), then confirm.
    The targets are validated first: nothing is changed if any of them is invalid."""
    check_records(targets, "<corrections>")
    proj = find_project(client, project)
    if proj is None:
        raise DoccanoError(f"no project named {project!r} on the server")
    span_types = {t.id: t.text for t in client.list_label_types(proj.id, "span")}
    rel_types = {t.id: t.text for t in client.list_label_types(proj.id, "relation")}
    span_type_id = {v: k for k, v in span_types.items()}
    rel_type_id = {v: k for k, v in rel_types.items()}
    examples = list_keyed_examples(client, proj.id)
    summary = CorrectionSummary()
    for target in targets:
        found = examples.get(target.key)
        if not found:
            raise DoccanoError(f"{target.key} is not in project {project!r}: push it first")
        ex = found[0]
        if ex.text != target.text:
            raise DoccanoError(f"{target.key}: the example's text differs from the correction's text")
        spans = client.list_spans(proj.id, ex.id)
        rels = client.list_relations(proj.id, ex.id)
        want_spans = {(e.start, e.end, e.label) for e in target.entities}
        span_id: Dict[Tuple[int, int, str], int] = {}
        for s in spans:
            key = (s.start_offset, s.end_offset, span_types[s.label])
            if key in want_spans and key not in span_id:
                span_id[key] = s.id
            else:
                for r in rels:
                    if s.id in (r.from_id, r.to_id):
                        client.delete_relation(proj.id, ex.id, r.id)
                        summary.relations_deleted += 1
                rels = [r for r in rels if s.id not in (r.from_id, r.to_id)]
                client.delete_span(proj.id, ex.id, s.id)
                summary.spans_deleted += 1
        for key in sorted(want_spans - set(span_id)):
            created = client.create_span(proj.id, ex.id, key[0], key[1], span_type_id[key[2]], human_annotated=True)
            span_id[key] = created.id
            summary.spans_added += 1
        by_eid = {e.id: (e.start, e.end, e.label) for e in target.entities}
        want_rels = {(span_id[by_eid[r.head]], span_id[by_eid[r.tail]], r.label) for r in target.relations}
        have_rels = set()
        for r in rels:
            key = (r.from_id, r.to_id, rel_types[r.type])
            if key in want_rels and key not in have_rels:
                have_rels.add(key)
            else:
                client.delete_relation(proj.id, ex.id, r.id)
                summary.relations_deleted += 1
        for head, tail, label in sorted(want_rels - have_rels):
            client.create_relation(proj.id, ex.id, head, tail, rel_type_id[label], human_annotated=True)
            summary.relations_added += 1
        if confirm and not client.find_example_by_id(proj.id, ex.id).is_confirmed:
            client.update_example_state(proj.id, ex.id)  # a toggle: only when not yet confirmed
            summary.confirmed += 1
        summary.examples += 1
    return summary
