"""`dangjian_lac_features`: Baidu LAC's reading of the text (its word classes, PER / LOC / ORG /
TIME, and its word boundaries) as a token feature for the tagger. LAC was trained on far more
Chinese than this corpus: it knows organisation names the corpus never shows.

Each token gets `token.morph` = "Lac=<class of the LAC word it starts in>|LacB=<S B I E X>": the
token is the LAC word (S), starts it (B), lies inside it (I), ends it (E), or runs past its end
(X). tok2vec embeds it when "MORPH" is among its attributes. The component is listed in
[training] annotating_components so training docs get the same features.
"""

import os
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Dict, Iterable, Iterator, List, NamedTuple, Optional, Sequence, Tuple

import numpy
from spacy.attrs import IDX, LENGTH, MORPH
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from ..lac.decode import Span
from ..lac.runner import Batches

NAME = "dangjian_lac_features"
FLAGS = ("S", "B", "I", "E", "X")


@Language.factory(
    NAME,
    default_config={"batch_size": 64, "cache_size": 4096, "threads": 0, "overlap": True},
    assigns=["token.morph"],
)
def make_lac_features(
    nlp: Language, name: str, batch_size: int, cache_size: int, threads: int, overlap: bool
) -> "LacFeatures":
    return LacFeatures(nlp, name, batch_size=batch_size, cache_size=cache_size, threads=threads, overlap=overlap)


