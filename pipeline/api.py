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
from collections import deque
from pathlib import Path
from typing import Any, Deque, Dict, Iterable, Iterator, Optional, Tuple, Union

from spacy.language import Language

from .inference import chunks, load_pipeline, saved_pipeline, tag_texts
from .parallel import tag_in_processes
from .paths import project_dir
from .results import TagResult
from .training.train import default_model_is_current, ensure_default_model

PathLike = Union[str, "os.PathLike[str]"]

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
        return saved_pipeline(target, "" if path is not None else " (named by PIPELINE_MODEL)")
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
        _LOADED[key] = load_pipeline(Path(key))
    return _LOADED[key]


# ---------------------------------------------------------------- tagging


def tag(text: str, nlp: Optional[Language] = None) -> TagResult:
    """Tag one text (a paragraph or a whole article)."""
    if not isinstance(text, str):
        raise TypeError(f"tag() takes a str, not {type(text).__name__}")
    return next(tag_many([text], nlp=nlp))


def tag_many(
    texts: Iterable[Any],
    nlp: Optional[Language] = None,
    batch_size: int = 256,
    n_process: int = 1,
    as_tuples: bool = False,
) -> Iterator[Any]:
    """Tag many texts, lazily, in input order: results come while the input is still being read.
    `n_process` > 1 tags in that many worker processes (same results). With `as_tuples`, as in
    spaCy's `nlp.pipe`, the input is (text, context) pairs and the output (result, context) pairs:
    the contexts (a record's meta, a request) wait in this process. Every route runs the same
    inference path (inference.py)."""
    if as_tuples:
        yield from _with_contexts(texts, lambda only: tag_many(only, nlp, batch_size, n_process))
        return
    if isinstance(texts, (str, bytes)):
        raise TypeError("tag_many() takes an iterable of texts, not a single text; use tag() for one")
    for name, value in (("batch_size", batch_size), ("n_process", n_process)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive integer, not {value!r}")
    nlp = nlp or load()
    if n_process > 1:
        yield from tag_in_processes(nlp, chunks(texts, batch_size), n_process, batch_size)
    else:
        yield from tag_texts(nlp, texts, batch_size)


def _with_contexts(pairs: Iterable[Tuple[str, Any]], tag) -> Iterator[Tuple[TagResult, Any]]:
    """(result, context) for (text, context) pairs: the contexts queue while their texts are tagged."""
    if isinstance(pairs, (str, bytes)):
        raise TypeError("tag_many(as_tuples=True) takes (text, context) pairs, not a single text")
    waiting: Deque[Any] = deque()

    def texts() -> Iterator[str]:
        for text, context in pairs:
            waiting.append(context)
            yield text

    for result in tag(texts()):
        yield result, waiting.popleft()
