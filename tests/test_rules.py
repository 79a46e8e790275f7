"""Rule components: the OUTCOME finder, the token splitter and the lexical features."""
from __future__ import annotations

import pytest
import spacy

from pipeline.features import quote_context, word_class
from pipeline.rules import OutcomeRuler, TokenSplitter, find_outcomes, punctuation_cuts

from .conftest import words_tokenizer


def _found(text):
    return [text[a:b] for a, b in find_outcomes(text)]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("获省级以上集体荣誉337项、个人荣誉超千项;", ["337项", "超千项"]),
        ("共举办“爱心扶贫大集市”18场,筹集资金86.34万元。", ["18场", "86.34万元"]),
        ("献血近60万毫升,参与1300余次,占比89%。", ["近60万毫升", "1300余次", "89%"]),
        ("2023年11月18日召开第32届大会,历时5个多月。", []),  # dates, ordinal, duration
        ("排名前3名,用时3个月,每年召开一次。", []),  # rank, duration, article
        ("做到“两个维护”,增强四个意识。", []),  # slogans
        ("建党103周年,十九大精神。", []),
        ("《关于开展10项行动的通知》", []),  # inside a title
        ("“拿下共计50万美元的订单。”", ["50万美元"]),  # quoted speech is not a name
        ("分解5个方面18项重点任务", ["5个", "18项"]),
        ("第三方万人民主评议", []),
        ("特定区域停车场所100个(次)。", ["100个(次)"]),
        ("达到献血者人数的近一半", ["近一半"]),
    ],
)
def test_find_outcomes(text, expected):
    assert _found(text) == expected


def test_punctuation_glued_to_digits_is_cut():
    doc = words_tokenizer(["获奖", ",21", "篇"])("获奖,21篇")
    assert punctuation_cuts(doc) == [3]
    assert [t.text for t in TokenSplitter(outcome_boundaries=False)(doc)] == ["获奖", ",", "21", "篇"]


def test_splitter_cuts_at_quantity_boundaries():
    doc = words_tokenizer(["共", "举办18", "场次活动"])("共举办18场次活动")
    assert [t.text for t in TokenSplitter()(doc)] == ["共", "举办", "18", "场次", "活动"]


@pytest.mark.parametrize("mode,expected", [
    ("fill", [("市直机关工委", "ORG"), ("18场", "INITIATIVE")]),
    ("overwrite", [("市直机关工委", "ORG"), ("18场", "OUTCOME")]),
    ("exclusive", [("18场", "OUTCOME")]),
])
def test_outcome_ruler_modes(mode, expected):
    nlp = spacy.blank("zh")
    doc = nlp("市直机关工委举办18场。")
    doc.ents = [doc.char_span(0, 6, "ORG"), doc.char_span(8, 11, "INITIATIVE")]
    if mode == "exclusive":
        doc.ents = [doc.char_span(0, 6, "OUTCOME")]
    out = OutcomeRuler("r", mode=mode)(doc)
    assert [(e.text, e.label_) for e in out.ents] == expected


def test_outcome_ruler_rejects_unknown_mode():
    with pytest.raises(ValueError, match="mode"):
        OutcomeRuler("r", mode="sometimes")


@pytest.mark.parametrize("word,cls", [("区委", "H"), ("组织部", "H"), ("省交通运输厅", "H"), ("泸州市", "P"), ("省", "P"), ("市直", "L"), ("行动", "C"), ("品牌", "C"), ("337", "N"), ("五", "N"), (",", "-"), ("推动", "-")])
def test_word_class(word, cls):
    assert word_class(word) == cls


def test_quote_context_marks_names_and_titles_not_speech():
    text = "以“三航行动”为牵动,印发《方案》,他说:“我们要干在实处。”"
    ctx = "".join(quote_context(text))
    assert ctx[text.index("三航行动")] == "q"
    assert ctx[text.index("方案")] == "t"
    assert ctx[text.index("我们")] == "-"


def test_rule_components_round_trip_through_serialisation(tmp_path):
    nlp = spacy.blank("zh")
    nlp.add_pipe("dangjian_token_splitter")
    nlp.add_pipe("dangjian_lexical_features")
    nlp.add_pipe("dangjian_outcome_ruler", config={"mode": "fill"})
    nlp.add_pipe("dangjian_outcome_normalizer")
    text = "共举办活动18场,投入86.34万元。"
    before = [(e.text, e._.value, e._.unit, e._.qualifier) for e in nlp(text).ents]
    nlp.to_disk(tmp_path / "p")
    loaded = spacy.load(tmp_path / "p")
    assert loaded.pipe_names == nlp.pipe_names
    assert loaded.get_pipe("dangjian_outcome_ruler").mode == "fill"
    assert [(e.text, e._.value, e._.unit, e._.qualifier) for e in loaded(text).ents] == before == [("18场", 18.0, "场", "exact"), ("86.34万元", 863400.0, "元", "exact")]
    again = spacy.blank("zh")
    for name in nlp.pipe_names:
        again.add_pipe(name, config={k: v for k, v in nlp.config["components"][name].items() if k != "factory"})
    again.from_bytes(nlp.to_bytes())
    assert [(e.text, e._.value) for e in again(text).ents] == [b[:2] for b in before]


