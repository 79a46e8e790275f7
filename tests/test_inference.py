"""The one inference path: identical to the path before it on every corpus paragraph, and what the
evaluation scores is what users get."""

from __future__ import annotations

import pytest

import pipeline
from pipeline.inference import MAX_BATCH_CHARS, batches


@pytest.mark.parametrize("lengths", [[10] * 100, [3000, 3000, 10, 10, 5000], [1] * 5 + [9000] + [1] * 3])
def test_batches_are_bounded_by_count_and_characters(lengths):
    texts = ["字" * n for n in lengths]
    out = list(batches(texts, 32))
    assert [t for b in out for t in b] == texts
    assert all(len(b) <= 32 for b in out)
    assert all(len(b) == 1 or sum(map(len, b)) <= MAX_BATCH_CHARS for b in out)


@pytest.mark.slow
def test_identical_to_the_old_path_on_every_gold_paragraph(default_model, gold_records):
    """Spans, values, scores, relations with their scores and confidences of the default model on
    all of corpus/gold.jsonl: tag_many (one NER pass, nlp.pipe) == the old hand loop with the
    Python replay of the NER (tests/old_path.py)."""
    from tests.old_path import old_tag_many

    nlp = pipeline.load(default_model)
    texts = [r.text for r in gold_records]
    new = [r.to_dict() for r in pipeline.tag_many(texts, nlp=nlp)]
    old = [r.to_dict() for r in old_tag_many(nlp, texts)]
    assert len(new) == len(gold_records) and sum(len(r["spans"]) for r in new) > 1000
    spans = [s for r in new for s in r["spans"]]
    assert sum(s["score"] is not None for s in spans) > 0.8 * len(spans)  # the NER's spans carry scores
    assert new == old


@pytest.mark.slow
def test_the_evaluation_scores_what_users_get(tiny_nlp, gold_records):
    """predict_records and the relation sweep at the shipped threshold give tag_many's records."""
    from pipeline.evaluation.metrics import predict_records
    from pipeline.evaluation.relations import REL_NAME, records_at, relation_scores

    records = gold_records[:60]
    users = [
        r.to_record(rec.meta).to_json()
        for r, rec in zip(pipeline.tag_many([r.text for r in records], nlp=tiny_nlp), records)
    ]
    assert [r.to_json() for r in predict_records(tiny_nlp, records)] == users
    tagged, scores = relation_scores(tiny_nlp, records, gold_entities=False)
    swept = records_at(tiny_nlp, tagged, scores, tiny_nlp.get_pipe(REL_NAME).threshold)
    assert [(r.to_json()["entities"], r.to_json()["relations"]) for r in swept] == [
        (r["entities"], r["relations"]) for r in users
    ]
