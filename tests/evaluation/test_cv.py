"""Cross-validation by document: folds keep documents whole and balanced; the summary is the mean,
spread and pooled counts of the folds."""

import pytest

from pipeline.corpus import Entity, Record, Relation, read_records
from pipeline.evaluation.cv import folds_by_document, shift_split, write_results
from pipeline.evaluation.cv_report import format_seeds, format_summary, summarize, summarize_seeds
from pipeline.evaluation.metrics import prf


def _record(doc_id: str, para: int, n_entities: int) -> Record:
    ents = [Entity(i + 1, "ORG", 2 * i, 2 * i + 1) for i in range(n_entities)]
    return Record("市" * (2 * n_entities + 1), ents, meta={"doc_id": doc_id, "para": para})


def test_folds_keep_documents_whole_and_balance_entities():
    records = [_record("a", 0, 9), _record("a", 1, 9), _record("b", 0, 10), _record("c", 0, 5), _record("d", 0, 4)]
    folds = folds_by_document(records, 2)
    assert sorted(d for f in folds for d in f) == ["a", "b", "c", "d"]  # every document once
    assert folds == [["a"], ["b", "c", "d"]]  # a: 18 entities; b+c+d: 19
    assert folds_by_document(records, 2) == folds  # deterministic


def test_extra_training_documents_are_in_no_fold_and_never_in_the_shift_test():
    records = [_record("a", 0, 9), _record("b", 0, 10), _record("msra-3", 0, 30), _related("msra-4", [90, 90])]
    assert sorted(d for f in folds_by_document(records, 2) for d in f) == ["a", "b"]
    assert shift_split(records + [_related("c", [5])]) == ["c"]


@pytest.mark.parametrize("k", [1, 5])
def test_impossible_fold_counts_are_refused(k):
    with pytest.raises(ValueError, match="folds"):
        folds_by_document([_record(d, 0, 1) for d in "abcd"], k)


def _related(doc_id: str, gaps):
    """A record with one LAUNCHED per gap, head and tail `gap` characters apart."""
    ents, rels, text = [], [], ""
    for i, gap in enumerate(gaps):
        start = len(text)
        text += "局" + "中" * gap + "动"
        ents += [
            Entity(2 * i + 1, "ORG", start, start + 1),
            Entity(2 * i + 2, "INITIATIVE", start + 1 + gap, start + 2 + gap),
        ]
        rels.append(Relation(i + 1, 2 * i + 1, 2 * i + 2, "LAUNCHED"))
    return Record(text, ents, rels, {"doc_id": doc_id, "para": 0})


def test_shift_split_tests_on_the_documents_with_the_longest_relations():
    records = [
        _related("a", [2, 4]),
        _related("b", [50]),
        _related("c", [30, 40]),
        _related("d", [1]),
        _record("e", 0, 3),
    ]
    assert shift_split(records) == ["b", "c"]  # b (mean 50) holds 1 of 6 relations, c (mean 35) the next 2
    assert shift_split(records, share=1 / 6) == ["b"]


def _fold(tp, fp, fn, docs):
    s = prf(tp, fp, fn)
    return {"documents": docs, "entities": {"ORG": s, "micro": s}}


def test_summary_gives_mean_spread_and_pooled_counts():
    summary = summarize([_fold(8, 2, 2, ["a"]), _fold(1, 1, 8, ["b", "c"])])
    org = summary["entities"]["ORG"]
    assert summary["folds"] == 2 and summary["documents"] == 3
    assert org["f"] == pytest.approx((0.8 + prf(1, 1, 8)["f"]) / 2, abs=1e-4)
    assert org["f_min"] == prf(1, 1, 8)["f"] and org["f_max"] == 0.8 and org["f_std"] > 0
    assert org["pooled"] == prf(9, 3, 10)  # counts over every held-out document
    assert "entities ORG" in format_summary(summary)


def _rel_fold(scores_by_threshold):
    return {
        "documents": ["x"],
        "entities": {"micro": prf(1, 0, 0)},
        "threshold": 0.5,
        "relations_end_to_end": {t: {"micro": prf(*c)} for t, c in scores_by_threshold.items()},
        "relations_gold_entities": {t: {"micro": prf(*c)} for t, c in scores_by_threshold.items()},
        "reachable": [1, 2],
        "baselines": {},
    }


