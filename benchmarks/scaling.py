"""Throughput over the same input in one run: one process (tag_many), two processes
(tag_many n_process=2) and a Dask LocalCluster of 2 workers on 127.0.0.1 (the sharded run of
`tag -o OUTDIR --workers 2`), all writing the records `tag -o` writes (no scores).

    python benchmarks/scaling.py [--model models/default] [--min-chars 200000] [--shard-size 200]

Prints chars/s end to end and after start-up (worker processes spawned, the model loaded in
each), and checks that the three give the same records.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from speed import corpus_texts

import pipeline
from pipeline.api import model_path
from pipeline.distributed import outputs
from pipeline.distributed.cluster import connect
from pipeline.distributed.run import load_model_on_workers, tag_sharded
from pipeline.distributed.shards import plan, prepare


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def records(texts, nlp, batch_size, n_process=1):
    results = pipeline.tag_many(texts, nlp=nlp, batch_size=batch_size, n_process=n_process)
    return [r.to_record().to_json() for r in results]


def dask_run(texts, model: str, workers: int, batch_size: int, shard_size: int):
    """(records, seconds to start the cluster and load the model, seconds tagging)."""
    with tempfile.TemporaryDirectory(prefix="dangjian-scaling-") as tmp:
        source = Path(tmp) / "input.jsonl"
        source.write_text("".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in texts), encoding="utf-8")
        outdir = Path(tmp) / "out"
        manifest = prepare(outdir, plan([source], shard_size, "jsonl", model=model))
        start = time.perf_counter()
        with connect(workers=workers) as client:
            load_model_on_workers(client, model)
            startup = time.perf_counter() - start
            _, seconds = timed(lambda: tag_sharded(client, [source], outdir, manifest, batch_size))
        return list(outputs.merged(outdir)), startup, seconds


def report(name: str, n_chars: int, total: float, startup: float = 0.0) -> None:
    after = f"; after {startup:.1f} s start-up {n_chars / (total - startup):8,.0f} chars/s" if startup else ""
    print(f"{name:<28} {n_chars / total:8,.0f} chars/s end to end ({total:.1f} s){after}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None, help="pipeline directory (default models/default)")
    parser.add_argument("--min-chars", type=int, default=200_000)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--shard-size", type=int, default=200, help="paragraphs per Dask shard")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    model = str(model_path(args.model))
    texts, n_chars = corpus_texts(args.min_chars)
    print(f"input: {len(texts)} paragraphs, {n_chars:,} chars; model {model}", flush=True)
    nlp = pipeline.load(model)
    records(texts[:50], nlp, args.batch_size)  # warm up
    one, one_s = timed(lambda: records(texts, nlp, args.batch_size))
    report("1 process", n_chars, one_s)
    _, spawn_s = timed(lambda: records(["预热。"], nlp, args.batch_size, n_process=2))
    two, two_s = timed(lambda: records(texts, nlp, args.batch_size, n_process=2))
    report("2 processes (n_process=2)", n_chars, two_s, spawn_s)
    dask, startup_s, dask_s = dask_run(texts, model, args.workers, args.batch_size, args.shard_size)
    report(f"Dask LocalCluster, {args.workers} workers", n_chars, startup_s + dask_s, startup_s)
    print(f"same records: n_process=2 {two == one}, Dask {dask == one}")


if __name__ == "__main__":
    main()