def test_trie_matcher_matches_longest_words():
    from pipeline.features import TrieMatcher

    text = "成都市双流区委、龙马潭区委"
    spans = TrieMatcher(["龙马潭", "龙马潭区", "双流", "成都市"]).spans(text)
    assert [text[a:b] for a, b in spans] == ["成都市", "双流", "龙马潭区"]


@pytest.mark.parametrize(
    "text,flags",
    [
        ("龙马潭区委组织部", {"龙马潭": "g", "区委": "-"}),
        ("成都市双流区委", {"成都市": "g", "双流": "g"}),
        ("市直机关工委开展活动", {"市直": "-", "机关工委": "-"}),
    ],
)
def test_place_flags(text, flags):
    from pipeline.features import features

    doc = spacy.blank("zh").make_doc(text)
    # group single characters back into the words of the expectation
    got = {}
    for word in flags:
        start = text.index(word)
        toks = [t for t in doc if start <= t.idx < start + len(word)]
        got[word] = "g" if all(f.endswith("g") for t, f in zip(doc, features(doc)) if t in toks) else "-"
    assert got == flags


def test_feature_scheme_without_places_is_stable():
    """Pipelines saved before the place flag expect three-character tags: keep that scheme."""
    from pipeline.features import LexicalFeatures

    doc = LexicalFeatures()(spacy.blank("zh").make_doc("龙马潭“三航”"))
    assert [t.tag_ for t in doc] == ["---", "---", "---", "---", "q-N", "q--", "---"]
    doc = LexicalFeatures(places=True)(spacy.blank("zh").make_doc("龙马潭"))
    assert [t.tag_ for t in doc] == ["---g", "---g", "---g"]


def _extend(words, ents, nlp=None):
    from spacy.tokens import Doc

    nlp = nlp or spacy.blank("zh")
    ext = nlp.get_pipe("dangjian_org_head_extender") if "dangjian_org_head_extender" in nlp.pipe_names else nlp.add_pipe("dangjian_org_head_extender")
    doc = Doc(nlp.vocab, words=words, spaces=[False] * len(words))
    doc.ents = [doc.char_span(doc.text.index(t), doc.text.index(t) + len(t), label=lab) for lab, t in ents]
    return [(e.text, e.label_) for e in ext(doc).ents]


@pytest.mark.parametrize(
    "words,ents,expected",
    [
        (["评定", "出", "区委办公室", "机关", "党委", "“"], [("ORG", "区委办公室")], [("区委办公室机关党委", "ORG")]),
        (["局机关", "第一", "党支部", "以"], [("ORG", "局机关")], [("局机关第一党支部", "ORG")]),
        (["石门局", "党委书记"], [("ORG", "石门局")], [("石门局党委", "ORG")]),  # the token is split at the head
        (["省委", "党组织"], [("ORG", "省委")], [("省委", "ORG")]),  # 党组织 is generic, not 党组
        (["市委", "党校"], [("ORG", "市委")], [("市委", "ORG")]),
        (["三航", "党委"], [("INITIATIVE", "三航")], [("三航", "INITIATIVE")]),  # ORG spans only
        (["市委", "党委", "活动"], [("ORG", "市委"), ("INITIATIVE", "党委活动")], [("市委", "ORG"), ("党委活动", "INITIATIVE")]),  # never over another span
    ],
)
def test_org_head_extender(words, ents, expected):
    assert _extend(words, ents) == expected


def test_org_head_extender_round_trips(tmp_path):
    nlp = spacy.blank("zh")
    nlp.add_pipe("dangjian_org_head_extender", config={"heads": ["党委"]})
    nlp.to_disk(tmp_path / "p")
    loaded = spacy.load(tmp_path / "p")
    assert loaded.get_pipe("dangjian_org_head_extender").heads == ["党委"]
    assert _extend(["区委办公室", "机关党委"], [("ORG", "区委办公室")], loaded) == [("区委办公室", "ORG")]  # only the configured heads
    assert _extend(["石门局", "党委"], [("ORG", "石门局")], loaded) == [("石门局党委", "ORG")]