def test_each_folds_threshold_is_chosen_on_the_other_folds():
    folds = [
        _rel_fold({"0.3": (10, 0, 0), "0.5": (5, 0, 5)}),
        _rel_fold({"0.3": (10, 0, 0), "0.5": (5, 0, 5)}),
        _rel_fold({"0.3": (8, 2, 2), "0.5": (10, 0, 0)}),  # best at 0.5 on its own
    ]
    nested = summarize(folds)["threshold_from_other_folds"]
    assert nested["thresholds"] == [0.3, 0.3, 0.3]  # the third fold gets the others' choice, not its own
    assert nested["micro"]["pooled"] == prf(28, 2, 2)


def test_shift_fold_is_reported_apart_with_its_breakdown():
    rows = {
        "model": {"micro": prf(3, 1, 1), "30-60": prf(1, 0, 1)},
        "rule": {"micro": prf(2, 2, 2), "30-60": prf(1, 1, 1)},
    }
    folds = [{**_rel_fold({"0.5": (5, 0, 5)}), "fold": i, "breakdown": {"gold_entities": rows}} for i in range(2)]
    shift = {**_rel_fold({"0.5": (1, 0, 1)}), "fold": "shift", "breakdown": {"gold_entities": rows}}
    summary = summarize(folds + [shift])
    assert summary["folds"] == 2  # the shift split is not pooled with the folds
    assert summary["breakdown"]["gold_entities"]["model"]["micro"] == prf(6, 2, 2)
    assert summary["shift"]["breakdown"] == shift["breakdown"]
    table = format_summary(summary)
    assert "Shift split" in table and "gold entities 30-60" in table


def test_shift_predictions_go_to_their_own_file_so_each_file_reads_back(tmp_path):
    recs = [_record("a", 0, 1), _record("b", 0, 1)]
    results = [{"fold": i, "predictions": [r.to_json()]} for i, r in enumerate(recs)]
    results.append({"fold": "shift", "predictions": [r.to_json() for r in recs]})
    write_results(results, {}, tmp_path)
    assert [r.key for r in read_records(tmp_path / "cv_predictions.jsonl")] == [r.key for r in recs]
    assert len(read_records(tmp_path / "cv_predictions_shift.jsonl")) == 2


def test_seed_summary_averages_the_breakdown_over_seeds():
    def seed(f_model, f_rule):
        rows = {"model": {"30-60": prf(*f_model)}, "rule": {"30-60": prf(*f_rule)}}
        folds = [{**_rel_fold({"0.5": (5, 0, 5)}), "fold": i, "breakdown": {"gold_entities": rows}} for i in (0, 1)]
        return summarize(folds + [{**folds[0], "fold": "shift"}])

    table = summarize_seeds({0: seed((1, 0, 1), (1, 1, 1)), 1: seed((1, 0, 0), (1, 1, 1))})
    row = table["breakdown"]["gold_entities"]["model"]["30-60"]
    assert row == {
        "mean": pytest.approx((prf(1, 0, 1)["f"] + 1.0) / 2, abs=1e-4),
        "std": pytest.approx(0.1667, abs=1e-4),
    }
    assert table["shift"]["gold_entities"]["rule"]["30-60"]["mean"] == 0.5
    assert "gold entities 30-60" in format_seeds(table)


def test_seed_summary_gives_each_seed_and_the_spread_over_seeds():
    summaries = {0: summarize([_fold(8, 2, 2, ["a"])]), 1: summarize([_fold(6, 4, 4, ["a"])])}
    table = summarize_seeds(summaries)
    assert table["seeds"][0]["ORG"] == 0.8 and table["seeds"][1]["ORG"] == 0.6
    assert table["over_seeds"]["ORG"] == {"mean": 0.7, "std": 0.1, "min": 0.6, "max": 0.8}
    assert "rel e2e" not in table["over_seeds"]  # no relation rows in these summaries
    assert format_seeds(table).splitlines()[-2].split()[:3] == ["mean", "0.700", "±0.100"]
