"""The report page (pipeline/report) built from the annotated corpus: self-contained, its data
blocks complete, caps honoured; the side-by-side page flags what only one side has."""

from __future__ import annotations

import json
import re

import pytest

from pipeline import paths
from pipeline.corpus.records import Entity, Record, Relation
from pipeline.facts.tagged import documents, expand
from pipeline.report.build import build_report
from pipeline.report.compare import comparison_rows, write_comparison


def data_blocks(html: str) -> dict:
    blocks = re.findall(r'<script type="application/json" id="data-([a-z]+)">(.*?)</script>', html, re.S)
    return {name: json.loads(text) for name, text in blocks}


@pytest.fixture(scope="module")
def gold_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "report.html"
    inputs = expand([str(paths.corpus().gold)])
    summary = build_report(documents(inputs), out, inputs, max_paragraphs=10_000, max_facts=100_000)
    return out.read_text(encoding="utf-8"), summary


def test_the_page_fetches_nothing(gold_report):
    html, _ = gold_report
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<link" not in html and "@import" not in html and "url(" not in html


def test_every_paragraph_and_fact_is_in_the_page(gold_report, gold_records):
    html, summary = gold_report
    data = data_blocks(html)
    assert len(data["paragraphs"]) == len(gold_records) == summary.paragraphs
    assert len(data["facts"]["rows"]) == data["facts"]["total"] == summary.facts
    drawn_relations = sum(len(p[4]) for p in data["paragraphs"])
    assert drawn_relations == sum(len(r.relations) for r in gold_records)
    assert html.count('<svg class="chart"') == 3 and html.count('class="bar"') > 20


def test_the_caps_keep_counts_whole(tmp_path):
    inputs = expand([str(paths.corpus().gold)])
    out = tmp_path / "small.html"
    summary = build_report(documents(inputs), out, inputs, max_paragraphs=5, max_facts=7)
    html = out.read_text(encoding="utf-8")
    data = data_blocks(html)
    assert len(data["paragraphs"]) == 5 and len(data["facts"]["rows"]) == 7 and data["facts"]["total"] == summary.facts
    assert f"The first 5 of {summary.paragraphs:,} paragraphs are drawn" in html


def test_script_end_tags_in_the_text_cannot_break_the_page(make_jsonl, tmp_path):
    from tests.conftest import record

    path = make_jsonl(
        [record("市委</script><b>开展三航行动。", [("ORG", "市委"), ("INITIATIVE", "三航行动")], [(1, 2, "LAUNCHED")])]
    )
    out = tmp_path / "r.html"
    build_report(documents([path]), out, [path], 10, 10)
    assert data_blocks(out.read_text(encoding="utf-8"))["paragraphs"][0][2] == "市委</script><b>开展三航行动。"


def test_the_side_by_side_page_flags_differences(tmp_path):
    text = "市委开展三航行动,举办18场。"
    gold = Record(text, [Entity(1, "ORG", 0, 2), Entity(2, "INITIATIVE", 4, 8), Entity(3, "OUTCOME", 11, 14)],
                  [Relation(1, 1, 2, "LAUNCHED"), Relation(2, 2, 3, "ACHIEVED")], {"doc_id": "d", "para": 0})  # fmt: skip
    pred = Record(
        text,
        [Entity(1, "ORG", 0, 2), Entity(2, "INITIATIVE", 4, 6)],
        [Relation(1, 1, 2, "LAUNCHED")],
        {"doc_id": "d", "para": 0},
    )
    same = Record("无。", [], [], {"doc_id": "d", "para": 1})
    rows = comparison_rows([gold, same], [pred, same])
    (_, _, _, g_ents, g_rels, p_ents, p_rels, differs), quiet = rows
    assert [e[5] for e in g_ents] == [0, 1, 1] and [r[3] for r in g_rels] == [1, 1]  # missed
    assert [e[5] for e in p_ents] == [0, 1] and [r[3] for r in p_rels] == [1]  # spurious
    assert differs and not quiet[7]
    page = write_comparison([gold, same], [pred, same], tmp_path / "dev.html", {"entities": {}, "relations": {}})
    assert data_blocks(page.read_text(encoding="utf-8"))["config"]["mode"] == "compare"
