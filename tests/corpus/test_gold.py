"""The project's own corpus: valid, round-trips, every gold span kept in training data."""

import pytest

from pipeline import paths
from pipeline.corpus import doc_ids, read_records


def test_gold_corpus_validates_with_no_problems(gold_records):
    assert len(gold_records) >= 163
    assert {"000", "001", "002", "003"} <= set(doc_ids(gold_records))


def test_unannotated_articles_are_in_the_corpus():
    records = read_records(paths.corpus().unannotated)
    assert len(doc_ids(records)) == 27
    for rec in records:
        assert (paths.corpus().dir / "raw" / "articles" / f"{rec.doc_id}.txt").exists()


@pytest.mark.slow
def test_gold_round_trip_is_byte_identical(pkuseg_ready):
    from pipeline.corpus.docs import roundtrip
    from pipeline.tokenization.lexicon import lexicon
    from pipeline.tokenization.tokenizer import pkuseg_with_words

    records = read_records(paths.corpus().gold)
    again = roundtrip(records, pkuseg_with_words(lexicon(records)).make_doc)
    assert again.encode("utf-8") == paths.corpus().gold.read_bytes()


@pytest.mark.slow
@pytest.mark.parametrize("holdout", [True, False])
def test_training_data_keeps_every_gold_span(tmp_path, pkuseg_ready, gold_records, holdout):
    from pipeline.corpus.docs import read_docbin
    from pipeline.training.data import build

    res = build(tmp_path, holdout=holdout)
    # Without a holdout the dev split is inside train.spacy too, so train alone holds everything.
    docs = read_docbin(res.train_path) + (read_docbin(res.dev_path) if holdout else [])
    assert sum(len(d.ents) for d in docs) == sum(len(r.entities) for r in gold_records)
    assert sum(len(d._.rel or {}) for d in docs) == sum(len(r.relations) for r in gold_records)


@pytest.mark.slow
def test_alignment_measure_reports_each_setting(pkuseg_ready):
    from pipeline.training.data import measure_alignment

    table, parts = measure_alignment()
    assert {s for s, _ in table} == {"no user dict", "train lexicon", "+ splitter"}
    for split in ("train", "dev", "all"):
        rates = [table[(s, split)].rate for s in ("no user dict", "train lexicon", "+ splitter")]
        assert 0.9 < rates[0] <= rates[1] <= rates[2] <= 1.0
        assert table[("+ splitter", split)].total == sum(len(r.entities) for r in parts[split])
