"""Shard planning and the manifest: deterministic cuts, resumes of the same plan only."""

from __future__ import annotations

import json

import pytest

from pipeline.corpus.records import CorpusError, Record
from pipeline.distributed.shards import MANIFEST, Shard, plan, prepare, read_manifest, shard_records
from pipeline.io import OutputError


@pytest.fixture
def inputs(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text("".join(f"第{i}段。\n" for i in range(7)), encoding="utf-8")
    b = tmp_path / "b.jsonl"
    b.write_text(
        "".join(json.dumps({"text": f"记录{i}。"}, ensure_ascii=False) + "\n" for i in range(5)), encoding="utf-8"
    )
    return [a, b]


@pytest.mark.parametrize(
    "size, expected",
    [
        (5, [(0, 0, 5), (1, 5, 5), (2, 10, 2)]),
        (12, [(0, 0, 12)]),
        (100, [(0, 0, 12)]),
        (1, [(i, i, 1) for i in range(12)]),
    ],
)
def test_plan_cuts_the_paragraph_stream_into_shards(inputs, size, expected):
    manifest = plan(inputs, size, "jsonl", model="/m")
    assert [(s.id, s.first, s.count) for s in manifest.shards] == expected
    assert [i["paragraphs"] for i in manifest.inputs] == [7, 5] and manifest.paragraphs == 12
    assert plan(inputs, size, "jsonl", model="/m") == manifest  # deterministic


def test_plan_reports_every_bad_line_before_any_work(inputs, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "好"}\n{oops\n{"text": 3}\n', encoding="utf-8")
    with pytest.raises(CorpusError) as err:
        plan([*inputs, bad], 5, "jsonl")
    assert [(p.line, p.source) for p in err.value.problems] == [(2, str(bad)), (3, str(bad))]


def test_shard_records_gives_each_wanted_shard_its_records():
    records = [Record(f"t{i}") for i in range(10)]
    shards = [Shard(1, 3, 3), Shard(3, 9, 1)]
    got = [(s.id, [r.text for r in recs]) for s, recs in shard_records(iter(records), shards)]
    assert got == [(1, ["t3", "t4", "t5"]), (3, ["t9"])]


def test_prepare_writes_the_manifest_and_accepts_the_same_plan_again(inputs, tmp_path):
    out = tmp_path / "out"
    first = prepare(out, plan(inputs, 5, "jsonl", model="/m"))
    assert read_manifest(out) == first
    assert prepare(out, plan(inputs, 5, "jsonl", model="/m")) == first


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda inputs: (inputs, 4, "jsonl", "/m"), "shard_size 5, not 4"),
        (lambda inputs: (inputs, 5, "parquet", "/m"), "format 'jsonl', not 'parquet'"),
        (lambda inputs: (inputs, 5, "jsonl", "/other"), "model '/m', not '/other'"),
        (lambda inputs: (inputs[:1], 5, "jsonl", "/m"), "it tags other inputs"),
    ],
)
def test_prepare_refuses_a_different_run_and_changes_nothing(inputs, tmp_path, change, message):
    out = tmp_path / "out"
    prepare(out, plan(inputs, 5, "jsonl", model="/m"))
    (out / "shard-00000.jsonl").write_text("{}\n", encoding="utf-8")  # the run tagged a shard
    before = (out / MANIFEST).read_bytes()
    paths, size, fmt, model = change(inputs)
    with pytest.raises(OutputError, match=message):
        prepare(out, plan(paths, size, fmt, model=model))
    assert (out / MANIFEST).read_bytes() == before


@pytest.mark.parametrize("stale", [[], [".shard-00000.jsonl.x1.tmp", ".lock"]])
def test_a_run_that_tagged_nothing_is_replaced(inputs, tmp_path, stale):
    """A run that failed before its first shard (a wrong -m, say) is started again as corrected."""
    out = tmp_path / "out"
    prepare(out, plan(inputs, 5, "jsonl", model="/wrong"))
    for name in stale:
        (out / name).write_text("", encoding="utf-8")
    corrected = prepare(out, plan(inputs, 5, "jsonl", model="/right"))
    assert corrected.model == "/right" and read_manifest(out) == corrected


def test_prepare_notices_an_input_changed_since_the_run_started(inputs, tmp_path):
    out = tmp_path / "out"
    prepare(out, plan(inputs, 5, "jsonl"))
    (out / "shard-00000.jsonl").write_text("{}\n", encoding="utf-8")
    with open(inputs[0], "a", encoding="utf-8") as f:
        f.write("新增一段。\n")
    with pytest.raises(OutputError, match="a.txt changed since the run started"):
        prepare(out, plan(inputs, 5, "jsonl"))


def test_prepare_refuses_a_directory_of_other_files(inputs, tmp_path):
    out = tmp_path / "busy"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError, match="not empty and holds no manifest.json"):
        prepare(out, plan(inputs, 5, "jsonl"))
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]
