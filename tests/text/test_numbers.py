"""OUTCOME values: hand-checked values, and properties on every OUTCOME surface of the corpus."""

import json
import re
import unicodedata

import pytest

from pipeline import paths
from pipeline.text.numbers import APPROX, EXACT, LOWER, UPPER, chinese_to_int, parse_quantity


@pytest.mark.parametrize(
    "surface,value,unit,qualifier",
    [
        ("337项", 337, "项", EXACT),
        ("86.34万元", 863400, "元", EXACT),
        ("近60万毫升", 600000, "毫升", APPROX),
        ("1300余次", 1300, "次", LOWER),
        ("89%", 89, "%", EXACT),
        ("超千项", 1000, "项", LOWER),
        ("14场", 14, "场", EXACT),
        ("587名", 587, "名", EXACT),
        ("20多个", 20, "个", LOWER),
        ("近6000人次", 6000, "人次", APPROX),
        ("13.9万次", 139000, "次", EXACT),
        ("3000余名", 3000, "名", LOWER),
        ("2万多名", 20000, "名", LOWER),
        ("900多万元", 9000000, "元", LOWER),
        ("3.6万余名", 36000, "名", LOWER),
        ("90%以上", 90, "%", LOWER),
        ("4个批次", 4, "个批次", EXACT),
        ("上百家", 100, "家", LOWER),
        ("近万条", 10000, "条", APPROX),
        ("七个", 7, "个", EXACT),
        ("约300万元", 3000000, "元", APPROX),
        ("超过3000家", 3000, "家", LOWER),
        ("近一半", 0.5, "", APPROX),
        ("百分之九十", 90, "%", EXACT),
        ("１２０名", 120, "名", EXACT),
        ("1,200人", 1200, "人", EXACT),
        ("不到10人", 10, "人", UPPER),
        ("100人左右", 100, "人", APPROX),
        ("两亿元", 200000000, "元", EXACT),
        ("十二项", 12, "项", EXACT),
        ("63·5％", 63.5, "%", EXACT),  # a middle dot as the decimal point
        ("几百元", 100, "元", LOWER),  # a magnitude: at least a hundred
        ("数十名", 10, "名", LOWER),
        ("数万元", 10000, "元", LOWER),
    ],
)
def test_parse_quantity(surface, value, unit, qualifier):
    q = parse_quantity(surface)
    assert q.value == pytest.approx(value) and q.unit == unit and q.qualifier == qualifier


@pytest.mark.parametrize(
    "text,value",
    [
        ("七", 7),
        ("十二", 12),
        ("二十三", 23),
        ("三千五百", 3500),
        ("两万", 20000),
        ("千", 1000),
        ("万", 10000),
        ("一亿二千万", 120000000),
        ("二〇二三", 2023),
    ],
)
def test_chinese_numerals(text, value):
    assert chinese_to_int(text) == value


def _corpus_outcomes():
    surfaces = set()
    for name in ("gold.jsonl",):
        with open(paths.corpus().dir / name, encoding="utf-8") as f:
            for row in map(json.loads, f):
                surfaces.update(
                    row["text"][e["start_offset"] : e["end_offset"]] for e in row["entities"] if e["label"] == "OUTCOME"
                )
    return sorted(surfaces)


def _expected_qualifier(surface: str) -> str:
    if surface.startswith(("近", "约")) or surface.endswith("左右"):
        return APPROX
    lower = surface.startswith(("超", "逾", "上", "几", "数")) or surface.endswith("以上")
    if lower or "余" in surface or "多" in surface:
        return LOWER
    return EXACT


@pytest.mark.parametrize("surface", _corpus_outcomes())
def test_every_corpus_outcome_normalises(surface):
    q = parse_quantity(surface)
    assert q.value is not None and q.value > 0
    assert q.qualifier == _expected_qualifier(surface)
    plain = re.sub(r"(\d)·(\d)", r"\1.\2", unicodedata.normalize("NFKC", surface))
    assert q.unit in plain
    digits = re.fullmatch(r"[近约超逾]*(\d+(?:\.\d+)?)([余多]?)([万亿]?)[余多]?\D*", plain)
    if digits:  # Arabic numerals: the value follows from the digits and 万 / 亿 alone
        assert q.value == pytest.approx(float(digits.group(1)) * {"": 1, "万": 1e4, "亿": 1e8}[digits.group(3)])
