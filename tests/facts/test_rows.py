"""Fact rows of hand-made tagged documents (pipeline/facts/rows.py) and reading tagged files
(pipeline/facts/tagged.py)."""

from __future__ import annotations

import json

import pytest

from pipeline.corpus.records import CorpusError
from pipeline.facts import iter_facts, read_facts
from pipeline.facts.rows import COLUMNS
from pipeline.facts.tagged import count_paragraphs, documents, expand
from tests.conftest import record

TITLE = record(
    "湛江市直机关工委开展“三航行动”。",
    [("ORG", "湛江市直机关工委"), ("INITIATIVE", "三航行动")],
    [(1, 2, "LAUNCHED")],
    "d1",
    0,
)
BODY = record(
    "会议召开。市直机关工委以三航为牵动,“三航行动”共举办活动18场,投入86.34万元。",
    [("ORG", "市直机关工委"), ("INITIATIVE", "三航"), ("INITIATIVE", "三航行动"), ("OUTCOME", "18场"), ("OUTCOME", "86.34万元")],
    [(1, 2, "LAUNCHED"), (3, 4, "ACHIEVED")],
    "d1",
    1,
)  # fmt: skip
OTHER = record("市委部署。", [("ORG", "市委")], [], "d2", 0)


@pytest.fixture
def tagged(make_jsonl):
    return make_jsonl([TITLE, BODY, OTHER])


def test_one_row_per_relation_and_per_entity_alone(tagged):
    rows = [row for doc in iter_facts(tagged) for row in doc]
    assert [(r["doc_id"], r["para"], r["kind"], r["relation"], r["head"], r["tail"]) for r in rows] == [
        ("d1", 0, "relation", "LAUNCHED", "湛江市直机关工委", "三航行动"),
        ("d1", 1, "relation", "LAUNCHED", "市直机关工委", "三航"),
        ("d1", 1, "relation", "ACHIEVED", "三航行动", "18场"),
        ("d1", 1, "entity", None, "86.34万元", None),
        ("d2", 0, "entity", None, "市委", None),
    ]
    assert all(list(r) == list(COLUMNS) for r in rows)


def test_canonical_names_outcomes_and_evidence(tagged):
    launched, achieved, alone, other = [row for doc in iter_facts(tagged) for row in doc][1:]
    assert (launched["head_canonical"], launched["head_status"]) == ("湛江市直机关工委", "resolved")
    assert (launched["tail_canonical"], launched["tail_status"]) == ("三航行动", "resolved")
    assert achieved["launched_by"] == "湛江市直机关工委"  # the initiative's launcher in the document
    assert (achieved["value"], achieved["unit"], achieved["qualifier"]) == (18.0, "场", "exact")
    assert (alone["value"], alone["unit"]) == (863400.0, "元")
    assert achieved["sentence"] == 1 and achieved["evidence"].startswith("市直机关工委以三航为牵动")
    assert (other["head_canonical"], other["head_status"]) == ("市委", "unresolved")  # d2 knows no place


def test_scores_are_read_when_the_records_carry_them(make_jsonl):
    row = record("市委开展三航行动。", [("ORG", "市委"), ("INITIATIVE", "三航行动")], [(1, 2, "LAUNCHED")])
    row["entities"][0]["score"], row["relations"][0]["score"] = 0.9, 0.75
    (fact,) = next(iter_facts(make_jsonl([row])))
    assert (fact["head_score"], fact["tail_score"], fact["score"]) == (0.9, None, 0.75)


def test_documents_are_consecutive_paragraphs_and_a_paragraph_without_doc_id_stands_alone(make_jsonl):
    rows = [record("市委。", [("ORG", "市委")], doc_id=d) for d in ("a", "a", "b", "a")]
    rows += [{"text": "市委。", "entities": [], "relations": []}] * 2
    docs = list(documents([make_jsonl(rows)]))
    assert [(d.doc_id, len(d.paragraphs)) for d in docs] == [("a", 2), ("b", 1), ("a", 1), (None, 1), (None, 1)]


def test_every_bad_line_is_named_after_reading_everything(make_jsonl):
    bad_span = record("市委。", [("ORG", 0, 9)])
    path = make_jsonl([TITLE, "{oops", bad_span, BODY])
    with pytest.raises(CorpusError) as err:
        list(documents([path]))
    assert [(p.line, p.source) for p in err.value.problems] == [(2, str(path)), (3, str(path))]


def test_a_frame_with_typed_columns(tagged):
    frame = read_facts([tagged])
    assert list(frame.columns) == list(COLUMNS) and len(frame) == 5
    assert str(frame["para"].dtype) == "Int64" and frame["value"].dropna().tolist() == [18.0, 863400.0]


def test_inputs_are_files_directories_and_globs(tagged, tmp_path):
    (tmp_path / "notes.txt").write_text("not tagged", encoding="utf-8")
    assert expand([str(tmp_path)]) == [tagged]  # a directory: its .jsonl / .parquet files
    assert expand([str(tmp_path / "*.jsonl")]) == [tagged]
    assert count_paragraphs([tagged]) == 3
    with pytest.raises(FileNotFoundError, match="nothing.jsonl: no such file"):
        expand([str(tmp_path / "nothing.jsonl")])
    with pytest.raises(CorpusError, match="not tagged output"):
        expand([str(tmp_path / "notes.txt")])


def test_a_runs_outdir_is_read_in_manifest_order_and_must_be_finished(tmp_path):
    from pipeline.distributed import outputs
    from pipeline.distributed.shards import Manifest, Shard

    out = tmp_path / "run"
    shards = [Shard(0, 0, 2), Shard(1, 2, 1)]
    manifest = Manifest([], "m", "parquet", 2, shards)
    out.mkdir()
    (out / "manifest.json").write_text(json.dumps(manifest.to_json()), encoding="utf-8")
    outputs.write_shard(outputs.output_path(out, shards[1], "parquet"), [OTHER], "parquet")
    with pytest.raises(FileNotFoundError, match="1 of 2 shards are not finished"):
        expand([str(out)])
    outputs.write_shard(outputs.output_path(out, shards[0], "parquet"), [TITLE, BODY], "parquet")
    assert [d.doc_id for d in documents(expand([str(out)]))] == ["d1", "d2"]
    assert count_paragraphs(expand([str(out)])) == 3