def resolve_threads(threads: int, overlap: bool = False) -> int:
    """LAC's ONNX Runtime threads: `threads` if positive; 0 means $OMP_NUM_THREADS if set (Dask's
    nanny and tag_many's worker processes set it to 1), else the CPUs this process may use, at
    most 4, less the one the rest of the pipeline keeps busy when LAC runs beside it (`overlap`)."""
    if threads > 0:
        return threads
    env = os.environ.get("OMP_NUM_THREADS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    cpus = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
    return max(1, min(4, len(cpus)) - int(overlap))


def one_thread_per_process() -> None:
    """Make `threads = 0` mean one thread in this process: for worker processes that share the
    cores (tag_many's n_process workers, cross-validation folds side by side)."""
    os.environ["OMP_NUM_THREADS"] = "1"


class Queued(NamedTuple):
    """Texts given to the background thread, their batches, and the tag paths to come."""

    texts: List[str]
    batches: Batches
    paths: "Future[List[numpy.ndarray]]"


class LacFeatures:
    """Writes LAC's class and boundary of each token to token.morph. LAC runs on whole docs in
    batches; results are cached by text (training repeats the same texts every epoch)."""

    def __init__(
        self,
        nlp: Language,
        name: str = NAME,
        batch_size: int = 64,
        cache_size: int = 4096,
        threads: int = 0,
        overlap: bool = True,
    ):
        from ..lac.runner import LacRunner

        self.name = name
        self.batch_size, self.overlap = batch_size, overlap
        self.runner = LacRunner(threads=resolve_threads(threads, overlap))
        self._cache: "OrderedDict[str, List[Span]]" = OrderedDict()
        self._cache_size = cache_size
        self._queued: Dict[str, Queued] = {}
        self._worker: Optional[Tuple[int, ThreadPoolExecutor]] = None
        morphology = nlp.vocab.morphology  # every value added now, outside any memory zone
        self._keys = {(c, f): morphology.add(f"Lac={c}|LacB={f}") for c in set(self.runner.model.labels) for f in FLAGS}

    def __call__(self, doc: Doc) -> Doc:
        return next(self._annotated([doc], [doc.text]))

    def pipe(self, docs: Iterable[Doc], batch_size: Optional[int] = None) -> Iterator[Doc]:
        """With `overlap`, LAC reads each batch on a background thread (ONNX Runtime releases the
        GIL) while this thread makes the next batch's docs and the later components take the one
        before."""
        previous: Tuple[List[Doc], List[str]] = ([], [])
        for batch in minibatch(docs, size=batch_size or self.batch_size):
            texts = [d.text for d in batch]  # spaCy joins the tokens again on every access
            self._read(texts, background=self.overlap)
            yield from self._annotated(*previous)
            previous = (batch, texts)
        yield from self._annotated(*previous)

    def prefetch(self, texts: Sequence[str]) -> None:
        """Start reading texts that docs will soon be made of (`inference.tag_texts` passes the
        next chunk's paragraphs), on the background thread."""
        if self.overlap:
            self._read(texts, background=True)

    def _read(self, texts: Sequence[str], background: bool) -> None:
        """Queue (or, without `background`, read now) the texts that are neither cached nor queued;
        the cached ones are marked as used, so that the queued ones do not evict them."""
        self._forget_other_processes()
        self._collect()
        missing = []
        for text in dict.fromkeys(texts):
            if text in self._cache:
                self._cache.move_to_end(text)
            elif text not in self._queued:
                missing.append(text)
        if not missing:
            return
        if not background:
            self._store(missing, self.runner.words(missing))
            return
        batches = self.runner.prepare(missing)
        queued = Queued(missing, batches, self._executor().submit(self.runner.run, batches))
        self._queued.update((t, queued) for t in missing)

    def _collect(self) -> None:
        """Move what the background thread has finished into the cache: texts prefetched and
        never asked for do not pile up. A failed batch is dropped: its texts are read again,
        on this thread, if they are asked for."""
        for queued in {id(q): q for q in self._queued.values() if q.paths.done()}.values():
            if queued.paths.exception() is None:
                self._finish(queued)
            else:
                self._unqueue(queued)

    def _executor(self) -> ThreadPoolExecutor:
        """The one background thread of this process."""
        if self._worker is None:
            self._worker = (os.getpid(), ThreadPoolExecutor(max_workers=1, thread_name_prefix=self.name))
        return self._worker[1]

    def _forget_other_processes(self) -> None:
        """A forked worker process inherits neither the thread nor its work: it starts its own."""
        if self._worker is not None and self._worker[0] != os.getpid():
            self._worker = None
            self._queued.clear()

    def _lookup(self, text: str) -> List[Span]:
        """LAC's words of a text that is cached or queued (then waited for)."""
        if text not in self._cache:
            self._finish(self._queued[text])
        return self._cache[text]

    def _finish(self, queued: Queued) -> None:
        """The queued batch's words into the cache, once it is done. If it failed, its texts are
        read again on this thread: an error that persists is raised to this caller, and a batch
        that failed once poisons no later call."""
        self._unqueue(queued)
        if queued.paths.exception() is None:
            self._store(queued.texts, self.runner.finish(queued.batches, queued.paths.result()))
        else:
            self._store(queued.texts, self.runner.words(queued.texts))

    def _unqueue(self, queued: Queued) -> None:
        for text in queued.texts:  # a text is queued once at most (_read)
            self._queued.pop(text, None)

    def _store(self, texts: List[str], words: List[List[Span]]) -> None:
        for text, spans in zip(texts, words):
            self._cache[text] = spans

    def _annotated(self, batch: List[Doc], texts: List[str]) -> Iterator[Doc]:
        """The batch's docs (and their texts) with LAC's features: what was evicted from the cache
        meanwhile is read again, in one go; the cache trimmed after. Only this thread touches the
        cache."""
        self._read(texts, background=False)
        for doc, text in zip(batch, texts):
            self._set(doc, self._lookup(text))
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        yield from batch

    def _set(self, doc: Doc, spans: List[Span]) -> None:
        if not len(doc):
            return
        offsets = doc.to_array([IDX, LENGTH])
        starts = offsets[:, 0].tolist()
        keys = [self._keys[f] for f in token_features(starts, (offsets[:, 0] + offsets[:, 1]).tolist(), spans)]
        doc.from_array([MORPH], numpy.array(keys, dtype="uint64").reshape(-1, 1))


def token_features(starts: Sequence[int], ends: Sequence[int], spans: Sequence[Span]) -> List[Tuple[str, str]]:
    """(LAC class, boundary flag) of each token [start, end) against LAC's words, which cover
    every character of the text in order."""
    out, j = [], 0
    for s, e in zip(starts, ends):
        while j < len(spans) - 1 and spans[j][1] <= s:
            j += 1
        ws, we, label = spans[j] if spans else (s, e, "w")
        if e > we:
            flag = "X"
        elif s == ws:
            flag = "S" if e == we else "B"
        else:
            flag = "E" if e == we else "I"
        out.append((label, flag))
    return out
