"""The guideline patterns in spaCy's entity_ruler: organ short forms and bare campaign names fill
gaps the model leaves, never inside a 《》 title, never over the model's spans."""
from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

import pipeline  # noqa: F401
from pipeline.rules import guideline_patterns


def _nlp():
    nlp = spacy.blank("zh")
    nlp.add_pipe("dangjian_lexical_features", config={"places": True})
    ruler = nlp.add_pipe("entity_ruler", name="guideline_ruler", config={"overwrite_ents": False, "validate": True})
    ruler.add_patterns(guideline_patterns())
    return nlp


def _run(nlp, words, preset=()):
    doc = Doc(nlp.vocab, words=words, spaces=[False] * len(words))
    doc.ents = [doc.char_span(doc.text.index(text), doc.text.index(text) + len(text), label=label) for label, text in preset]
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return [(e.text, e.label_) for e in doc.ents]


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
    ],
)
def test_guideline_patterns(words, preset, expected):
    assert _run(_nlp(), words, preset) == expected


def test_patterns_are_valid_and_round_trip(tmp_path):
    nlp = _nlp()
    assert {p["label"] for p in guideline_patterns()} == {"ORG", "INITIATIVE"}
    nlp.to_disk(tmp_path / "p")
    loaded = spacy.load(tmp_path / "p")
    words = ["为", "区党工委", "举办", "学习教育"]
    assert _run(loaded, words) == _run(nlp, words) == [("区党工委", "ORG"), ("学习教育", "INITIATIVE")]


def test_configs_initialise_the_ruler_from_the_registry():
    from pipeline.training import default_config

    config = spacy.util.load_config(default_config())
    assert config["components"]["guideline_ruler"]["factory"] == "entity_ruler"
    assert config["components"]["guideline_ruler"]["overwrite_ents"] is False
    patterns = spacy.util.registry.resolve({"p": config["initialize"]["components"]["guideline_ruler"]["patterns"]})["p"]
    assert patterns == guideline_patterns()
