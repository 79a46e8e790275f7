"""The tagging path before the NER scored its own decisions (git show 66c1ea1:pipeline/api.py and
pipeline/evaluation/confidence.py), kept as the oracle of tests/test_inference.py: the pipeline's
components run one by one, and the NER's greedy decoding is replayed in Python for the scores.
One fix: a score is found by the entity's characters, not its token indices, which a component
after the NER shifts when it splits a token (the old path then lost the scores of the later
entities of that paragraph: 1 paragraph of the corpus's 609)."""

from __future__ import annotations

from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

import numpy
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.extensions import relation_triples
from pipeline.inference import MAX_SEGMENT, MAX_SENTENCE, batches
from pipeline.relations.batching import by_entities
from pipeline.results import TaggedRelation, TaggedSpan, TagResult
from pipeline.text.paragraphs import segments
from pipeline.text.reading import reading

SpanScores = Dict[Tuple[int, int, str], float]


def old_tag_many(nlp: Language, texts: List[str], batch_size: int = 32) -> List[TagResult]:
    """What tag_many gave before (texts in chunks of `batch_size`; no memory zone: a test's input is small)."""
    out: List[TagResult] = []
    for i in range(0, len(texts), batch_size):
        chunk = texts[i : i + batch_size]
        segs = [segments(t, MAX_SEGMENT, MAX_SENTENCE) for t in chunk]
        views = [reading(t[a:b]) for t, ss in zip(chunk, segs) for a, b in ss]
        runs = _run(nlp, [v.text for v in views], batch_size)
        it = iter(views)
        out.extend(_result(text, ss, it, runs) for text, ss in zip(chunk, segs))
    return out


def _apply(proc, docs: Iterable[Doc]) -> Iterable[Doc]:
    return proc.pipe(docs) if hasattr(proc, "pipe") else (proc(d) for d in docs)


def _run(nlp: Language, texts: List[str], batch_size: int) -> Iterator[Tuple[Doc, Dict, Optional[float]]]:
    names = nlp.pipe_names
    cut = names.index("ner")
    ner = nlp.get_pipe("ner")
    for batch in batches(texts, batch_size):
        docs: Iterable[Doc] = (nlp.make_doc(t) for t in batch)
        for name in names[:cut]:
            docs = _apply(nlp.get_pipe(name), docs)
        docs = list(docs)
        copies = [d.copy() for d in docs]
        scored, best = greedy_scores(ner, copies)
        scored = [
            {(d[s].idx, d[e - 1].idx + len(d[e - 1]), lab): p for (s, e, lab), p in sc.items()}
            for d, sc in zip(copies, scored)
        ]
        for name in names[cut:]:
            docs = [doc for group in by_entities(docs, len(docs)) for doc in _apply(nlp.get_pipe(name), group)]
        yield from zip(docs, scored, best)


def _result(text, segs, views, runs) -> TagResult:
    result = TagResult(text=text)
    confidences = []
    for (a, _), view, (doc, scored, best) in zip(segs, views, runs):
        spans = []
        for ent in doc.ents:
            score = scored.get((ent.start_char, ent.end_char, ent.label_))
            start, end = (a + i for i in view.span(ent.start_char, ent.end_char))
            spans.append(
                TaggedSpan(
                    start, end, ent.label_, text[start:end],
                    None if score is None else round(float(score), 4),
                    ent._.value, ent._.unit, ent._.qualifier,
                )
            )  # fmt: skip
        by_token = {ent.start: s for ent, s in zip(doc.ents, spans)}
        for head, tail, label, score in relation_triples(doc):
            result.relations.append(TaggedRelation(by_token[head.start], by_token[tail.start], label, round(score, 4)))
        result.spans.extend(spans)
        confidences.append(best)
    result.confidence = round(float(min(confidences)), 4) if confidences else None
    return result


def greedy_scores(ner, docs: Sequence[Doc]) -> Tuple[List[SpanScores], List[float]]:
    """The Python replay of the NER's greedy decoding, keeping each chosen action's probability."""
    moves = ner.moves
    names = [moves.get_class_name(i) for i in range(moves.n_moves)]
    states = moves.init_batch(list(docs))
    model = ner.model.predict(list(docs))
    decisions: List[List[Tuple[int, str, float]]] = [[] for _ in docs]
    active = [(k, s) for k, s in enumerate(states) if not s.is_final()]
    while active:
        scores = model.predict([s for _, s in active])
        for (k, state), row in zip(active, scores):
            valid = numpy.array([moves.is_valid(state, n) for n in names])
            probs = _softmax(numpy.where(valid, row, -numpy.inf))
            best = int(probs.argmax())
            decisions[k].append((state.B(0), names[best], float(probs[best])))
            moves.apply_transition(state, names[best])
        active = [(k, s) for k, s in active if not s.is_final()]
    model.clear_memory()
    return [_spans(d) for d in decisions], [min((p for _, _, p in d), default=1.0) for d in decisions]


def _softmax(row: numpy.ndarray) -> numpy.ndarray:
    e = numpy.exp(row - row.max())
    return e / e.sum()


def _spans(decisions: List[Tuple[int, str, float]]) -> SpanScores:
    out: SpanScores = {}
    start, prob = None, 1.0
    for tok, name, p in decisions:
        action, _, label = name.partition("-")
        if action == "U":
            out[(tok, tok + 1, label)] = p
        elif action == "B":
            start, prob = tok, p
        elif action == "I" and start is not None:
            prob *= p
        elif action == "L" and start is not None:
            out[(start, tok + 1, label)] = prob * p
            start = None
    return out
