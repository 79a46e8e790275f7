"""`facts` and `report` on what a Dask run writes (a real LocalCluster of 2 workers on 127.0.0.1,
Parquet shards, the default model): the same facts as from `tag -o` of the same articles."""

from __future__ import annotations

import pandas
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from tests.conftest import ROOT

pytestmark = [pytest.mark.integration, pytest.mark.slow]
runner = CliRunner()


@pytest.fixture(scope="module")
def run_outdir(default_model, tmp_path_factory):
    articles = sorted((ROOT / "corpus" / "raw" / "articles").glob("*.txt"))[:8]  # as tagged_articles
    out = tmp_path_factory.mktemp("run") / "tagged"
    args = ["tag", *map(str, articles), "-m", str(default_model), "-o", str(out), "--workers", "2"]
    result = runner.invoke(app, [*args, "--shard-size", "16", "--format", "parquet"])
    assert result.exit_code == 0, result.output
    assert len(list(out.glob("shard-*.parquet"))) > 1
    return out


def test_facts_of_a_run_are_the_facts_of_tag_output(run_outdir, tagged_articles, tmp_path):
    for source, name in ((run_outdir, "run.parquet"), (tagged_articles, "single.parquet")):
        result = runner.invoke(app, ["facts", str(source), "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
    run, single = (pandas.read_parquet(tmp_path / n).drop(columns="source") for n in ("run.parquet", "single.parquet"))
    assert len(run) > 20 and run.equals(single)


def test_report_of_a_run(run_outdir, tagged_articles, tmp_path):
    result = runner.invoke(app, ["report", str(run_outdir), "-o", str(tmp_path / "report.html")])
    assert result.exit_code == 0, result.output
    paragraphs = sum(1 for line in tagged_articles.read_text(encoding="utf-8").splitlines() if line.strip())
    assert f"Report of {paragraphs} paragraphs" in result.output
