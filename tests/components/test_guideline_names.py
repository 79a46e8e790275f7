"""Names the guideline spells out replace the spans the model cut or joined."""

import pytest

from .conftest import _reloaded, _run, _with


@pytest.mark.parametrize(
    "words,preset,expected",
    [
        (  # a whole name, cut at its inner 和
            ["在", "中央", "和", "国家", "机关工委", "举办"],
            [("ORG", "中央"), ("ORG", "国家机关工委")],
            [("中央和国家机关工委", "ORG")],
        ),
        (["得到", "省委省政府", "肯定"], [("ORG", "省委省政府")], [("省委", "ORG"), ("省政府", "ORG")]),
        (["得到", "省委", "省政府", "肯定"], [], [("省委", "ORG"), ("省政府", "ORG")]),  # found with no span
        (["海口", "市委市政府", "部署"], [("ORG", "海口市委市政府")], [("海口市委", "ORG"), ("市政府", "ORG")]),
        (["省委省政府", "办公厅"], [("ORG", "省委省政府办公厅")], [("省委省政府办公厅", "ORG")]),  # a longer name
        (
            ["学习", "省委", "省政府"],
            [("INITIATIVE", "学习省委")],
            [("学习省委", "INITIATIVE")],
        ),  # a non-ORG from the left
        (["省委", "组织部"], [("ORG", "省委组织部")], [("省委组织部", "ORG")]),
    ],
)
def test_organisation_names(words, preset, expected):
    assert _run(_with("dangjian_guideline_names"), words, preset) == expected


def test_guideline_names_round_trip(tmp_path):
    loaded = _reloaded("dangjian_guideline_names", {"names": ["甲+乙"]}, tmp_path)
    assert loaded.get_pipe("dangjian_guideline_names").names == ["甲+乙"]
    assert _run(loaded, ["甲乙", "丙"], [("ORG", "甲乙")]) == [("甲", "ORG"), ("乙", "ORG")]
    assert _run(loaded, ["省委省政府"], [("ORG", "省委省政府")]) == [("省委省政府", "ORG")]  # only its own list


@pytest.mark.parametrize(
    "words,preset,expected",
    [
        (["开展", "党史", "学习教育"], [("INITIATIVE", "学习教育")], [("党史学习教育", "INITIATIVE")]),
        (["落实", "三会一课", "制度"], [("INITIATIVE", "三会一课制度")], [("三会一课制度", "INITIATIVE")]),
    ],
)
def test_initiative_names(words, preset, expected):
    nlp = _with("dangjian_guideline_names", {"label": "INITIATIVE", "names": ["党史学习教育", "三会一课"]})
    assert _run(nlp, words, preset) == expected
