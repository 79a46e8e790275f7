"""Shard outputs: atomic JSONL / Parquet files, what counts as finished, the lock."""

from __future__ import annotations

import pytest

from pipeline.distributed import outputs
from pipeline.distributed.shards import Manifest, Shard, prepare
from pipeline.io import OutputError

ROWS = [
    {
        "text": "市直机关工委共举办活动18场。",
        "entities": [
            {"id": 1, "label": "ORG", "start_offset": 0, "end_offset": 6},
            {"id": 2, "label": "OUTCOME", "start_offset": 11, "end_offset": 14},
        ],
        "relations": [{"id": 1, "from_id": 1, "to_id": 2, "type": "ACHIEVED"}],
        "meta": {"doc_id": "a", "para": 0, "source": "网站"},
    },
    {"text": "没有实体。", "entities": [], "relations": [], "meta": {"doc_id": "a", "para": 1}},
]


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_a_shard_round_trips_in_either_format(tmp_path, fmt):
    path = outputs.output_path(tmp_path, Shard(3, 0, 2), fmt)
    outputs.write_shard(path, ROWS, fmt)
    assert path.name == f"shard-00003.{fmt}"
    assert outputs.read_shard(path) == ROWS
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left


def test_a_failed_write_leaves_no_output(tmp_path):
    path = outputs.output_path(tmp_path, Shard(0, 0, 1), "jsonl")
    with pytest.raises(TypeError):
        outputs.write_shard(path, [{"text": object()}], "jsonl")
    assert list(tmp_path.iterdir()) == []


def test_finished_shards_are_those_with_an_output_and_merged_reads_them_in_order(tmp_path):
    manifest = prepare(tmp_path / "out", Manifest([], "/m", "jsonl", 1, [Shard(0, 0, 1), Shard(1, 1, 1)]))
    out = tmp_path / "out"
    outputs.write_shard(outputs.output_path(out, manifest.shards[1], "jsonl"), ROWS[1:], "jsonl")
    (out / ".shard-00000.jsonl.abc.tmp").write_text("half", encoding="utf-8")
    assert outputs.finished(out, manifest) == {1}
    with pytest.raises(OutputError, match="shard-00000.jsonl is missing"):
        list(outputs.merged(out))
    assert outputs.remove_stale_temps(out) == 1
    outputs.write_shard(outputs.output_path(out, manifest.shards[0], "jsonl"), ROWS[:1], "jsonl")
    assert list(outputs.merged(out)) == ROWS


def test_a_second_run_on_the_same_directory_is_refused(tmp_path):
    with outputs.locked(tmp_path):
        with pytest.raises(OutputError, match="another run is writing"):
            with outputs.locked(tmp_path):
                pass
    with outputs.locked(tmp_path):  # released
        pass
