"""Canonical organisation names within one article (pipeline/facts/orgs.py), one rule a case."""

from __future__ import annotations

import pytest

from pipeline.facts.canonical import RESOLVED, UNRESOLVED, WRITTEN
from pipeline.facts.orgs import resolve_orgs


def resolve(paragraphs, names):
    """Canonical (name, status) of `names`, each found in the first paragraph that contains it
    (after the previous name's position)."""
    mentions, last = [], (0, 0)
    for name in names:
        para = next(
            i for i in range(last[0], len(paragraphs)) if name in paragraphs[i][(last[1] if i == last[0] else 0) :]
        )
        start = paragraphs[para].index(name, last[1] if para == last[0] else 0)
        mentions.append((para, start, name))
        last = (para, start + len(name))
    return [(c.name, c.status) for c in resolve_orgs(paragraphs, mentions)]


@pytest.mark.parametrize(
    "paragraphs, names, expected",
    [
        # the place the article establishes (written twice, or once with its level)
        (["湛江市召开会议。", "市直机关工委举办活动。"], ["市直机关工委"], [("湛江市直机关工委", RESOLVED)]),
        (["湛江的机关", "湛江各单位", "市委部署。"], ["市委"], [("湛江市委", RESOLVED)]),
        # a single bare city name in a company name does not establish it
        (["上海某科技有限公司到访。", "市委部署。"], ["市委"], [("市委", UNRESOLVED)]),
        # the place written before the name in its paragraph wins over the article's
        (["湛江市召开会议。湛江市部署。", "嘉善县通过评议,县委审定。"], ["县委"], [("嘉善县委", RESOLVED)]),
        # 中共XX市委 written before: 市委 takes the fullest written form
        (["中共湛江市委召开会议。", "市委部署。"], ["中共湛江市委", "市委"], [("中共湛江市委", WRITTEN), ("中共湛江市委", RESOLVED)]),
        # back-references take the last organisation with that head
        (["湛江市直机关工委召开会议。", "工委将继续推进。"], ["湛江市直机关工委", "工委"], [("湛江市直机关工委", WRITTEN), ("湛江市直机关工委", RESOLVED)]),
        (["省交通运输厅召开会议,黑龙江省部署。", "厅党组研究。"], ["省交通运输厅", "厅党组"],
         [("黑龙江省交通运输厅", RESOLVED), ("黑龙江省交通运输厅党组", RESOLVED)]),
        (["市机关事务管理局举办活动。", "局机关第一党支部演出。"], ["市机关事务管理局", "局机关第一党支部"],
         [("市机关事务管理局", UNRESOLVED), ("市机关事务管理局机关第一党支部", RESOLVED)]),
        # a back-reference with nothing before it stays as written and says so
        (["宣传部、统战部参加。"], ["宣传部"], [("宣传部", UNRESOLVED)]),
        # the full name may come later, in a 《》 title
        (["局党组会议研究。", "印发《宣城市机关事务管理局2023年党建工作计划》。"], ["局党组"], [("宣城市机关事务管理局党组", RESOLVED)]),
        # abbreviations meet their full form; two customs offices do not
        (["海南省高级人民法院。", "省高院参加。"], ["海南省高级人民法院", "省高院"], [("海南省高级人民法院", WRITTEN), ("海南省高级人民法院", RESOLVED)]),
        (["海口港海关参加。", "海口海关参加。"], ["海口港海关", "海口海关"], [("海口港海关", WRITTEN), ("海口海关", WRITTEN)]),
        (["市石门水库管理局推进。", "石门局党委学习。"], ["市石门水库管理局", "石门局党委"],
         [("市石门水库管理局", UNRESOLVED), ("市石门水库管理局党委", RESOLVED)]),
        # place names before the same name make it fuller (a byline)
        (["双流区委组织部开展评审。", "(成都市双流区委组织部)"], ["双流区委组织部", "成都市双流区委组织部"],
         [("成都市双流区委组织部", RESOLVED), ("成都市双流区委组织部", WRITTEN)]),
        # a level with no place in the article
        (["市委部署,市直机关工委落实。"], ["市委", "市直机关工委"], [("市委", UNRESOLVED), ("市直机关工委", UNRESOLVED)]),
        # national names and named outlets are as written
        (["党中央决策部署,学习强国报道。"], ["党中央", "学习强国"], [("党中央", WRITTEN), ("学习强国", WRITTEN)]),
    ],
)  # fmt: skip
def test_resolution_rules(paragraphs, names, expected):
    assert resolve(paragraphs, names) == expected


def test_a_demonstrative_takes_the_last_organisation_with_its_head():
    paragraphs = ["省审计厅和省财政局召开会议。该局表示。"]
    assert resolve(paragraphs, ["省审计厅", "省财政局", "该局"])[-1] == ("省财政局", RESOLVED)


def test_documents_do_not_share_names():
    first = resolve(["湛江市召开会议。", "市委部署。"], ["市委"])
    second = resolve(["市委部署。"], ["市委"])
    assert first == [("湛江市委", RESOLVED)] and second == [("市委", UNRESOLVED)]
