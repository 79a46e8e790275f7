"""The Python API: load a pipeline and tag text.

    import pipeline
    nlp = pipeline.load()                 # the default model, built if absent
    result = pipeline.tag("市直机关工委以“三航行动”为牵动,共举办活动18场。")
    for span in result.spans: print(span.label, span.text, span.start, span.end, span.value)

Texts may be whole articles: they are cut into paragraphs (lines; very long lines at sentence
ends), tagged, and every offset is relative to the full input text.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple, Union

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .evaluation.confidence import greedy_scores
from .extensions import register_extensions, relation_triples
from .paths import project_dir
from .results import TaggedRelation, TaggedSpan, TagResult
from .schema import SENTENCE_END

PathLike = Union[str, "os.PathLike[str]"]
MAX_SEGMENT = 2000  # characters per Doc; longer paragraphs are cut at sentence ends


# ---------------------------------------------------------------- loading


def default_model_path() -> Path:
    """$PIPELINE_MODEL, else models/default."""
    env = os.environ.get("PIPELINE_MODEL")
    return Path(env) if env else project_dir("models") / "default"


_LOADED: Dict[str, Language] = {}


def load(path: Optional[PathLike] = None, build_if_missing: bool = True) -> Language:
    """Load a trained pipeline (default: the default model, trained first if it is absent)."""
    target = Path(path) if path else default_model_path()
    if not (target / "config.cfg").exists():
        if path is not None and Path(path) != default_model_path():
            raise FileNotFoundError(f"{target}: no trained pipeline here (no config.cfg)")
        if not build_if_missing:
            raise FileNotFoundError(f"{target}: the default model is not built; run `python -m pipeline train`")
        from .training.train import ensure_default_model

        ensure_default_model(target)
    key = str(target.resolve())
    if key not in _LOADED:
        _LOADED[key] = _upgraded(spacy.load(target))
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


# ---------------------------------------------------------------- segmentation

_SENTENCE_END = re.compile(f"(?<=[{re.escape(SENTENCE_END)}])")


def segments(text: str, max_chars: int = MAX_SEGMENT) -> List[Tuple[int, int]]:
    """(start, end) of the paragraphs of `text`: non-empty lines without surrounding white space,
    lines longer than `max_chars` cut at sentence ends (or hard, as a last resort)."""
    out: List[Tuple[int, int]] = []
    for m in re.finditer(r"[^\n]+", text):
        line = m.group()
        lead = len(line) - len(line.lstrip())
        stripped = line.strip()
        if not stripped:
            continue
        start = m.start() + lead
        for a, b in _cut(stripped, max_chars):
            out.append((start + a, start + b))
    return out


def _cut(line: str, max_chars: int) -> List[Tuple[int, int]]:
    if len(line) <= max_chars:
        return [(0, len(line))]
    pieces: List[Tuple[int, int]] = []
    start = 0
    bounds = [m.start() for m in _SENTENCE_END.finditer(line)] + [len(line)]
    last = 0
    for b in bounds:
        if b - start > max_chars and last > start:
            pieces.append((start, last))
            start = last
        while b - start > max_chars:
            pieces.append((start, start + max_chars))
            start += max_chars
        last = b
    if start < len(line):
        pieces.append((start, len(line)))
    return [(a, b) for a, b in pieces if line[a:b].strip()]


# ---------------------------------------------------------------- tagging


def _apply(proc: Any, docs: Iterable[Doc]) -> Iterable[Doc]:
    """Run one component over docs (components without .pipe are called per doc)."""
    return proc.pipe(docs) if hasattr(proc, "pipe") else (proc(d) for d in docs)


def _run(nlp: Language, texts: List[str], batch_size: int, scores: bool) -> Iterator[Tuple[Doc, Dict, Optional[float]]]:
    """Run the pipeline; with `scores`, also score the NER's entities (see pipeline/scores.py)."""
    if not scores or "ner" not in nlp.pipe_names:
        for doc in nlp.pipe(texts, batch_size=batch_size):
            yield doc, {}, None
        return
    names = nlp.pipe_names
    cut = names.index("ner")
    ner = nlp.get_pipe("ner")
    for i in range(0, len(texts), batch_size):
        docs: Iterable[Doc] = (nlp.make_doc(t) for t in texts[i : i + batch_size])
        for name in names[:cut]:
            docs = _apply(nlp.get_pipe(name), docs)
        docs = list(docs)
        scored, best = greedy_scores(ner, [d.copy() for d in docs])
        for name in names[cut:]:
            docs = list(_apply(nlp.get_pipe(name), docs))
        yield from zip(docs, scored, best)


def _spans(doc: Doc, offset: int, scored: Dict) -> List[TaggedSpan]:
    out = []
    for ent in doc.ents:
        score = scored.get((ent.start, ent.end, ent.label_))
        out.append(
            TaggedSpan(
                ent.start_char + offset,
                ent.end_char + offset,
                ent.label_,
                ent.text,
                None if score is None else round(float(score), 4),
                ent._.value,
                ent._.unit,
                ent._.qualifier,
            )
        )
    return out


def tag_many(
    texts: Iterable[str],
    nlp: Optional[Language] = None,
    batch_size: int = 32,
    n_process: int = 1,
    scores: bool = True,
) -> Iterator[TagResult]:
    """Tag many texts; results come in input order. Scores need n_process == 1."""
    nlp = nlp or load()
    texts = list(texts)
    segs = [segments(t) for t in texts]
    flat = [t[a:b] for t, ss in zip(texts, segs) for a, b in ss]
    if n_process > 1:
        runs = ((d, {}, None) for d in nlp.pipe(flat, batch_size=batch_size, n_process=n_process))
    else:
        runs = _run(nlp, flat, batch_size, scores)
    for text, ss in zip(texts, segs):
        result = TagResult(text=text)
        confidences = []
        for (a, _), (doc, scored, best) in zip(ss, runs):
            spans = _spans(doc, a, scored)
            by_token = {ent.start: s for ent, s in zip(doc.ents, spans)}
            for head, tail, label, score in relation_triples(doc):
                result.relations.append(
                    TaggedRelation(by_token[head.start], by_token[tail.start], label, round(score, 4))
                )
            result.spans.extend(spans)
            if best is not None:
                confidences.append(best)
        result.confidence = round(float(min(confidences)), 4) if confidences else None
        yield result


def tag(text: str, nlp: Optional[Language] = None, scores: bool = True) -> TagResult:
    """Tag one text (a paragraph or a whole article)."""
    return next(tag_many([text], nlp=nlp, scores=scores))
