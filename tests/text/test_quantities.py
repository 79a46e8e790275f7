"""The OUTCOME quantity rules."""

import pytest

from pipeline.text.quantities import find_outcomes


def _found(text):
    return [text[a:b] for a, b in find_outcomes(text)]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("获省级以上集体荣誉337项、个人荣誉超千项;", ["337项", "超千项"]),
        ("比上年增长63·5％，", ["63·5％"]),  # a middle dot as the decimal point (older news)
        ("捐款几百元，数十名党员参加", ["几百元", "数十名"]),
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


FULL_WIDTH = str.maketrans("0123456789.%,", "０１２３４５６７８９．％，")


@pytest.mark.parametrize(
    "text",
    ["筹集资金86.34万元。", "占比89%。", "参与1300余次。", "共1,200人参加。", "献血近60万毫升。", "增长3.5%以上。"],
)
@pytest.mark.parametrize(
    "convert", [lambda t: t.translate(FULL_WIDTH), lambda t: t.replace(".", "．")], ids=["full-width", "point-only"]
)
def test_full_width_forms_give_the_ascii_span_and_value(text, convert):
    from pipeline.text.numbers import parse_quantity

    wide = convert(text)
    assert find_outcomes(wide) == find_outcomes(text)
    for a, b in find_outcomes(wide):
        assert parse_quantity(wide[a:b]) == parse_quantity(text[a:b])
