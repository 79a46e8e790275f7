"""The typer CLI: help, and clear failures."""

import json
import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from pipeline.cli import app

from ..conftest import record

runner = CliRunner()


def test_help_lists_commands():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for cmd in ("setup", "corpus"):
        assert cmd in result.output


def test_module_entry_point():
    out = subprocess.run([sys.executable, "-m", "pipeline", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "corpus" in out.stdout


def test_validate_reports_file_and_line(make_jsonl):
    path = make_jsonl([record("省委开展活动。", [("ORG", "省委")]), "{oops"])
    result = runner.invoke(app, ["corpus", "validate", str(path)])
    assert result.exit_code == 1
    assert f"{path}:2: invalid JSON" in result.output


def test_import_text_writes_records(tmp_path):
    art = tmp_path / "007_x.txt"
    art.write_text("标题\n\n正文。\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["corpus", "import-text", str(art), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").count('"doc_id": "007_x"') == 2


@pytest.mark.slow
def test_tag_txt_prints_spans(tmp_path, tiny_model):
    art = tmp_path / "art.txt"
    art.write_text("市直机关工委共举办活动18场。\n\n投入86.34万元。\n", encoding="utf-8")
    result = runner.invoke(app, ["tag", str(art), "--model", str(tiny_model)])
    assert result.exit_code == 0, result.output
    assert "18场" in result.output and "value=863400" in result.output


@pytest.mark.slow
def test_tag_jsonl_writes_doccano_records_keeping_meta(tmp_path, tiny_model):
    from pipeline.corpus import read_records

    src = tmp_path / "in.jsonl"
    rows = [
        {"text": "共举办活动18场。", "meta": {"doc_id": "x", "para": 0, "source": "web"}},
        {"text": "投入86.34万元。"},
    ]
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["tag", str(src), "--model", str(tiny_model), "--output", str(out)])
    assert result.exit_code == 0, result.output
    records = read_records(out, require_meta=False)
    assert [r.meta for r in records] == [rows[0]["meta"], {}]
    assert [r.span_text(e) for r in records for e in r.entities if e.label == "OUTCOME"] == ["18场", "86.34万元"]


def test_tag_bad_jsonl_names_file_and_line(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "甲"}\n{"txt": "乙"}\n', encoding="utf-8")
    result = runner.invoke(app, ["tag", str(src), "--model", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{src}:2:" in result.output


@pytest.mark.slow
def test_evaluate_writes_report_json_and_html(tmp_path, tiny_model):
    result = runner.invoke(app, ["evaluate", "--model", str(tiny_model), "--output-dir", str(tmp_path / "ev")])
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "ev" / "evaluation.json").read_text(encoding="utf-8"))
    assert set(data["entities"]) == {"ORG", "INITIATIVE", "OUTCOME", "micro"}
    for label in ("ORG", "INITIATIVE", "OUTCOME", "micro"):  # a P / R / F row per label
        assert re.search(rf"{label}\s+\d\.\d{{3}}\s+\d\.\d{{3}}\s+\d\.\d{{3}}\s+\d+", result.output)
    assert "<html" in (tmp_path / "ev" / "dev.html").read_text(encoding="utf-8").lower()


@pytest.mark.slow
def test_tag_streams_several_inputs_the_same_with_processes(tmp_path, tiny_model):
    from pipeline.corpus import read_records

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("市直机关工委共举办活动18场。\n\n投入86.34万元。\n", encoding="utf-8")
    rows = [{"text": "省交通运输厅开展“党建+交通”品牌创建。", "meta": {"doc_id": "b", "para": 0}}]
    (tmp_path / "b.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    outputs = []
    for n in ("1", "2"):
        out = tmp_path / "out" / f"out{n}.jsonl"  # not matched by the input glob *.jsonl
        args = ["tag", str(tmp_path / "in"), str(tmp_path / "*.jsonl"), "-m", str(tiny_model), "-o", str(out), "-n", n]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        outputs.append([r.to_json() for r in read_records(out, require_meta=False)])
    assert outputs[0] == outputs[1]
    assert [r["meta"] for r in outputs[0]] == [{"doc_id": "a", "para": 0}, {"doc_id": "a", "para": 1}, rows[0]["meta"]]


@pytest.mark.slow
@pytest.mark.parametrize("split, expected", [(None, 8), ("dev", 2), ("train", 6)])
def test_evaluate_gold_scores_the_file_and_changes_no_corpus_file(tmp_path, tiny_model, gold_records, split, expected):
    """evaluate --gold FILE scores every paragraph of FILE (or the split asked for, read from the
    corpus's split file without assigning anything) and writes nothing into corpus/."""
    from pipeline.paths import corpus

    dev_ids = {r.doc_id for r in gold_records} - set(json.loads(corpus().splits.read_text(encoding="utf-8"))["train"])
    dev = [r for r in gold_records if r.doc_id in dev_ids][:2]
    train = [r for r in gold_records if r.doc_id not in dev_ids][:5]
    new = {**train[0].to_json(), "meta": {"doc_id": "not-in-the-corpus", "para": 0}}  # one new document: train
    rows = [r.to_json() for r in dev + train] + [new]
    mine = tmp_path / "mine.jsonl"
    mine.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    before = {p: p.read_bytes() for p in corpus().dir.glob("*.json*")}
    args = ["evaluate", "-m", str(tiny_model), "--gold", str(mine), "-o", str(tmp_path / "ev")]
    result = runner.invoke(app, args + (["--split", split] if split else []))
    assert result.exit_code == 0, result.output
    assert f"({expected} paragraphs)" in result.output
    assert {p: p.read_bytes() for p in corpus().dir.glob("*.json*")} == before
    assert (tmp_path / "ev" / f"{split or 'all'}.html").exists()


def test_evaluate_refuses_an_unknown_split(tmp_path):
    result = runner.invoke(app, ["evaluate", "--split", "test", "-m", str(tmp_path)])
    assert result.exit_code == 2 and "'test' is not one of 'all', 'dev', 'train'" in result.output
