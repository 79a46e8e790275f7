"""`evaluate --cv K --seeds ...` end to end: real trainings on a few documents, one CV per seed."""

import json

import pytest
from typer.testing import CliRunner

from pipeline import paths
from pipeline.cli import app
from pipeline.corpus import write_records


@pytest.mark.slow
def test_cross_validation_once_per_seed(tmp_path, pkuseg_ready, gold_records):
    gold = tmp_path / "gold.jsonl"
    write_records(gold, [r for r in gold_records if r.doc_id in {"000", "001", "002", "003"}])
    quick = ["--training.max_steps", "20", "--training.eval_frequency", "20"]
    quick += ["--corpora.train.msra_org", "0", "--corpora.train.msra_plain", "0"]
    args = ["evaluate", "--cv", "2", "--seeds", "0,1", "-j", "1", "--gold", str(gold), "-o", str(tmp_path / "cv")]
    result = CliRunner().invoke(app, [*args, "-c", str(paths.project_dir("configs") / "fast.cfg"), *quick])
    assert result.exit_code == 0, result.output
    for seed in (0, 1):
        summary = json.loads((tmp_path / "cv" / f"seed{seed}" / "cv.json").read_text(encoding="utf-8"))["summary"]
        assert summary["folds"] == 2 and summary["documents"] == 4
    table = json.loads((tmp_path / "cv" / "seeds.json").read_text(encoding="utf-8"))
    assert set(table["seeds"]) == {"0", "1"}
    over = table["over_seeds"]["entities"]
    assert over["min"] <= over["mean"] <= over["max"]
    assert "mean" in result.output and "range" in result.output


@pytest.mark.slow
def test_a_fold_that_fails_in_a_worker_is_one_line(tmp_path, pkuseg_ready, gold_records):
    """A fold's error in a worker process: one line naming the fold and its log, no traceback."""
    gold = tmp_path / "gold.jsonl"
    write_records(gold, [r for r in gold_records if r.doc_id in {"000", "001", "002", "003"}])
    args = ["evaluate", "--cv", "2", "-j", "2", "--no-shift", "--gold", str(gold), "-o", str(tmp_path / "cv")]
    result = CliRunner().invoke(app, [*args, "--training.max_steps", "many"])
    assert result.exit_code == 1, result.output
    message = [line for line in result.output.splitlines() if "failed" in line]
    assert len(message) == 1 and "fold 0 failed" in message[0] and "fold0.log" in message[0]
    assert "Traceback" not in result.output
    assert "Traceback" in (tmp_path / "cv" / "fold0.log").read_text(encoding="utf-8")
