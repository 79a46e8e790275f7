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
