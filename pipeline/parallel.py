"""Tagging in worker processes (`tag_many(..., n_process=N)`): each worker loads the pipeline once
from disk and runs the same inference path as one process (inference.tag_chunk); chunks of texts
go out in order, at most two per worker in flight, and results come back in input order.

spaCy's own `nlp.pipe(n_process=N)` cannot serve here: its workers are forked (they would inherit
LAC's ONNX Runtime session and the caller's threads, and each would run LAC and BLAS on every core)
and they never open a memory zone, so their string stores grow with the input. These workers are
spawned, run one thread each, and free each chunk's strings."""

from __future__ import annotations

import multiprocessing
import tempfile
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Deque, Iterable, Iterator, List

from spacy.language import Language

from .components.lac_features import one_thread_per_process
from .inference import Chunk, load_pipeline, tag_chunk
from .results import TagResult

_WORKER: dict = {}


def _start_worker(path: str) -> None:
    """Load the pipeline; one BLAS and one LAC thread per worker (N workers on N cores: more
    threads only compete for them)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
    one_thread_per_process()
    _WORKER["nlp"] = load_pipeline(Path(path))


def _tag(chunk: Chunk, batch_size: int) -> List[TagResult]:
    return tag_chunk(_WORKER["nlp"], chunk, batch_size)


@contextmanager
def _saved(nlp: Language) -> Iterator[Path]:
    """The pipeline's directory; one saved for the occasion when it was built in memory."""
    if nlp.path is not None and (Path(nlp.path) / "config.cfg").exists():
        yield Path(nlp.path)
        return
    with tempfile.TemporaryDirectory(prefix="dangjian-pipeline-") as tmp:
        nlp.to_disk(tmp)
        yield Path(tmp)


def tag_in_processes(nlp: Language, chunks: Iterable[Chunk], n_process: int, batch_size: int) -> Iterator[TagResult]:
    """Results of tag_chunk for every chunk, in order, computed by `n_process` workers."""
    context = multiprocessing.get_context("spawn")
    with _saved(nlp) as path:
        with ProcessPoolExecutor(
            n_process, mp_context=context, initializer=_start_worker, initargs=(str(path),)
        ) as pool:
            pending: Deque[Future] = deque()
            for chunk in chunks:
                pending.append(pool.submit(_tag, chunk, batch_size))
                if len(pending) >= 2 * n_process:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
