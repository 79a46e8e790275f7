"""The cue features of a pair, and their hashing."""

import numpy
import pytest

from pipeline.relations.candidates import sentence_ids
from pipeline.relations.cues import context_features, hash_features

from .conftest import _doc


@pytest.mark.parametrize(
    "head,tail,expected,absent",
    [
        (
            "市直机关工委",
            "三航行动",
            {"tL1=“", "tR1=”", "tail_opened=True", "cue=以", "head_first_entity=True", "head_after_tail=False"},
            {"cue=举办"},
        ),
        (
            "三航行动",
            "18场",
            {
                "cue=举办",
                "initiative_before_tail=True",
                "head_nearest_before_tail=True",
                "commas=1",
                "INITIATIVE>OUTCOME|cue=举办",
            },
            {"cue=以"},
        ),
        (
            "市直机关工委",
            "18场",
            {
                "head_first_of_label=True",
                "sentence_has_initiative=True",
                "commas=1",
                "ORG>OUTCOME|sentence_has_initiative=True",
            },
            set(),
        ),
        (
            "省交通运输厅",
            "86.34万元",
            {"sentence_has_initiative=False", "initiative_before_tail=False", "hR2=投入", "commas=0"},
            {"cue=举办"},
        ),
    ],
)
def test_context_features(head, tail, expected, absent):
    doc = _doc()
    ents = {e.text: e for e in doc.ents}
    feats = set(context_features(doc, sentence_ids(doc), list(doc.ents), ents[head], ents[tail]))
    assert expected <= feats and not (absent & feats)


CO_TEXT = "市委宣传部联合市直机关工委举办“书香机关”读书活动12场,发放书籍300册。"


CO_SPANS = (
    ("ORG", "市委宣传部"),
    ("ORG", "市直机关工委"),
    ("INITIATIVE", "书香机关"),
    ("OUTCOME", "12场"),
    ("OUTCOME", "300册"),
)


@pytest.mark.parametrize(
    "head,tail,expected,absent",
    [
        # co-organisers joined by 联合 each get LAUNCHED (ANNOTATION.md)
        (
            "市委宣传部",
            "书香机关",
            {"co_organisers=True", "hEnd2=传部", "tEnd2=机关", "same_clause=True", "outcomes_between=0"},
            {"co_organisers=False"},
        ),
        (
            "市直机关工委",
            "书香机关",
            {"co_organisers=False", "ORG>INITIATIVE|same_clause=True"},
            {"co_organisers=True"},
        ),
        # the initiative produced the nearer quantity; another quantity stands in between for the far one
        ("书香机关", "12场", {"outcomes_between=0", "gap_chars=1", "tEnd2=2场"}, set()),
        (
            "书香机关",
            "300册",
            {"outcomes_between=1", "same_clause=False", "INITIATIVE>OUTCOME|outcomes_between=1"},
            {"same_clause=True"},
        ),
    ],
)
def test_guideline_cue_features(head, tail, expected, absent):
    doc = _doc(CO_TEXT, CO_SPANS)
    ents = {e.text: e for e in doc.ents}
    feats = set(context_features(doc, sentence_ids(doc), list(doc.ents), ents[head], ents[tail]))
    assert expected <= feats and not (absent & feats)


def test_hashed_features_are_stable_binary_columns():
    v = hash_features(["cue=举办", "cue=举办", "commas=1"], 64)
    assert v.shape == (64,) and v.sum() in (1.0, 2.0) and set(numpy.unique(v)) <= {0.0, 1.0}
    # CRC32, not Python's salted hash(): the same column in every process (saved models rely on it)
    import zlib

    assert v[zlib.crc32("cue=举办".encode("utf8")) % 64] == 1.0
