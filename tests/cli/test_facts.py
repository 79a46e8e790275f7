"""`facts` and `report` on the command line: mistakes are one clear line that names the file (and
line), nothing of the user's is touched; on real output of `tag -o` with the default model."""

from __future__ import annotations

import json

import pandas
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from tests.conftest import record

runner = CliRunner()
ROWS = [
    record("湛江市直机关工委开展“三航行动”,举办活动18场。", [("ORG", "湛江市直机关工委"), ("INITIATIVE", "三航行动"), ("OUTCOME", "18场")],
           [(1, 2, "LAUNCHED"), (2, 3, "ACHIEVED")], "d1", 0),
    record("市直机关工委部署。", [("ORG", "市直机关工委")], [], "d1", 1),
]  # fmt: skip


@pytest.fixture
def tagged(make_jsonl):
    return make_jsonl(ROWS, "tagged.jsonl")


@pytest.mark.parametrize(
    "args, message",
    [
        (["facts", "{t}", "-o", "{d}/facts.xlsx"], "name a .parquet or .csv file"),
        (["facts", "{d}/missing.jsonl", "-o", "{d}/facts.csv"], "missing.jsonl: no such file"),
        (["facts", "{d}/bad.jsonl", "-o", "{d}/keep.csv"], "bad.jsonl:2: invalid JSON"),
        (["facts", "{t}", "-o", "{t}"], "name a .parquet or .csv file"),
        (["facts", "{t}", "-o", "{d}/keep.csv"], None),
        (["report", "{t}", "-o", "{d}/report.txt"], "name an .html file"),
        (["report", "{d}/bad.jsonl", "-o", "{d}/keep.html"], "bad.jsonl:2: invalid JSON"),
        (["report", "{d}/notes.txt", "-o", "{d}/report.html"], "not tagged output"),
    ],
)
def test_mistakes_are_clear_and_change_nothing(tagged, tmp_path, args, message):
    (tmp_path / "bad.jsonl").write_text(json.dumps(ROWS[0], ensure_ascii=False) + "\n{oops\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("notes\n", encoding="utf-8")
    for name in ("keep.csv", "keep.html"):
        (tmp_path / name).write_text("mine\n", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    result = runner.invoke(app, [a.format(t=tagged, d=tmp_path) for a in args])
    if message is None:  # the one that works: it replaces keep.csv
        assert result.exit_code == 0, result.output
        assert pandas.read_csv(tmp_path / "keep.csv")["head_canonical"].tolist()[0] == "湛江市直机关工委"
        return
    assert result.exit_code == 1 and message in result.output, result.output
    assert "Traceback" not in result.output
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_facts_and_report_of_a_small_file(tagged, tmp_path):
    result = runner.invoke(app, ["facts", str(tagged), "-o", str(tmp_path / "facts.parquet")])
    assert result.exit_code == 0, result.output
    assert "3 facts (2 relations, 1 entities alone) from 2 paragraphs of 1 documents" in result.output
    assert "ORG mentions: 2, 1 given a fuller name, 0 short forms" in result.output
    report = runner.invoke(app, ["report", str(tagged), "-o", str(tmp_path / "r.html")])
    assert report.exit_code == 0 and "Report of 2 paragraphs (3 facts)" in report.output, report.output


@pytest.mark.slow
def test_facts_of_tag_output_with_the_default_model(tagged_articles, tmp_path):
    """Real model output: every relation and every entity in none is one row, with its names."""
    from pipeline.corpus import read_records

    records = read_records(tagged_articles)
    out = tmp_path / "facts.csv"
    result = runner.invoke(app, ["facts", str(tagged_articles), "-o", str(out)])
    assert result.exit_code == 0, result.output
    facts = pandas.read_csv(out, dtype={"doc_id": str})
    relations = sum(len(r.relations) for r in records)
    alone = sum(
        len({e.id for e in r.entities} - {x for rel in r.relations for x in (rel.head, rel.tail)}) for r in records
    )
    assert (
        relations > 10
        and (facts["kind"] == "relation").sum() == relations
        and (facts["kind"] == "entity").sum() == alone
    )
    assert set(facts["doc_id"]) == {r.doc_id for r in records if r.entities}
    orgs = pandas.concat([facts.loc[facts.head_label == "ORG", ["head", "head_canonical"]].set_axis(["w", "c"], axis=1),
                          facts.loc[facts.tail_label == "ORG", ["tail", "tail_canonical"]].set_axis(["w", "c"], axis=1)])  # fmt: skip
    assert (orgs["c"].str.len() >= orgs["w"].str.len()).all()  # a canonical name is never shorter
    assert (orgs["c"] != orgs["w"]).any()  # and some short forms were resolved
    outcomes = facts[facts.tail_label == "OUTCOME"]
    assert outcomes["value"].notna().all() and outcomes["unit"].notna().all()
