"""The feature strings of a relation decision: the sentence structure the guideline names."""

import pytest

from pipeline.relations.candidates import tail_choices
from pipeline.relations.features import SentenceFeatures, default_lexicon

from .test_candidates import _mentions


def _features(text, spans, head, tail):
    mentions = _mentions(text, spans)
    choice = next(c for c in tail_choices(text, mentions, 8, 300) if text[c.tail.start : c.tail.end] == tail)
    h = next(m for m in choice.candidates if text[m.start : m.end] == head)
    return set(SentenceFeatures(text, choice.sentence, default_lexicon()).candidate(h, choice.tail, choice.candidates))


@pytest.mark.parametrize(
    "text,spans,head,tail,present,absent",
    [
        # the acting organisation opens the sentence and keeps acting across comma clauses
        (
            "省委党校率先建立清单制度,加强日常管理,对违规的实行“一票否决”。",
            [("ORG", "省委党校"), ("INITIATIVE", "一票否决")],
            "省委党校",
            "一票否决",
            {"h_subject=True", "h_at_start=True", "clauses=2", "rule_pick=True", "ORG>INITIATIVE|h_subject=True"},
            {"h_subject=False"},
        ),
        # an organisation governed by a preposition is not the subject
        (
            "在福德社区,党员将“双报到”制度落在实处。",
            [("ORG", "福德社区"), ("INITIATIVE", "双报到")],
            "福德社区",
            "双报到",
            {"h_prep=在", "h_subject=False"},
            {"h_subject=True"},
        ),
        # its official speaks: a position title after the organisation
        (
            "市委组织部副部长要求,实施“两大行动”。",
            [("ORG", "市委组织部"), ("INITIATIVE", "两大行动")],
            "市委组织部",
            "两大行动",
            {"h_person=True"},
            {"h_person=False"},
        ),
        # a recipient and its award
        (
            "省卫健委等3个单位获评“先进集体”。",
            [("ORG", "省卫健委"), ("OUTCOME", "3个"), ("INITIATIVE", "先进集体")],
            "省卫健委",
            "先进集体",
            {"award=True", "dir=b|award=True", "between_OUTCOME=1"},
            {"award=False"},
        ),
        # the OUTCOME's clause shares characters with the initiative's name
        (
            "打造“机关大讲堂”品牌,举办专题讲座14场。",
            [("INITIATIVE", "机关大讲堂"), ("OUTCOME", "14场")],
            "机关大讲堂",
            "14场",
            {"ov_char=1", "INITIATIVE>OUTCOME|ov_char=1", "rank=1"},
            {"ov_char=0"},
        ),
    ],
)
def test_candidate_features(text, spans, head, tail, present, absent):
    feats = _features(text, spans, head, tail)
    assert present <= feats and not (absent & feats)


def test_none_features_describe_the_tail_and_its_candidates():
    text = "举办讲座14场。"
    mentions = _mentions(text, [("OUTCOME", "14场")])
    (choice,) = tail_choices(text, mentions, 8, 300)
    feats = SentenceFeatures(text, choice.sentence, default_lexicon()).none(choice.tail, choice.candidates)
    assert {"NONE", "N_cands_before=0", "N_orgs=0", "OUTCOME|N_tL2=讲座"} <= set(feats)
