"""Hugging Face datasets export and import."""

from datasets import load_from_disk

from pipeline.corpus import parse_record
from pipeline.corpus.hf import from_dataset, to_dataset

from ..conftest import record


def _records():
    rows = [
        record(
            "市直机关工委开展“三航行动”。",
            [("ORG", "市直机关工委"), ("INITIATIVE", "三航行动")],
            [(1, 2, "LAUNCHED")],
            para=0,
        ),
        record("前言", para=1),
    ]
    return [parse_record(r)[0] for r in rows]


def test_dataset_round_trip(tmp_path):
    records = _records()
    ds = to_dataset(records)
    assert ds.column_names == ["text", "entities", "relations", "meta"] and len(ds) == 2
    ds.save_to_disk(str(tmp_path / "ds"))
    back = from_dataset(load_from_disk(str(tmp_path / "ds")))
    assert [r.to_json() for r in back] == [r.to_json() for r in records]


def test_gold_corpus_round_trips_through_datasets(gold_records):
    back = from_dataset(to_dataset(gold_records))
    assert [r.to_json() for r in back] == [r.to_json() for r in gold_records]
