"""Train/dev split by document; assignments never move."""

import pytest

from pipeline.corpus import Record, splits


def test_assign_by_document_with_at_least_one_dev():
    mapping = splits.assign(["a", "b", "c", "d"])
    assert sorted(mapping) == ["a", "b", "c", "d"]
    assert list(mapping.values()).count("dev") == 1


@pytest.mark.parametrize("n,dev", [(1, 0), (2, 1), (8, 2), (27, 7)])
def test_dev_share(n, dev):
    assert list(splits.assign([f"doc{i}" for i in range(n)]).values()).count("dev") == dev


def test_assignments_never_move(tmp_path):
    path = tmp_path / "splits.json"
    first = splits.update(path, ["a", "b", "c", "d"])
    second = splits.update(path, ["a", "b", "c", "d", "e", "f", "g", "h"])
    assert all(second[d] == first[d] for d in first)
    assert splits.load(path) == second


def test_split_records_keeps_documents_whole():
    recs = [Record(f"p{i}", meta={"doc_id": d, "para": i}) for i, d in enumerate("aabbbcd")]
    mapping = {"a": "train", "b": "dev", "c": "train", "d": "dev"}
    train, dev = splits.split_records(recs, mapping)
    assert {r.doc_id for r in train} == {"a", "c"} and {r.doc_id for r in dev} == {"b", "d"}
    with pytest.raises(KeyError, match="corpus split"):
        splits.split_records([Record("x", meta={"doc_id": "zz", "para": 0})], mapping)


def test_corpus_split_file_has_no_document_in_both(gold_records):
    from pipeline import paths

    mapping = splits.load(paths.corpus().splits)
    assert {r.doc_id for r in gold_records} <= set(mapping)


def test_extra_training_documents_always_go_to_train():
    from pipeline.corpus import splits

    mapping = splits.assign(["msra-12", "msra-7", "a", "b", "c", "d"])
    assert mapping["msra-12"] == mapping["msra-7"] == splits.TRAIN
    assert sum(v == splits.DEV for v in mapping.values()) == 1  # a quarter of the four articles
