"""The one inference path, which `tag_many`, its worker processes and the evaluation all run: texts
are cut into paragraphs (segments), each paragraph is read as the pipeline reads text (reading.py),
`nlp.pipe` tags them in bounded batches, and one converter turns each text's docs into a TagResult
with offsets into the text as given."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator, List, NamedTuple, Optional, Tuple

import spacy
from spacy.lang.zh import ChineseTokenizer
from spacy.language import Language
from spacy.tokens import Doc

from .extensions import register_extensions, relation_triples
from .results import TaggedRelation, TaggedSpan, TagResult
from .text.encoding import check_text
from .text.paragraphs import segments
from .text.reading import Reading, reading
from .tokenization.tokenizer import fix_user_dict_matcher

MAX_SEGMENT = 2000  # characters per Doc; longer paragraphs are cut at sentence ends
MAX_SENTENCE = 400  # characters of one sentence per Doc; a longer one is cut at clause marks
MAX_BATCH_CHARS = 16000  # characters the pipeline's components see at once (besides batch_size texts)
Chunk = Tuple[List[str], List[List[Tuple[int, int]]]]  # texts and their paragraph offsets


class Piece(NamedTuple):
    """One paragraph of a text: where it starts in the text, what the pipeline read, its doc."""

    offset: int
    view: Reading
    doc: Doc


class Tagged(NamedTuple):
    """A text and the docs of its paragraphs."""

    text: str
    pieces: List[Piece]


def saved_pipeline(path: Path, named_by: str = "") -> Path:
    """`path`, resolved, when a trained pipeline is saved there (its config.cfg); else a
    FileNotFoundError that names it (and `named_by`, where the name came from)."""
    if not (Path(path) / "config.cfg").exists():
        raise FileNotFoundError(f"{path}{named_by}: no trained pipeline here (no config.cfg)")
    return Path(path).resolve()


def load_pipeline(path: Path) -> Language:
    """A saved pipeline, ready to tag. One saved with spaCy's own ChineseTokenizer (before
    dangjian.ChineseTokenizer.v1) gets the longest-match user-dictionary matcher it was trained with."""
    nlp = spacy.load(path)
    register_extensions()
    if isinstance(nlp.tokenizer, ChineseTokenizer):
        fix_user_dict_matcher(nlp.tokenizer)
    return nlp


def chunks(texts: Iterable[str], batch_size: int) -> Iterator[Chunk]:
    """Consecutive texts up to `batch_size` paragraphs or MAX_BATCH_CHARS characters (a longer
    text alone), each checked. `tag_texts` reads the input two chunks ahead of the results (the one
    it tags and the next, which LAC starts on), so a caller that stops reading or feeding (the
    service, when a client leaves) costs at most two chunks of work."""
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


def tag_texts(nlp: Language, texts: Iterable[str], batch_size: int) -> Iterator[TagResult]:
    """The results of `texts`, lazily and in order, in this process. The next chunk is read before
    this one is tagged, so that components with a `prefetch` (LAC's features) start on it in the
    background; an error in the next chunk's input is raised after this chunk's results."""
    upcoming = chunks(texts, batch_size)
    chunk = next(upcoming, None)
    while chunk is not None:
        following, failure = _next_chunk(upcoming)
        if following is not None:
            prefetch(nlp, following)
        yield from tag_chunk(nlp, chunk, batch_size)
        if failure is not None:
            raise failure
        chunk = following


def _next_chunk(upcoming: Iterator[Chunk]) -> Tuple[Optional[Chunk], Optional[Exception]]:
    try:
        return next(upcoming, None), None
    except Exception as err:
        return None, err


def prefetch(nlp: Language, chunk: Chunk) -> None:
    """Give the chunk's paragraphs, as the pipeline will read them, to every component that can
    start on texts ahead of their docs."""
    readers = [proc.prefetch for _, proc in nlp.pipeline if hasattr(proc, "prefetch")]
    if readers:
        texts = [view.text for view in readings(chunk)]
        for read in readers:
            read(texts)


def readings(chunk: Chunk) -> List[Reading]:
    """What the pipeline reads of each paragraph of the chunk's texts, in order."""
    texts, segs = chunk
    return [reading(t[a:b]) for t, ss in zip(texts, segs) for a, b in ss]


def tagged_texts(nlp: Language, texts: Iterable[str], batch_size: int = 64) -> List[Tagged]:
    """Every text with its docs, kept (no memory zone): for the evaluation, which scores what
    `tag_texts` gives and decodes the same docs again at other relation thresholds."""
    return [t for chunk in chunks(texts, batch_size) for t in tag_docs(nlp, chunk, batch_size)]


def tag_chunk(nlp: Language, chunk: Chunk, batch_size: int) -> List[TagResult]:
    """The results of one chunk's texts; spaCy's memory zone frees the strings its docs added. An
    error is raised only after the zone has closed: spaCy clears a zone only when its block ends
    normally, and a zone left open breaks every later call on the pipeline."""
    failure: Optional[Exception] = None
    with nlp.memory_zone():
        try:
            results = [to_result(t) for t in tag_docs(nlp, chunk, batch_size)]
        except Exception as err:
            failure = err
    if failure is not None:
        raise failure
    return results


def tag_docs(nlp: Language, chunk: Chunk, batch_size: int) -> List[Tagged]:
    """Each text of the chunk with the docs of its paragraphs, tagged by `nlp.pipe` in batches of
    at most `batch_size` paragraphs and MAX_BATCH_CHARS characters (or one paragraph)."""
    texts, segs = chunk
    views = readings(chunk)
    docs: List[Doc] = []
    for batch in batches([v.text for v in views], batch_size):
        docs.extend(nlp.pipe(batch, batch_size=len(batch)))
    register_extensions()
    pieces = iter(zip(views, docs))
    tagged = []
    for text, ss in zip(texts, segs):
        tagged.append(Tagged(text, [Piece(a, *next(pieces)) for a, _ in ss]))
    return tagged


def batches(texts: List[str], batch_size: int) -> Iterator[List[str]]:
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


def to_result(tagged: Tagged) -> TagResult:
    """The Doc -> result converter: spans and relations of every paragraph, offsets into the whole
    text; the confidence is the least confident NER decision of any paragraph."""
    result = TagResult(text=tagged.text)
    confidences = []
    for offset, view, doc in tagged.pieces:
        ents = doc.ents
        spans = [_span(ent, tagged.text, offset, view) for ent in ents]
        by_token = {ent.start: s for ent, s in zip(ents, spans)}
        for head, tail, label, score in relation_triples(doc):
            result.relations.append(TaggedRelation(by_token[head.start], by_token[tail.start], label, round(score, 4)))
        result.spans.extend(spans)
        if doc._.confidence is not None:
            confidences.append(doc._.confidence)
    result.confidence = round(float(min(confidences)), 4) if confidences else None
    return result


def _span(ent, text: str, offset: int, view: Reading) -> TaggedSpan:
    """An entity of a paragraph's doc as a span of `text`, the whole input."""
    start, end = (offset + i for i in view.span(ent.start_char, ent.end_char))
    score = ent._.score
    return TaggedSpan(
        start,
        end,
        ent.label_,
        text[start:end],
        None if score is None else round(float(score), 4),
        ent._.value,
        ent._.unit,
        ent._.qualifier,
    )
