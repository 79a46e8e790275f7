"""Corrections applied through Doccano's REST API, change by change, as an annotator does in the UI
(offsets sent in the page's UTF-16 units, as the page sends them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Sequence, Tuple

from ..corpus.files import check_records
from ..corpus.records import Record
from .client import DoccanoError, find_project, list_keyed_examples
from .offsets import astral_positions, to_page


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
        astral = astral_positions(target.text)
        page = {
            e.id: (to_page(ex.text, e.start, astral), to_page(ex.text, e.end, astral), e.label) for e in target.entities
        }
        want_spans = set(page.values())
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
        want_rels = {(span_id[page[r.head]], span_id[page[r.tail]], r.label) for r in target.relations}
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
