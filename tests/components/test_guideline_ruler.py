"""The guideline's hard cases as patterns fill gaps the model leaves, never over its spans."""

import pytest
import spacy

from pipeline.components.guideline_ruler import GuidelineRuler, guideline_patterns

from .conftest import _run


def _nlp():
    nlp = spacy.blank("zh")
    nlp.add_pipe("dangjian_guideline_ruler")
    nlp.add_pipe("dangjian_title_filter")
    return nlp


@pytest.mark.parametrize(
    "words,preset,expected",
    [
        (["全年", "召开", "厅", "党组", "会议"], (), [("厅党组", "ORG")]),
        (["为", "区党工委", "准确", "研判"], (), [("区党工委", "ORG")]),
        (["区党", "工委", "书记", "亲自", "挂帅"], (), [("区党工委", "ORG")]),  # pkuseg's split of 区党工委
        (["举办", "学习教育", "专题", "读书班"], (), [("学习教育", "INITIATIVE")]),
        (["深化", "巩固", "主题", "教育"], (), [("主题教育", "INITIATIVE")]),
        (["印发", "《", "学习教育", "实施", "方案", "》"], (), []),  # nothing inside a title
        (["制定", "《", "厅", "党组", "落实", "意见", "》"], (), []),
        (["开展", "党纪学习教育"], (), []),  # the full name is the model's to find
        (["局", "机关党委", "工作"], (("ORG", "局机关党委"),), [("局机关党委", "ORG")]),  # the model's span wins
        (["省", "交通运输厅", "党组"], (("ORG", "省交通运输厅"),), [("省交通运输厅", "ORG")]),
        (
            ["《", "中国共产党", "章程", "》", "和", "市委"],
            (("ORG", "中国共产党"), ("ORG", "市委")),
            [("市委", "ORG")],
        ),  # model spans in titles go too
    ],
)
def test_guideline_ruler_and_title_filter(words, preset, expected):
    assert _run(_nlp(), words, preset) == expected


def test_patterns_round_trip_with_the_pipeline(tmp_path):
    nlp = _nlp()
    nlp.get_pipe("dangjian_guideline_ruler").set_patterns([{"label": "ORG", "pattern": [{"ORTH": "工委"}]}])
    nlp.to_disk(tmp_path / "p")
    loaded = spacy.load(tmp_path / "p")  # the saved patterns, not the package's
    assert _run(loaded, ["工委", "开展"]) == [("工委", "ORG")]
    assert _run(loaded, ["厅", "党组"]) == []
    again = GuidelineRuler().from_bytes(nlp.get_pipe("dangjian_guideline_ruler").to_bytes())
    assert again.patterns == [{"label": "ORG", "pattern": [{"ORTH": "工委"}]}]


@pytest.mark.parametrize(
    "bad",
    [{"pattern": [{"ORTH": "x"}]}, {"label": "ORG", "pattern": [{"LOWER": "x"}]}, {"label": "ORG", "pattern": []}],
)
def test_unsupported_patterns_are_a_clear_error(bad):
    with pytest.raises(ValueError, match="pattern 1 must be"):
        GuidelineRuler(patterns=[bad])


def test_package_patterns_and_configs():
    from pipeline.training.train import default_config

    patterns = guideline_patterns()
    assert {p["label"] for p in patterns} == {"ORG", "INITIATIVE"} and GuidelineRuler(
        patterns=patterns
    ).patterns == patterns
    config = spacy.util.load_config(default_config())
    names = config["nlp"]["pipeline"]
    assert (
        names.index("ner")
        < names.index("dangjian_guideline_ruler")
        < names.index("dangjian_title_filter")
        < names.index("dangjian_relation_extractor")
    )
