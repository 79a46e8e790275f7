"""A sharded run: plan or resume (shards.py), hand the unfinished shards to the cluster a few at a
time, and write each shard's output as it comes back (outputs.py). Dask does the scheduling: a
worker lost mid-shard makes the scheduler run that shard again elsewhere; a failure that Dask gives
up on stops the run with the finished shards kept, ready to resume."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional, Sequence, Tuple

from .. import inputs as tag_inputs
from ..corpus.records import Record
from . import outputs
from .cluster import ClusterError, thread_count
from .shards import Manifest, Shard, shard_records
from .worker import ModelLoader, plugin_name, tag_shard

IN_FLIGHT_PER_THREAD = 2  # shards submitted but not written, per worker thread: bounds the client's memory


@dataclass
class RunSummary:
    shards: int
    skipped: int  # finished by an earlier run
    tagged: int = 0
    paragraphs: int = 0
    chars: int = 0
    seconds: float = 0.0
    finished_by: Dict[int, str] = field(default_factory=dict)  # shard id -> address of the worker that tagged it


def load_model_on_workers(client, model: str) -> None:
    """Register the model loader: every worker (and any that joins later) loads the model now. A
    model the workers cannot load is unregistered again, so no later worker tries it."""
    try:
        client.register_plugin(ModelLoader(model), name=plugin_name(model))
    except Exception as err:  # the worker's own exception, re-raised here by Dask
        try:
            client.unregister_worker_plugin(plugin_name(model))
        except Exception:  # not registered anywhere: nothing to take back
            pass
        raise ClusterError(
            f"a Dask worker could not load the model {model}: {err}; nothing was tagged: correct -m and run "
            "the same command again"
        ) from None


def tag_sharded(
    client,
    paths: Sequence[Path],
    outdir: Path,
    manifest: Manifest,
    batch_size: int = 256,
    on_shard: Optional[Callable[[Shard, List[Dict]], None]] = None,
) -> RunSummary:
    """Tag every shard of `manifest` that has no finished output in `outdir`; returns what was done."""
    start = time.perf_counter()
    done = outputs.finished(outdir, manifest)
    todo = [s for s in manifest.shards if s.id not in done]
    summary = RunSummary(shards=len(manifest.shards), skipped=len(done))
    if not todo:
        return summary
    outputs.remove_stale_temps(outdir)
    load_model_on_workers(client, manifest.model)
    feed = shard_records(tag_inputs.records(paths), todo)
    for shard, (rows, address) in _results(client, feed, manifest.model, batch_size):
        outputs.write_shard(outputs.output_path(outdir, shard, manifest.format), rows, manifest.format)
        summary.tagged += 1
        summary.paragraphs += len(rows)
        summary.chars += sum(len(row["text"]) for row in rows)
        summary.finished_by[shard.id] = address
        if on_shard is not None:
            on_shard(shard, rows)
    summary.seconds = time.perf_counter() - start
    return summary


def _results(
    client, feed: Iterator[Tuple[Shard, List[Record]]], model: str, batch_size: int
) -> Iterator[Tuple[Shard, Tuple[List[Dict], str]]]:
    """(shard, task result) as shards finish, in any order, with a bounded number in flight."""
    from distributed import as_completed

    run = uuid.uuid4().hex[:8]
    limit = IN_FLIGHT_PER_THREAD * thread_count(client)
    shards: Dict[object, Shard] = {}
    pending = as_completed()

    def submit_next() -> None:
        item = next(feed, None)
        if item is not None:
            shard, records = item
            texts, metas = [r.text for r in records], [r.meta for r in records]
            key = f"dangjian-{shard.name}-{run}"
            future = client.submit(tag_shard, model, texts, metas, batch_size, key=key, pure=False)
            shards[future] = shard
            pending.add(future)

    for _ in range(limit):
        submit_next()
    try:
        for future in pending:
            shard = shards.pop(future)
            yield shard, _result(future, shard)
            future.release()
            submit_next()
    finally:
        if shards:
            client.cancel(list(shards))


def _result(future, shard: Shard) -> Tuple[List[Dict], str]:
    """The task's result; a failure Dask gave up on names the shard."""
    try:
        return future.result()
    except Exception as err:
        kind = type(err).__name__
        raise ClusterError(
            f"{shard.name} (paragraphs {shard.first}-{shard.first + shard.count - 1}) failed on the cluster "
            f"({kind}: {err}); the finished shards are kept: run the same command again to resume"
        ) from None
