"""Each tail's candidate heads, coordinations and the nearest-head rule."""

import pytest

from pipeline.relations.candidates import Mention, Sentence, coordination, rule_relations, sentences, tail_choices

TEXT = "市直机关工委以“三航行动”为牵动,共举办活动18场。省交通运输厅投入86.34万元。"


def _mentions(text, spans):
    out = []
    for i, (label, surface) in enumerate(spans):
        start = text.index(surface)
        out.append(Mention(start, start + len(surface), label, i))
    return out


MENTIONS = _mentions(
    TEXT,
    [
        ("ORG", "市直机关工委"),
        ("INITIATIVE", "三航行动"),
        ("OUTCOME", "18场"),
        ("ORG", "省交通运输厅"),
        ("OUTCOME", "86.34万元"),
    ],
)


def test_sentences_end_at_the_guidelines_marks():
    assert sentences("甲。乙；丙") == [(0, 2), (2, 4), (4, 5)]


def test_candidates_obey_labels_and_sentences():
    choices = {
        TEXT[c.tail.start : c.tail.end]: [TEXT[h.start : h.end] for h in c.candidates]
        for c in tail_choices(TEXT, MENTIONS, 8, 300)
    }
    assert choices == {
        "三航行动": ["市直机关工委"],  # LAUNCHED: ORG -> INITIATIVE
        "18场": ["市直机关工委", "三航行动"],  # ACHIEVED: ORG/INITIATIVE -> OUTCOME
        "86.34万元": ["省交通运输厅"],  # nothing across the sentence end
    }


@pytest.mark.parametrize(
    "max_candidates,max_distance,expected",
    [(1, 300, ["丙部"]), (8, 300, ["甲局", "乙委", "丙部"]), (8, 7, ["乙委", "丙部"])],
)
def test_candidates_are_bounded_nearest_first(max_candidates, max_distance, expected):
    text = "甲局和乙委以及丙部开展“行动”"
    mentions = _mentions(text, [("ORG", "甲局"), ("ORG", "乙委"), ("ORG", "丙部"), ("INITIATIVE", "行动")])
    (choice,) = tail_choices(text, mentions, max_candidates, max_distance)
    assert [text[h.start : h.end] for h in choice.candidates] == expected


@pytest.mark.parametrize(
    "text,spans,head,expected",
    [
        (
            "省直机关工委和纪检监察工委组织开展行动9次",
            [("ORG", "省直机关工委"), ("ORG", "纪检监察工委")],
            "纪检监察工委",
            ["省直机关工委", "纪检监察工委"],
        ),
        (
            "区委组织部(区直机关工委)将评出2个",
            [("ORG", "区委组织部"), ("ORG", "区直机关工委")],
            "区委组织部",
            ["区委组织部", "区直机关工委"],
        ),
        (
            "“四下基层”调研、“走流程”1300余次",
            [("INITIATIVE", "四下基层"), ("INITIATIVE", "走流程")],
            "走流程",
            ["走流程"],
        ),
        (
            "“四下基层”、“走流程”1300余次",
            [("INITIATIVE", "四下基层"), ("INITIATIVE", "走流程")],
            "走流程",
            ["四下基层", "走流程"],
        ),
        ("省委在省直机关开展", [("ORG", "省委"), ("ORG", "省直机关")], "省委", ["省委"]),
    ],
)
def test_coordination_joins_only_through_coordinators(text, spans, head, expected):
    mentions = _mentions(text, spans)
    sent = Sentence(0, len(text), mentions)
    chosen = next(m for m in mentions if text[m.start : m.end] == head)
    assert [text[m.start : m.end] for m in coordination(text, sent, chosen)] == expected


def test_rule_links_nearest_heads():
    found = {(TEXT[h.start : h.end], TEXT[t.start : t.end], label) for h, t, label in rule_relations(TEXT, MENTIONS)}
    assert found == {
        ("市直机关工委", "三航行动", "LAUNCHED"),
        ("三航行动", "18场", "ACHIEVED"),  # the nearest INITIATIVE within the window
        ("省交通运输厅", "86.34万元", "ACHIEVED"),
    }


def test_rule_takes_the_sentences_first_org_for_an_initiative_without_one_before():
    text = "“先锋杯”大赛由省直机关工委主办。"
    mentions = _mentions(text, [("INITIATIVE", "先锋杯"), ("ORG", "省直机关工委")])
    assert [(text[h.start : h.end], label) for h, _, label in rule_relations(text, mentions)] == [
        ("省直机关工委", "LAUNCHED")
    ]
