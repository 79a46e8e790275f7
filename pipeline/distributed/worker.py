"""What runs on a Dask worker: the model, loaded once per worker process from a path the worker
can read and then kept (a worker plugin loads it when the worker joins, so later tasks find it in
`pipeline.api`'s per-process cache), and the task that tags one shard."""

from __future__ import annotations

import threading
from typing import Any, Dict, List, Tuple

from distributed import WorkerPlugin, get_worker

# A spaCy pipeline is not thread-safe (memory zones, the tokenizer's state): a worker started with
# several threads tags one shard at a time. Start workers with --nthreads 1 and more processes.
_TAGGING = threading.Lock()


class ModelLoader(WorkerPlugin):
    """Loads the pipeline at `path` on every worker, including workers that join (or restart) later."""

    def __init__(self, path: str) -> None:
        self.path = path

    def setup(self, worker: Any) -> None:
        from ..api import load

        load(self.path, build_if_missing=False)


def plugin_name(path: str) -> str:
    """One plugin per model path: registering it again (a re-run) replaces it and finds the model loaded."""
    return f"dangjian-model:{path}"


def tag_shard(model: str, texts: List[str], metas: List[Dict[str, Any]], batch_size: int) -> Tuple[List[Dict], str]:
    """Tag one shard's texts; returns their Doccano relation records and the worker's address."""
    from ..api import load, tag_many

    nlp = load(model, build_if_missing=False)
    with _TAGGING:
        tagged = tag_many(zip(texts, metas), nlp=nlp, batch_size=batch_size, as_tuples=True)
        rows = [result.to_record(meta).to_json() for result, meta in tagged]
    return rows, get_worker().address
