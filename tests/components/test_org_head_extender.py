"""An ORG takes in the Party organ head written right after it."""

import pytest
import spacy

from .conftest import _reloaded


def _extend(words, ents, nlp=None):
    from spacy.tokens import Doc

    nlp = nlp or spacy.blank("zh")
    ext = (
        nlp.get_pipe("dangjian_org_head_extender")
        if "dangjian_org_head_extender" in nlp.pipe_names
        else nlp.add_pipe("dangjian_org_head_extender")
    )
    doc = Doc(nlp.vocab, words=words, spaces=[False] * len(words))
    doc.ents = [doc.char_span(doc.text.index(t), doc.text.index(t) + len(t), label=lab) for lab, t in ents]
    return [(e.text, e.label_) for e in ext(doc).ents]


@pytest.mark.parametrize(
    "words,ents,expected",
    [
        (["评定", "出", "区委办公室", "机关", "党委", "“"], [("ORG", "区委办公室")], [("区委办公室机关党委", "ORG")]),
        (["局机关", "第一", "党支部", "以"], [("ORG", "局机关")], [("局机关第一党支部", "ORG")]),
        (["市直机关工委", "机关", "一", "支部", "将"], [("ORG", "市直机关工委")], [("市直机关工委", "ORG")]),
        (["石门局", "党委书记"], [("ORG", "石门局")], [("石门局党委", "ORG")]),  # the token is split at the head
        (["省委", "党组织"], [("ORG", "省委")], [("省委", "ORG")]),  # 党组织 is generic, not 党组
        (["市委", "党校"], [("ORG", "市委")], [("市委", "ORG")]),
        (["三航", "党委"], [("INITIATIVE", "三航")], [("三航", "INITIATIVE")]),  # ORG spans only
        (
            ["市委", "党委", "活动"],
            [("ORG", "市委"), ("INITIATIVE", "党委活动")],
            [("市委", "ORG"), ("党委活动", "INITIATIVE")],
        ),  # never over another span
    ],
)
def test_org_head_extender(words, ents, expected):
    assert _extend(words, ents) == expected


def test_org_head_extender_round_trips(tmp_path):
    loaded = _reloaded("dangjian_org_head_extender", {"heads": ["党委"]}, tmp_path)
    assert loaded.get_pipe("dangjian_org_head_extender").heads == ["党委"]
    assert _extend(["区委办公室", "机关党委"], [("ORG", "区委办公室")], loaded) == [
        ("区委办公室", "ORG")
    ]  # only the configured heads
    assert _extend(["石门局", "党委"], [("ORG", "石门局")], loaded) == [("石门局党委", "ORG")]


@pytest.mark.parametrize(
    "words,expected",
    [
        (["省委", "直属", "机关工委", "举办"], [("省委直属机关工委", "ORG")]),  # a prefix, then a head
        (["省委", "直属", "单位"], [("省委", "ORG")]),  # a prefix alone is not a head
    ],
)
def test_a_head_may_follow_a_prefix_直属(words, expected):
    nlp = spacy.blank("zh")
    nlp.add_pipe("dangjian_org_head_extender", config={"prefixes": ["直属"]})
    assert _extend(words, [("ORG", "省委")], nlp) == expected


@pytest.mark.parametrize(
    "words,expected",
    [
        (["市直机关工委", "机关", "一", "支部", "将"], [("市直机关工委机关一支部", "ORG")]),
        (["市直机关工委", "机关", "第一", "支部"], [("市直机关工委机关第一支部", "ORG")]),
        (["市直机关工委", "机关", "干部"], [("市直机关工委", "ORG")]),
    ],
)
def test_the_configs_prefix_机关(words, expected):
    nlp = spacy.blank("zh")
    nlp.add_pipe("dangjian_org_head_extender", config={"prefixes": ["机关"]})
    assert _extend(words, [("ORG", "市直机关工委")], nlp) == expected
