"""`tag ... --workers N | --scheduler ADDRESS`: the Dask run of the tag command (progress bar,
resume summary, clear failures); the work itself is pipeline/distributed/."""

from __future__ import annotations

import dataclasses
import time
from contextlib import ExitStack
from pathlib import Path
from typing import List, Optional, Sequence

from ..io import OutputError
from ._util import msg, user_errors


def tag_on_cluster(
    inputs: List[str],
    outdir: Optional[Path],
    model: Optional[Path],
    workers: Optional[int],
    scheduler: Optional[str],
    shard_size: int,
    fmt: str,
    batch_size: int,
    n_process: int,
    timeout: float = 60.0,
) -> None:
    """Check everything, plan or resume the shards in OUTDIR, and tag the unfinished ones."""
    from .. import inputs as tag_inputs
    from ..distributed import cluster, outputs, shards

    with user_errors(), ExitStack() as held:
        _check_options(outdir, workers, scheduler, n_process)
        if scheduler is not None:
            cluster.check_reachable(scheduler, timeout)  # a refused connection: said at once, nothing touched
        paths = tag_inputs.expand(inputs)
        check_outdir(outdir, paths)
        planned = shards.plan(paths, shard_size, fmt)  # every input checked before the model is built or loaded
        new = dataclasses.replace(planned, model=_model_for_cluster(model, scheduler))
        if fmt == "parquet":
            outputs.parquet_module()
        resumed = (outdir / shards.MANIFEST).exists()
        if resumed:  # held before the manifest is read: a run that tagged nothing has it replaced
            held.enter_context(outputs.locked(outdir))
        manifest = shards.prepare(outdir, new)  # refuses another run's OUTDIR before anything is written there
        if not resumed:
            held.enter_context(outputs.locked(outdir))
        elif manifest is new:
            msg.info(f"{outdir} held a run that tagged nothing: started again with model {new.model}")
        if len(outputs.finished(outdir, manifest)) == len(manifest.shards):
            msg.good(f"All {len(manifest.shards)} shard(s) in {outdir} are finished: nothing to tag")
            return
        where = f"the Dask scheduler at {scheduler}" if scheduler else f"a local Dask cluster of {workers} worker(s)"
        msg.info(f"{len(manifest.shards)} shard(s) of up to {shard_size} paragraphs in {outdir}; tagging on {where}")
        try:
            with cluster.connect(workers, scheduler, timeout) as client:
                summary = _run_with_progress(client, paths, outdir, manifest, batch_size)
        except KeyboardInterrupt:
            done = len(outputs.finished(outdir, manifest))
            msg.fail(
                f"Interrupted: {done} of {len(manifest.shards)} shard(s) are finished and kept; run the same command to resume",
                exits=130,
            )
    rate = summary.chars / summary.seconds if summary.seconds else 0.0
    msg.good(
        f"Tagged {summary.tagged} shard(s) ({summary.paragraphs} paragraphs, {rate:,.0f} chars/s) into {outdir}; "
        f"{summary.skipped} shard(s) were already finished"
    )


def _check_options(outdir: Optional[Path], workers: Optional[int], scheduler: Optional[str], n_process: int) -> None:
    if workers is not None and scheduler is not None:
        raise OutputError("give --workers (a local cluster) or --scheduler (an existing one), not both")
    if outdir is None:
        raise OutputError("a Dask run writes one file per shard: name a directory with -o OUTDIR")
    if n_process > 1:
        raise OutputError("--n-process is for one machine; on a Dask cluster the workers are the processes")


def check_outdir(outdir: Path, inputs: Sequence[Path]) -> None:
    """OUTDIR must be a directory (or not exist yet) that holds none of the inputs."""
    if outdir.exists() and not outdir.is_dir():
        raise OutputError(f"{outdir} is a file: a Dask run writes one file per shard into a directory")
    root = outdir.resolve()
    for path in inputs:
        if root in path.resolve().parents:
            raise OutputError(f"{path} is inside the output directory {outdir}: choose another output directory")


def _model_for_cluster(model: Optional[Path], scheduler: Optional[str]) -> str:
    """The model's absolute path, for the workers to load. Checked here when this machine can see it
    (always for a local cluster, which builds the default model if absent); a path only the remote
    workers see is checked by them when they load it."""
    from ..api import model_path

    if model is not None and scheduler is not None and not Path(model).exists():
        return str(Path(model).absolute())
    return str(model_path(model))


def _run_with_progress(client, paths, outdir: Path, manifest, batch_size: int):
    """run.tag_sharded with a progress bar over paragraphs (chars/s, ETA)."""
    from tqdm import tqdm

    from ..distributed import outputs, run

    finished = outputs.finished(outdir, manifest)
    done = sum(s.count for s in manifest.shards if s.id in finished)
    start, chars = time.perf_counter(), [0]
    with tqdm(total=manifest.paragraphs, initial=done, desc="Tagging", unit="para") as bar:

        def on_shard(shard, rows) -> None:
            chars[0] += sum(len(r["text"]) for r in rows)
            bar.update(shard.count)
            bar.set_postfix_str(f"{chars[0] / max(time.perf_counter() - start, 1e-9):,.0f} chars/s", refresh=False)

        return run.tag_sharded(client, paths, outdir, manifest, batch_size, on_shard)
