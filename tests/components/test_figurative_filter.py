"""dangjian_figurative_filter: quoted figures of speech are no campaigns."""

import pytest

from .conftest import _reloaded, _run, _with

WORDS = ["破解", "“", "两张皮", "”", "问题", "，", "开展", "“", "三航行动", "”"]
PRESET = [("INITIATIVE", "两张皮"), ("INITIATIVE", "三航行动")]


@pytest.mark.parametrize("reload", [False, True])
def test_listed_figures_are_removed_names_stay(tmp_path, reload):
    config = {"words": ["两张皮"]}
    nlp = (
        _reloaded("dangjian_figurative_filter", config, tmp_path)
        if reload
        else _with("dangjian_figurative_filter", config)
    )
    assert _run(nlp, WORDS, PRESET) == [("三航行动", "INITIATIVE")]


def test_packaged_list_holds_the_guidelines_examples():
    nlp = _with("dangjian_figurative_filter")
    words = ["一场", "“", "头脑风暴", "”", "和", "“", "成绩单", "”"]
    assert _run(nlp, words, [("INITIATIVE", "头脑风暴"), ("INITIATIVE", "成绩单")]) == []


def test_only_the_configured_label_is_filtered():
    nlp = _with("dangjian_figurative_filter", {"words": ["领头雁"]})
    assert _run(nlp, ["领头雁", "公司"], [("ORG", "领头雁")]) == [("领头雁", "ORG")]
