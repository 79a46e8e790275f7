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
from typing import Iterable, Iterator, List, Optional, Sequence, Tuple

import numpy
from spacy.attrs import MORPH
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from ..lac.decode import Span

NAME = "dangjian_lac_features"
FLAGS = ("S", "B", "I", "E", "X")


@Language.factory(NAME, default_config={"batch_size": 64, "cache_size": 4096, "threads": 0}, assigns=["token.morph"])
def make_lac_features(nlp: Language, name: str, batch_size: int, cache_size: int, threads: int) -> "LacFeatures":
    return LacFeatures(nlp, name, batch_size=batch_size, cache_size=cache_size, threads=threads)


def resolve_threads(threads: int) -> int:
    """LAC's encoder threads: `threads` if positive; 0 means $OMP_NUM_THREADS if set (Dask's nanny
    and tag_many's worker processes set it to 1), else the CPUs this process may use, at most 4."""
    if threads > 0:
        return threads
    env = os.environ.get("OMP_NUM_THREADS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    cpus = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
    return max(1, min(4, len(cpus)))


def one_thread_per_process() -> None:
    """Make `threads = 0` mean one thread in this process: for worker processes that share the
    cores (tag_many's n_process workers, cross-validation folds side by side)."""
    os.environ["OMP_NUM_THREADS"] = "1"


class LacFeatures:
    """Writes LAC's class and boundary of each token to token.morph. LAC runs on whole docs in
    batches; results are cached by text (training repeats the same texts every epoch)."""

    def __init__(self, nlp: Language, name: str = NAME, batch_size: int = 64, cache_size: int = 4096, threads: int = 0):
        from ..lac.runner import LacRunner

        self.name = name
        self.batch_size = batch_size
        self.runner = LacRunner(threads=resolve_threads(threads))
        self._cache: "OrderedDict[str, List[Span]]" = OrderedDict()
        self._cache_size = cache_size
        morphology = nlp.vocab.morphology  # every value added now, outside any memory zone
        self._keys = {(c, f): morphology.add(f"Lac={c}|LacB={f}") for c in set(self.runner.model.labels) for f in FLAGS}

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: Optional[int] = None) -> Iterator[Doc]:
        for batch in minibatch(docs, size=batch_size or self.batch_size):
            for doc, spans in zip(batch, self._words([d.text for d in batch])):
                self._set(doc, spans)
                yield doc

    def _words(self, texts: Sequence[str]) -> List[List[Span]]:
        """LAC's words of each text, from the cache where possible."""
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        for text, spans in zip(missing, self.runner.words(missing)):
            self._cache[text] = spans
        out = []
        for text in texts:
            self._cache.move_to_end(text)
            out.append(self._cache[text])
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return out

    def _set(self, doc: Doc, spans: List[Span]) -> None:
        if not len(doc):
            return
        starts = doc.to_array("IDX").tolist()
        ends = [s + len(t) for s, t in zip(starts, (t.text for t in doc))]
        keys = [self._keys[f] for f in token_features(starts, ends, spans)]
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
