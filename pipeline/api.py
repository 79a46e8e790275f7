"""The Python API: load a pipeline and tag text.

    import pipeline
    nlp = pipeline.load()                 # the default model, built if absent
    result = pipeline.tag("市直机关工委以“三航行动”为牵动,共举办活动18场。")
    for span in result.spans: print(span.label, span.text, span.start, span.end, span.value)

Texts may be whole articles: they are cut into paragraphs (lines; very long lines at sentence
ends), tagged, and every offset is relative to the full input text. `tag_many` streams: it reads
its input lazily and yields results in input order, with memory bounded by the batch size.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple, Union

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .evaluation.confidence import greedy_scores
from .extensions import register_extensions, relation_triples
from .paths import project_dir
from .results import TaggedRelation, TaggedSpan, TagResult
from .text.encoding import check_text
from .text.paragraphs import segments
from .text.reading import Reading, reading

PathLike = Union[str, "os.PathLike[str]"]
MAX_SEGMENT = 2000  # characters per Doc; longer paragraphs are cut at sentence ends
MAX_SENTENCE = 400  # characters of one sentence per Doc; a longer one is cut at clause marks
MAX_BATCH_CHARS = 16000  # characters the pipeline's components see at once (besides batch_size texts)
MAX_BATCH_ENTITIES = 300  # entities the components after the NER (relations) see at once
Chunk = Tuple[List[str], List[List[Tuple[int, int]]]]  # texts and their paragraph offsets

# ---------------------------------------------------------------- loading


def default_model_path() -> Path:
    """models/default: the one location built on demand."""
    return project_dir("models") / "default"


_LOADED: Dict[str, Language] = {}


def model_path(path: Optional[PathLike] = None, build_if_missing: bool = True) -> Path:
    """The directory of the pipeline `load` would load: `path`, else $PIPELINE_MODEL, else the
    default model (trained first if absent). Lets Dask workers and services load it themselves."""
    named = path if path is not None else os.environ.get("PIPELINE_MODEL") or None
    target = Path(named) if named is not None else default_model_path()
    if named is not None:
        if not (target / "config.cfg").exists():
            where = "" if path is not None else " (named by PIPELINE_MODEL)"
            raise FileNotFoundError(f"{target}{where}: no trained pipeline here (no config.cfg)")
        return target.resolve()
    from .training.train import default_model_is_current, ensure_default_model

    if not default_model_is_current(target):
        if not build_if_missing:
            raise FileNotFoundError(
                f"{target}: the default model is not built or is out of date; run `python -m pipeline train`"
            )
        ensure_default_model(target)
    return target.resolve()


def load(path: Optional[PathLike] = None, build_if_missing: bool = True) -> Language:
    """Load a trained pipeline: `path`, else $PIPELINE_MODEL, else the default model (trained first
    if it is absent). A pipeline the caller names must exist: only the default is ever built.
    Each directory is loaded once per process."""
    key = str(model_path(path, build_if_missing))
    if key not in _LOADED:
        _LOADED[key] = _upgraded(spacy.load(Path(key)))
    return _LOADED[key]


def _upgraded(nlp: Language) -> Language:
    """A pipeline saved with spaCy's own ChineseTokenizer (before dangjian.ChineseTokenizer.v1)
    gets the longest-match user-dictionary matcher it was trained with."""
    from spacy.lang.zh import ChineseTokenizer

    from .tokenization.tokenizer import fix_user_dict_matcher

    register_extensions()
    if isinstance(nlp.tokenizer, ChineseTokenizer):
        fix_user_dict_matcher(nlp.tokenizer)
    return nlp


# ---------------------------------------------------------------- tagging


def tag(text: str, nlp: Optional[Language] = None, scores: bool = True) -> TagResult:
    """Tag one text (a paragraph or a whole article)."""
    if not isinstance(text, str):
        raise TypeError(f"tag() takes a str, not {type(text).__name__}")
    return next(tag_many([text], nlp=nlp, scores=scores))


def tag_many(
    texts: Iterable[str],
    nlp: Optional[Language] = None,
    batch_size: int = 32,
    n_process: int = 1,
    scores: bool = True,
) -> Iterator[TagResult]:
    """Tag many texts, lazily, in input order: results come while the input is still being read.
    `n_process` > 1 tags in that many worker processes (same results, scores included)."""
    if isinstance(texts, (str, bytes)):
        raise TypeError("tag_many() takes an iterable of texts, not a single text; use tag() for one")
    for name, value in (("batch_size", batch_size), ("n_process", n_process)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive integer, not {value!r}")
    nlp = nlp or load()
    chunks = _chunks(texts, batch_size)
    if n_process > 1:
        from .parallel import tag_in_processes

        yield from tag_in_processes(nlp, chunks, n_process, batch_size, scores)
        return
    for chunk in chunks:
        yield from tag_chunk(nlp, chunk, batch_size, scores)


def _chunks(texts: Iterable[str], batch_size: int) -> Iterator[Chunk]:
    """Consecutive texts up to `batch_size` paragraphs or MAX_BATCH_CHARS characters (a longer
    text alone): the input is read a chunk ahead of the results, so a caller that stops reading
    or feeding (the service, when a client leaves) costs at most one chunk of work."""
    chunk: List[str] = []
    segs: List[List[Tuple[int, int]]] = []
    n = chars = 0
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(f"text #{i} is a {type(text).__name__}, not a str")
        check_text(text, f"text #{i}")
        chunk.append(text)
        segs.append(segments(text, MAX_SEGMENT, MAX_SENTENCE))
        n, chars = n + len(segs[-1]), chars + len(text)
        if n >= batch_size or chars >= MAX_BATCH_CHARS:
            yield chunk, segs
            chunk, segs, n, chars = [], [], 0, 0
    if chunk:
        yield chunk, segs


def tag_chunk(nlp: Language, chunk: Chunk, batch_size: int, scores: bool) -> List[TagResult]:
    """Tag the texts of one chunk; spaCy's memory zone frees the strings the docs added. An error
    is raised only after the zone has closed: spaCy clears a zone only when its block ends
    normally, and a zone left open breaks every later call on the pipeline."""
    texts, segs = chunk
    readings = [reading(t[a:b]) for t, ss in zip(texts, segs) for a, b in ss]
    failure: Optional[Exception] = None
    with nlp.memory_zone():
        runs = _run(nlp, [r.text for r in readings], batch_size, scores)
        try:
            views = iter(readings)
            results = [_result(text, ss, views, runs) for text, ss in zip(texts, segs)]
        except Exception as err:
            failure = err
        finally:
            runs.close()
    if failure is not None:
        raise failure
    return results


def _apply(proc: Any, docs: Iterable[Doc]) -> Iterable[Doc]:
    """Run one component over docs (components without .pipe are called per doc)."""
    return proc.pipe(docs) if hasattr(proc, "pipe") else (proc(d) for d in docs)


def _run(nlp: Language, texts: List[str], batch_size: int, scores: bool) -> Iterator[Tuple[Doc, Dict, Optional[float]]]:
    """Run the pipeline component by component on batches of texts (_batches); the components
    after the NER take each batch's docs in groups of at most MAX_BATCH_ENTITIES entities (what
    a relation extractor holds grows with them). With `scores`, also score the NER's entities
    (evaluation/confidence.py)."""
    names = nlp.pipe_names
    cut = names.index("ner") if "ner" in names else len(names)
    ner = nlp.get_pipe("ner") if scores and "ner" in names else None
    for batch in _batches(texts, batch_size):
        docs: Iterable[Doc] = (nlp.make_doc(t) for t in batch)
        for name in names[:cut]:
            docs = _apply(nlp.get_pipe(name), docs)
        docs = list(docs)
        scored, best = greedy_scores(ner, [d.copy() for d in docs]) if ner else ([{}] * len(docs), [None] * len(docs))
        for name in names[cut:]:
            docs = [doc for group in _by_entities(docs) for doc in _apply(nlp.get_pipe(name), group)]
        yield from zip(docs, scored, best)


def _by_entities(docs: List[Doc]) -> Iterator[List[Doc]]:
    """Consecutive docs with at most MAX_BATCH_ENTITIES entities in all (or one doc)."""
    group: List[Doc] = []
    n = 0
    for doc in docs:
        if group and n + len(doc.ents) > MAX_BATCH_ENTITIES:
            yield group
            group, n = [], 0
        group.append(doc)
        n += len(doc.ents)
    if group:
        yield group


def _batches(texts: List[str], batch_size: int) -> Iterator[List[str]]:
    """Consecutive texts, at most `batch_size` of them and MAX_BATCH_CHARS characters (or one
    text): what a component holds at once stays bounded however long the texts are."""
    batch: List[str] = []
    chars = 0
    for text in texts:
        if batch and (len(batch) >= batch_size or chars + len(text) > MAX_BATCH_CHARS):
            yield batch
            batch, chars = [], 0
        batch.append(text)
        chars += len(text)
    if batch:
        yield batch


def _result(
    text: str,
    segs: List[Tuple[int, int]],
    views: Iterator[Reading],
    runs: Iterator[Tuple[Doc, Dict, Optional[float]]],
) -> TagResult:
    """The result for one text from the runs of its paragraphs, offsets into the whole text."""
    result = TagResult(text=text)
    confidences = []
    for (a, _), view, (doc, scored, best) in zip(segs, views, runs):
        spans = _spans(doc, text, a, view, scored)
        by_token = {ent.start: s for ent, s in zip(doc.ents, spans)}
        for head, tail, label, score in relation_triples(doc):
            result.relations.append(TaggedRelation(by_token[head.start], by_token[tail.start], label, round(score, 4)))
        result.spans.extend(spans)
        if best is not None:
            confidences.append(best)
    result.confidence = round(float(min(confidences)), 4) if confidences else None
    return result


def _spans(doc: Doc, text: str, offset: int, view: Reading, scored: Dict) -> List[TaggedSpan]:
    """The doc's entities as spans of `text`, the whole input (the doc read `view` of the paragraph at `offset`)."""
    out = []
    for ent in doc.ents:
        score = scored.get((ent.start, ent.end, ent.label_))
        start, end = (offset + i for i in view.span(ent.start_char, ent.end_char))
        out.append(
            TaggedSpan(
                start,
                end,
                ent.label_,
                text[start:end],
                None if score is None else round(float(score), 4),
                ent._.value,
                ent._.unit,
                ent._.qualifier,
            )
        )
    return out
