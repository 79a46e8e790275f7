"""dangjian_initiative_patterns: unquoted honours, awards and numbered contests, where the model found nothing."""

import pytest

from .conftest import _reloaded, _run, _with


@pytest.mark.parametrize(
    "words,preset,expected",
    [
        (["该局", "被评为", "全国先进基层党组织", "称号"], [], [("全国先进基层党组织", "INITIATIVE")]),
        (["荣获", "全国五一劳动奖状", "荣誉称号"], [], [("全国五一劳动奖状", "INITIATIVE")]),
        (["第32届", "公路养护宣传日", "暨", "养护技能比武"], [], [("公路养护宣传日", "INITIATIVE")]),
        (["该局", "被评为", "扶残助残", "先进集体", "。"], [], [("扶残助残先进集体", "INITIATIVE")]),
        (["连续", "荣立", "集体", "二等功"], [], [("集体二等功", "INITIATIVE")]),
        # a coordination is no name: 空军和江苏省 ... is left to the model
        (["被评为", "空军", "和", "江苏省", "文明单位"], [], []),
        (["第九届", "广东省", "“", "先锋杯", "”"], [("INITIATIVE", "先锋杯")], [("先锋杯", "INITIATIVE")]),
        # the model's span wins
        (
            ["被评为", "全国", "先进基层党组织", "称号"],
            [("INITIATIVE", "先进基层党组织")],
            [("先进基层党组织", "INITIATIVE")],
        ),
    ],
)
def test_frames_fill_gaps(words, preset, expected):
    assert _run(_with("dangjian_initiative_patterns"), words, preset) == expected


def test_patterns_round_trip_and_are_checked(tmp_path):
    patterns = [{"id": "x", "label": "INITIATIVE", "pattern": "开展(?P<name>[甲乙]{2})活动"}]
    nlp = _reloaded("dangjian_initiative_patterns", {"patterns": patterns}, tmp_path)
    assert _run(nlp, ["开展", "甲乙", "活动"]) == [("甲乙", "INITIATIVE")]
    with pytest.raises(ValueError, match="group"):
        _with("dangjian_initiative_patterns", {"patterns": [{"label": "INITIATIVE", "pattern": "甲"}]})
