"""The lexical features: word classes, quote context and place flags."""

import pytest
import spacy

from pipeline.components.lexical_features import LexicalFeatures


@pytest.mark.parametrize(
    "word,cls",
    [
        ("区委", "H"),
        ("组织部", "H"),
        ("省交通运输厅", "H"),
        ("泸州市", "P"),
        ("省", "P"),
        ("市直", "L"),
        ("行动", "C"),
        ("品牌", "C"),
        ("337", "N"),
        ("五", "N"),
        (",", "-"),
        ("推动", "-"),
    ],
)
def test_word_class(word, cls):
    assert LexicalFeatures().word_class(word) == cls


def test_quote_context_marks_names_and_titles_not_speech():
    text = "以“三航行动”为牵动,印发《方案》,他说:“我们要干在实处。”"
    tags = {t.text: t.tag_[0] for t in LexicalFeatures()(spacy.blank("zh").make_doc(text))}
    assert tags["三"] == "q"
    assert tags["方"] == "t"
    assert tags["我"] == "-"


@pytest.mark.parametrize(
    "text,flags",
    [
        ("龙马潭区委组织部", {"龙马潭": "g", "区委": "-"}),
        ("成都市双流区委", {"成都市": "g", "双流": "g"}),
        ("市直机关工委开展活动", {"市直": "-", "机关工委": "-"}),
    ],
)
def test_place_flags(text, flags):
    doc = spacy.blank("zh").make_doc(text)
    features = LexicalFeatures(places=True).features
    # group single characters back into the words of the expectation
    got = {}
    for word in flags:
        start = text.index(word)
        toks = [t for t in doc if start <= t.idx < start + len(word)]
        got[word] = "g" if all(f.endswith("g") for t, f in zip(doc, features(doc)) if t in toks) else "-"
    assert got == flags


def test_feature_scheme_without_places_is_stable():
    """Pipelines saved before the place flag expect three-character tags: keep that scheme."""
    doc = LexicalFeatures()(spacy.blank("zh").make_doc("龙马潭“三航”"))
    assert [t.tag_ for t in doc] == ["---", "---", "---", "---", "q-N", "q--", "---"]
    doc = LexicalFeatures(places=True)(spacy.blank("zh").make_doc("龙马潭"))
    assert [t.tag_ for t in doc] == ["---g", "---g", "---g"]


def test_word_lists_round_trip_with_the_pipeline(tmp_path):
    nlp = spacy.blank("zh")
    nlp.add_pipe("dangjian_lexical_features", config={"places": True, "org_heads": ["工委"], "place_names": ["龙马潭"]})
    nlp.to_disk(tmp_path / "p")
    loaded = spacy.load(tmp_path / "p")  # the saved lists, not the package's
    features = loaded.get_pipe("dangjian_lexical_features")
    assert features.word_class("区委") == "-" and features.word_class("市工委") == "H"
    assert [t.tag_ for t in loaded("龙马潭")] == ["---g"] * 3


@pytest.mark.parametrize(
    "words,quoted,follower",
    [
        (["形成", "“", "一级", "抓", "一级", "”", "的", "格局"], "一级", "-"),  # 的 is no head
        (["解决", "“", "两张皮", "”", "问题"], "两张皮", "D"),  # a description: not a campaign
        (["开展", "“", "三航", "”", "行动"], "三航", "C"),  # a campaign head
        (["开展", "“", "三航", "” ", "行动"], "三航", "C"),  # white space between
    ],
)
def test_quote_followers(words, quoted, follower):
    from spacy.tokens import Doc

    nlp = spacy.blank("zh")
    doc = Doc(nlp.vocab, words=words, spaces=[False] * len(words))
    feats = dict(zip(words, LexicalFeatures(quote_followers=True).features(doc)))
    assert feats[quoted][:2] == "q" + follower
    assert [f[1] for w, f in zip(words, LexicalFeatures(quote_followers=False).features(doc))] == ["-"] * len(words)
