"""Names never start or end with a bracket, quote or comma."""

import pytest

from .conftest import _reloaded, _run, _with


@pytest.mark.parametrize(
    "words,preset,expected",
    [
        (["阿拉善", "开发区", "(", "以下", "简称"], (("ORG", "阿拉善开发区("),), [("阿拉善开发区", "ORG")]),
        (["“", "三航", "行动", "”", "为"], (("INITIATIVE", "“三航行动”"),), [("三航行动", "INITIATIVE")]),
        (
            ["省", "地质局", "(", "机关", ")"],
            (("ORG", "省地质局(机关)"),),
            [("省地质局(机关)", "ORG")],
        ),  # balanced: the model's call
        (
            ["党建", "+", "营商", "环境"],
            (("INITIATIVE", "党建+营商环境"),),
            [("党建+营商环境", "INITIATIVE")],
        ),  # + is no bracket
        (
            ["100", "个", "(", "次", ")"],
            (("OUTCOME", "100个(次)"),),
            [("100个(次)", "OUTCOME")],
        ),  # other labels untouched
        (["，", "“"], (("ORG", "，“"),), []),  # nothing but punctuation: the span goes
    ],
)
def test_span_trimmer(words, preset, expected):
    assert _run(_with("dangjian_span_trimmer"), words, preset) == expected


def test_span_trimmer_round_trips_with_its_labels(tmp_path):
    loaded = _reloaded("dangjian_span_trimmer", {"labels": ["OUTCOME"]}, tmp_path)
    assert _run(loaded, ["100", "个", "("], (("OUTCOME", "100个("),)) == [("100个", "OUTCOME")]
    assert _run(loaded, ["开发区", "("], (("ORG", "开发区("),)) == [("开发区(", "ORG")]
