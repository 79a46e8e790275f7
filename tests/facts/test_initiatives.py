"""Canonical initiative names within one article (pipeline/facts/initiatives.py)."""

from __future__ import annotations

import pytest

from pipeline.facts.canonical import RESOLVED, UNRESOLVED, WRITTEN
from pipeline.facts.initiatives import resolve_initiatives


@pytest.mark.parametrize(
    "names, expected",
    [
        (["三航行动", "三航"], [("三航行动", WRITTEN), ("三航行动", RESOLVED)]),
        (["三航”行动", "三航行动"], [("三航行动", RESOLVED), ("三航行动", WRITTEN)]),
        (["一机关一品牌、一支部一特色", "一机关一品牌 一支部一特色"], [("一机关一品牌、一支部一特色", WRITTEN), ("一机关一品牌、一支部一特色", RESOLVED)]),
        (["党纪学习教育", "学习教育"], [("党纪学习教育", WRITTEN), ("党纪学习教育", RESOLVED)]),
        (["学习教育"], [("学习教育", UNRESOLVED)]),
        (["泉州市机关特色党建项目评展", "机关特色党建项目评展"], [("泉州市机关特色党建项目评展", WRITTEN), ("泉州市机关特色党建项目评展", RESOLVED)]),
        (["五星", "五型"], [("五星", WRITTEN), ("五型", WRITTEN)]),
    ],
)  # fmt: skip
def test_resolution_rules(names, expected):
    assert [(c.name, c.status) for c in resolve_initiatives(names)] == expected
