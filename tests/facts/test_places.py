"""The places an article establishes (pipeline/facts/places.py)."""

from __future__ import annotations

import pytest

from pipeline.facts.places import DocumentPlaces, document_places, place_index


@pytest.mark.parametrize(
    "texts, expected",
    [
        (["湛江市召开会议。"], {"市": "湛江市"}),
        (["浙江的机关", "浙江各级党组织"], {"省": "浙江省"}),
        (["海安市党建网"], {"市": "海安市"}),  # the list knows 海安县; written with 市 it is a city
        (["双流区委组织部", "成都市双流区委组织部"], {"区": "双流区", "市": "成都市"}),
        (["平安区的工作"], {"区": "平安区"}),
        (["平安、红旗、解放"], {}),  # bare district names are common words
        (["上海朗股科技有限公司"], {}),  # one bare mention does not establish a city
    ],
)
def test_document_places(texts, expected):
    assert document_places(texts) == expected


def test_the_place_before_a_name_in_its_paragraph_wins():
    places = DocumentPlaces(["湛江市。湛江市。", "嘉善县通过评议,县委审定。茂名市部署,市委落实。"])
    assert places.at("县", 1, 12) == "嘉善县" and places.at("市", 1, 22) == "茂名市"
    assert places.at("市", 1, 3) == "湛江市"  # nothing before it in its paragraph: the article's


@pytest.mark.parametrize("text, n", [("成都市双流区", 6), ("湛江市委", 3), ("市委", 0), ("海安市", 3)])
def test_prefix_length(text, n):
    assert place_index().prefix_length(text) == n
