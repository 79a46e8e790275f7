"""Relation evaluation with gold entities or with the pipeline's own (end to end), and the
ceiling the predicted entities put on end-to-end recall."""

from __future__ import annotations

from typing import Any, Callable, Dict, List, NamedTuple, Optional, Sequence, Tuple

from spacy.language import Language
from spacy.tokens import Doc

from ..corpus.records import Record
from ..inference import Piece, Tagged, tagged_texts, to_result
from ..relations.candidates import gap
from ..relations.extractor import NAME as REL_NAME
from ..relations.extractor import Scored
from ..schema import RELATION_TYPES
from ..text.reading import Reading
from ..text.tokens import split_at
from .baselines import nearest_head
from .metrics import RelKey, Scores, prf, relation_heads, relation_keys, score_sets

# Characters between head and tail: where the corpus and new articles differ most.
DISTANCE_BUCKETS: Tuple[Tuple[str, int, Optional[int]], ...] = (
    ("0-10", 0, 10),
    ("10-30", 10, 30),
    ("30-60", 30, 60),
    ("60+", 60, None),
)


def _pre_relation_docs(nlp: Language, records: Sequence[Record], gold_entities: bool) -> List[Tagged]:
    """Each record's text with its docs, entities set: the docs users' tagging makes
    (inference.tagged_texts) or, with `gold_entities`, docs through every component before the
    relation extractor but those that set entities, with the gold entities set instead: tokens
    are cut at their edges, so that each is scored as the span it is (not widened to tokens)."""
    if not gold_entities:
        return tagged_texts(nlp, [r.text for r in records])
    names = nlp.pipe_names
    before = names[: names.index(REL_NAME)] if REL_NAME in names else names
    skip = {n for n in before if "doc.ents" in nlp.get_pipe_meta(n).assigns}
    tagged = []
    for rec, doc in zip(
        records, nlp.pipe((r.text for r in records), disable=[n for n in names if n not in before or n in skip])
    ):
        split_at(doc, [offset for e in rec.entities for offset in (e.start, e.end)])
        spans = [doc.char_span(e.start, e.end, label=e.label) for e in rec.entities]
        doc.ents = [s for s in spans if s is not None]
        tagged.append(Tagged(rec.text, [Piece(0, Reading(rec.text), doc)]))
    return tagged


def _docs(tagged: Sequence[Tagged]) -> List[Doc]:
    return [piece.doc for t in tagged for piece in t.pieces]


def relation_scores(nlp: Language, records: Sequence[Record], gold_entities: bool) -> Tuple[List[Tagged], List[Scored]]:
    """The records' texts with their docs (entities set) and the extractor's choices with their
    probabilities, to be decoded at any threshold without running the model again."""
    tagged = _pre_relation_docs(nlp, records, gold_entities)
    return tagged, nlp.get_pipe(REL_NAME).predict(_docs(tagged))


def records_at(nlp: Language, tagged: Sequence[Tagged], scores: List[Scored], threshold: float) -> List[Record]:
    """Records with the relations the extractor asserts at `threshold`, converted as users'
    results are (inference.to_result), in the order of the texts."""
    rel = nlp.get_pipe(REL_NAME)
    old = rel.threshold
    rel.threshold = threshold
    try:
        rel.set_annotations(_docs(tagged), scores)
        return [to_result(t).to_record() for t in tagged]
    finally:
        rel.threshold = old


def evaluate_relations(gold: Sequence[Record], pred: Sequence[Record]) -> Scores:
    return score_sets(relation_keys(gold), relation_keys(pred), list(RELATION_TYPES))


def reachable(gold: Sequence[Record], pred: Sequence[Record]) -> Tuple[int, int]:
    """(gold relations whose head and tail spans were both predicted exactly, all gold relations):
    the recall an end-to-end relation extractor could reach on these entities."""
    found = {(i, e.start, e.end, e.label) for i, r in enumerate(pred) for e in r.entities}
    ok = total = 0
    for i, rec in enumerate(gold):
        by_id = {e.id: e for e in rec.entities}
        for rel in rec.relations:
            h, t = by_id[rel.head], by_id[rel.tail]
            total += 1
            ok += (i, h.start, h.end, h.label) in found and (i, t.start, t.end, t.label) in found
    return ok, total


class _Offsets(NamedTuple):
    start: int
    end: int


def distance_bucket(key: RelKey) -> str:
    """The bucket of a relation by the characters between its head and tail spans."""
    chars = gap(_Offsets(*key[1]), _Offsets(*key[2]))
    return next(name for name, lo, hi in DISTANCE_BUCKETS if chars >= lo and (hi is None or chars < hi))


def relation_breakdown(gold: Sequence[Record], pred: Sequence[Record]) -> Scores:
    """Relation P/R/F overall, per type, per head label ("head ORG") and per distance bucket: the
    rows a design must win against the rule, not only the pooled one."""
    g, p = relation_heads(gold), relation_heads(pred)
    groups: List[Tuple[str, Callable[[RelKey, Dict[RelKey, str]], bool]]] = [("micro", lambda k, _: True)]
    groups += [(label, lambda k, _, label=label: k[-1] == label) for label in RELATION_TYPES]
    groups += [(f"head {label}", lambda k, heads, label=label: heads[k] == label) for label in ("ORG", "INITIATIVE")]
    groups += [(name, lambda k, _, name=name: distance_bucket(k) == name) for name, _, _ in DISTANCE_BUCKETS]
    out = {}
    for name, member in groups:
        gs = {k for k in g if member(k, g)}
        ps = {k for k in p if member(k, p)}
        out[name] = prf(len(gs & ps), len(ps - gs), len(gs - ps))
    return out


def relations_beside_rule(gold: Sequence[Record], predicted: Dict[str, Sequence[Record]]) -> Dict[str, Any]:
    """{setting: {"model": breakdown, "rule": breakdown}}: each setting's predicted relations and
    the nearest-head rule's on the same entities (the gold records' for "gold_entities")."""
    entities = {**predicted, "gold_entities": gold}
    return {
        setting: {
            "model": relation_breakdown(gold, recs),
            "rule": relation_breakdown(gold, [nearest_head(r) for r in entities[setting]]),
        }
        for setting, recs in predicted.items()
    }
