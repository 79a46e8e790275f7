"""Sharded tagging on a real Dask LocalCluster (2 worker processes on 127.0.0.1) with a real
(briefly trained) pipeline: the same output as one process, resumes, and a worker killed mid-shard."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest
from distributed import WorkerPlugin
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.distributed import outputs
from pipeline.distributed.cluster import ClusterError, connect
from pipeline.distributed.run import tag_sharded
from pipeline.distributed.shards import plan, prepare

pytestmark = [pytest.mark.integration, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]
ARTICLES = ROOT / "corpus" / "raw" / "articles"
SHARD_SIZE = 16
runner = CliRunner()


@pytest.fixture(scope="module")
def client(tiny_model):
    with connect(workers=2) as client:
        yield client


@pytest.fixture(scope="module")
def inputs():
    return sorted(ARTICLES.glob("*.txt"))[:12]


@pytest.fixture(scope="module")
def single_process(tiny_model, inputs, tmp_path_factory) -> bytes:
    """What `tag INPUTS -o FILE` writes in one process."""
    out = tmp_path_factory.mktemp("single") / "all.jsonl"
    result = runner.invoke(app, ["tag", *map(str, inputs), "-m", str(tiny_model), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def _run(client, inputs, outdir, model, fmt="jsonl"):
    manifest = prepare(outdir, plan(inputs, SHARD_SIZE, fmt, model=str(model)))
    return manifest, tag_sharded(client, inputs, outdir, manifest, batch_size=8)


def _concatenated(outdir: Path, manifest) -> bytes:
    return b"".join(outputs.output_path(outdir, s, "jsonl").read_bytes() for s in manifest.shards)


def test_two_workers_write_what_one_process_writes(client, tiny_model, inputs, single_process, tmp_path):
    manifest, summary = _run(client, inputs, tmp_path / "out", tiny_model)
    assert len(manifest.shards) > 4 and summary.tagged == len(manifest.shards) and summary.skipped == 0
    assert len(set(summary.finished_by.values())) == 2  # both workers tagged shards
    assert _concatenated(tmp_path / "out", manifest) == single_process


def test_parquet_output_holds_the_same_records(client, tiny_model, inputs, tmp_path):
    import json

    jsonl, _ = _run(client, inputs[:3], tmp_path / "j", tiny_model)
    _run(client, inputs[:3], tmp_path / "p", tiny_model, fmt="parquet")
    assert list(outputs.merged(tmp_path / "p")) == [
        json.loads(x) for x in _concatenated(tmp_path / "j", jsonl).splitlines()
    ]


def test_a_rerun_redoes_only_unfinished_shards(client, tiny_model, inputs, single_process, tmp_path):
    out = tmp_path / "out"
    manifest, _ = _run(client, inputs, out, tiny_model)
    lost = outputs.output_path(out, manifest.shards[2], "jsonl")
    lost.unlink()  # as if the run had stopped before shard 2 was written
    (out / ".shard-00002.jsonl.x1y2.tmp").write_text("half-written", encoding="utf-8")
    kept = {p: p.stat().st_mtime_ns for p in out.glob("shard-*.jsonl")}
    _, again = _run(client, inputs, out, tiny_model)
    assert (again.tagged, again.skipped, set(again.finished_by)) == (1, len(manifest.shards) - 1, {2})
    assert {p: p.stat().st_mtime_ns for p in kept} == kept
    assert not list(out.glob(".*.tmp")) and _concatenated(out, manifest) == single_process
    _, third = _run(client, inputs, out, tiny_model)
    assert (third.tagged, third.skipped) == (0, len(manifest.shards))


class StallOnce(WorkerPlugin):
    """Test-only worker plugin: the first worker to start `shard` records its PID and address in
    `marks` and stalls, so the test can kill it mid-shard; later attempts run normally."""

    def __init__(self, shard: str, marks: str) -> None:
        self.shard, self.marks = shard, marks

    def setup(self, worker) -> None:
        self.address = worker.address

    def transition(self, key, start, finish, **kwargs) -> None:
        mark = Path(self.marks) / "stalled"
        if finish == "executing" and self.shard in str(key) and not mark.exists():
            mark.write_text(f"{os.getpid()} {self.address}", encoding="utf-8")
            time.sleep(60)


def test_a_killed_workers_shard_is_redone(client, tiny_model, inputs, single_process, tmp_path):
    client.register_plugin(StallOnce("shard-00003", str(tmp_path)), name="stall-once")
    result = {}
    runner_thread = threading.Thread(
        target=lambda: result.update(run=_run(client, inputs, tmp_path / "out", tiny_model))
    )
    runner_thread.start()
    mark = tmp_path / "stalled"
    deadline = time.monotonic() + 120
    while not mark.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.1)  # the mark is written in one call; let it land
    pid, address = mark.read_text(encoding="utf-8").split()
    os.kill(int(pid), signal.SIGKILL)  # a worker process this test's cluster started
    runner_thread.join(180)
    client.unregister_worker_plugin("stall-once")
    manifest, summary = result["run"]
    assert summary.tagged == len(manifest.shards)
    assert summary.finished_by[3] != address  # redone by another (or the restarted) worker
    assert _concatenated(tmp_path / "out", manifest) == single_process


def test_cli_tags_on_a_local_cluster_and_resumes(tiny_model, inputs, single_process, tmp_path):
    out = tmp_path / "out"
    args = ["tag", *map(str, inputs), "-m", str(tiny_model), "-o", str(out), "--workers", "1", "--shard-size", "40"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "0 shard(s) were already finished" in first.output
    assert b"".join(p.read_bytes() for p in sorted(out.glob("shard-*.jsonl"))) == single_process
    again = runner.invoke(app, args)  # finished: no cluster is even started
    assert again.exit_code == 0 and "are finished: nothing to tag" in again.output


def test_an_unreachable_scheduler_is_a_clear_error():
    from pipeline.net import free_port

    with pytest.raises(ClusterError, match="cannot reach a Dask scheduler"):
        with connect(scheduler=f"tcp://127.0.0.1:{free_port()}", timeout=2):
            pass


def _scheduler_plugins(dask_scheduler) -> list:
    return list(dask_scheduler.worker_plugins)


def test_a_run_with_a_wrong_model_is_restarted_corrected_in_the_same_outdir(
    client, tiny_model, inputs, single_process, tmp_path
):
    """-m names a model the workers cannot load: the run fails having tagged nothing, leaves no
    plugin on the cluster, and the corrected command runs in the same OUTDIR."""
    out = tmp_path / "out"
    address = client.scheduler.address
    args = ["tag", *map(str, inputs), "-o", str(out), "--scheduler", address, "--shard-size", "40"]
    typo = tmp_path / "modles" / "default"  # only the workers look for it
    wrong = runner.invoke(app, [*args, "-m", str(typo)])
    assert wrong.exit_code == 1 and f"could not load the model {typo}" in wrong.output, wrong.output
    assert "Traceback" not in wrong.output and not list(out.glob("shard-*"))
    assert not [p for p in client.run_on_scheduler(_scheduler_plugins) if str(typo) in p]
    right = runner.invoke(app, [*args, "-m", str(tiny_model)])
    assert right.exit_code == 0 and "held a run that tagged nothing" in right.output, right.output
    assert b"".join(p.read_bytes() for p in sorted(out.glob("shard-*.jsonl"))) == single_process
