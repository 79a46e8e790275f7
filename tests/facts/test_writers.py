"""Facts written as they come (pipeline/facts/writers.py): CSV and Parquet hold the same rows; a
failure leaves the user's file as it was."""

from __future__ import annotations

import pandas
import pytest

from pipeline.facts import iter_facts
from pipeline.facts.rows import COLUMNS
from pipeline.facts.writers import fact_writer
from pipeline.io import OutputError
from tests.conftest import record

ROWS = [
    record("湛江市直机关工委开展“三航行动”,举办活动18场。", [("ORG", "湛江市直机关工委"), ("INITIATIVE", "三航行动"), ("OUTCOME", "18场")],
           [(1, 2, "LAUNCHED"), (2, 3, "ACHIEVED")], "d1", 0),
    record("市委部署。", [("ORG", "市委")], [], "d2", 0),
]  # fmt: skip


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_written_rows_read_back(make_jsonl, tmp_path, monkeypatch, suffix):
    from pipeline.facts import writers

    monkeypatch.setattr(writers, "ROW_GROUP", 2)  # several row groups
    out = tmp_path / f"facts{suffix}"
    facts = list(iter_facts(make_jsonl(ROWS)))
    with fact_writer(out) as write:
        for rows in facts:
            write(rows)
    back = pandas.read_csv(out, dtype={"doc_id": str}) if suffix == ".csv" else pandas.read_parquet(out)
    assert list(back.columns) == list(COLUMNS) and len(back) == sum(map(len, facts)) == 3
    assert back["head_canonical"].tolist() == ["湛江市直机关工委", "三航行动", "市委"]
    assert back["value"].tolist()[1] == 18.0


def test_a_failure_leaves_the_existing_output_as_it_was(tmp_path):
    out = tmp_path / "facts.csv"
    out.write_text("mine\n", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with fact_writer(out) as write:
            write([])
            raise RuntimeError("bad input half-way")
    assert out.read_text(encoding="utf-8") == "mine\n" and [p.name for p in tmp_path.iterdir()] == ["facts.csv"]


def test_the_suffix_picks_the_format(tmp_path):
    with pytest.raises(OutputError, match="name a .parquet or .csv file"):
        with fact_writer(tmp_path / "facts.xlsx"):
            pass
