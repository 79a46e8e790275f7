"""`tag --workers / --scheduler`: mistakes are clear one-line errors before any cluster starts,
and nothing of the user's is touched."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from pipeline.cli import app

runner = CliRunner()


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "art.txt"
    path.write_text("市直机关工委共举办活动18场。\n投入86.34万元。\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--workers", "2"], "name a directory with -o OUTDIR"),
        (["-o", "{out}", "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"], "not both"),
        (["-o", "{out}", "--workers", "2", "--n-process", "2"], "--n-process is for one machine"),
        (["-o", "{file}", "--workers", "2"], "is a file"),
        (["-o", "{here}", "--workers", "2"], "is inside the output directory"),
        (["-o", "{out}", "--workers", "0"], "0 is not in the range x>=1"),
        (["-o", "{out}", "--workers", "1", "--shard-size", "0"], "0 is not in the range x>=1"),
        (["-o", "{out}", "--workers", "1", "--format", "csv"], "'csv' is not one of 'jsonl', 'parquet'"),
        (["-o", "{file}", "--format", "parquet"], "--format parquet is for Dask runs"),
    ],
)
def test_mistakes_are_clear_and_change_nothing(article, tmp_path, extra, message):
    existing = tmp_path / "existing.jsonl"
    existing.write_text("keep\n", encoding="utf-8")
    names = {"out": str(tmp_path / "out"), "file": str(existing), "here": str(tmp_path)}
    result = runner.invoke(app, ["tag", str(article), *[x.format(**names) for x in extra]])
    assert result.exit_code != 0 and message in result.output, result.output
    assert "Traceback" not in result.output
    assert existing.read_text(encoding="utf-8") == "keep\n" and not (tmp_path / "out").exists()


def test_a_bad_input_line_is_reported_before_any_cluster_starts(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "好"}\n{oops\n', encoding="utf-8")
    result = runner.invoke(app, ["tag", str(bad), "-o", str(tmp_path / "out"), "--workers", "2"])
    assert result.exit_code == 1 and f"{bad}:2" in result.output
    assert not (tmp_path / "out").exists()


def test_an_outdir_of_another_run_or_of_other_files_is_left_as_it_was(article, tmp_path):
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine", encoding="utf-8")
    model = tmp_path / "model"  # only looked for here: the run is refused before any worker loads it
    model.mkdir()
    (model / "config.cfg").write_text("", encoding="utf-8")
    result = runner.invoke(app, ["tag", str(article), "-o", str(busy), "--workers", "1", "-m", str(model)])
    assert result.exit_code == 1 and "holds no manifest.json" in result.output
    assert sorted(p.name for p in busy.iterdir()) == ["notes.txt"]


def test_a_refused_scheduler_is_said_at_once_and_touches_nothing(article, tmp_path):
    """Nothing listens: the refused connection is reported (not Dask's timeout after retrying), no OUTDIR."""
    from pipeline.net import free_port

    out = tmp_path / "out"
    address = f"tcp://127.0.0.1:{free_port()}"
    args = ["tag", str(article), "-o", str(out), "--scheduler", address, "-m", str(tmp_path / "on-the-workers")]
    result = runner.invoke(app, args)
    assert result.exit_code == 1 and f"cannot reach a Dask scheduler at {address}: Connection refused" in result.output
    assert "Traceback" not in result.output and not out.exists()


@pytest.mark.parametrize(
    "address, message",
    [("tcp://127.0.0.1", "is not a scheduler address"), ("tcp://no-such-host.invalid:8786", "unknown host")],
)
def test_a_bad_scheduler_address_is_said_at_once(article, tmp_path, address, message):
    result = runner.invoke(app, ["tag", str(article), "-o", str(tmp_path / "out"), "--scheduler", address])
    assert result.exit_code == 1 and message in result.output and not (tmp_path / "out").exists()
    assert not (tmp_path / "models").exists()  # checked before any model is looked for


def test_a_scheduler_that_never_answers_gives_up_after_timeout(article, tmp_path):
    """Something accepts the connection but says nothing: --timeout bounds the wait."""
    import socket

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        address = f"tcp://127.0.0.1:{silent.getsockname()[1]}"
        args = ["tag", str(article), "-o", str(tmp_path / "out"), "--scheduler", address, "--timeout", "1"]
        result = runner.invoke(app, [*args, "-m", str(tmp_path / "on-the-workers")])
    assert result.exit_code == 1 and f"no answer from {address} within 1 s" in result.output, result.output
    assert "Traceback" not in result.output
