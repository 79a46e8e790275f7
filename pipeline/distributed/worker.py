"""What runs on a Dask worker: the model, loaded once per worker process from a path the worker
can read and then kept (a worker plugin loads it when the worker joins, so later tasks find it in
the per-process cache), and the task that tags one shard: the inference path of `tag_many`."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Dict, List, Tuple

from distributed import WorkerPlugin, get_worker
from spacy.language import Language

from ..inference import load_pipeline, saved_pipeline, tag_texts

# A spaCy pipeline is not thread-safe (memory zones, the tokenizer's state): a worker started with
# several threads tags one shard at a time. Start workers with --nthreads 1 and more processes.
_TAGGING = threading.Lock()
_LOADED: Dict[str, Language] = {}


def load(path: str) -> Language:
    """The pipeline at `path`, loaded once per worker process (a missing one is said by its path)."""
    if path not in _LOADED:
        _LOADED[path] = load_pipeline(saved_pipeline(Path(path)))
    return _LOADED[path]


class ModelLoader(WorkerPlugin):
    """Loads the pipeline at `path` on every worker, including workers that join (or restart) later."""

    def __init__(self, path: str) -> None:
        self.path = path

    def setup(self, worker: Any) -> None:
        load(self.path)


def plugin_name(path: str) -> str:
    """One plugin per model path: registering it again (a re-run) replaces it and finds the model loaded."""
    return f"dangjian-model:{path}"


def tag_shard(model: str, texts: List[str], metas: List[Dict[str, Any]], batch_size: int) -> Tuple[List[Dict], str]:
    """Tag one shard's texts; returns their Doccano relation records and the worker's address."""
    nlp = load(model)
    with _TAGGING:
        results = tag_texts(nlp, texts, batch_size)
        rows = [result.to_record(meta).to_json() for result, meta in zip(results, metas)]
    return rows, get_worker().address
