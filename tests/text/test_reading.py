"""What the pipeline reads of a text: invisible characters left out (offsets mapped back) and
traditional characters read as simplified, character for character."""

import pytest

from pipeline.schema import INVISIBLE
from pipeline.text.reading import Reading, reading, simplified


@pytest.mark.parametrize("mark", list(INVISIBLE))
def test_invisible_characters_are_not_read_and_offsets_map_back(mark):
    text = f"{mark}市直机关{mark}工委举办活动1{mark}8场{mark}"
    view = reading(text)
    assert view.text == "市直机关工委举办活动18场"
    org = view.span(0, 6)
    assert text[org[0] : org[1]] == f"市直机关{mark}工委"  # inside the span: kept; at its edges: left out
    outcome = view.span(10, 13)
    assert text[outcome[0] : outcome[1]] == f"1{mark}8场"


@pytest.mark.parametrize(
    "traditional, simple",
    [
        ("機關黨委共舉辦活動18場", "机关党委共举办活动18场"),
        ("投入86.34萬元", "投入86.34万元"),
        ("近6000人次", "近6000人次"),
    ],
)
def test_traditional_characters_are_read_as_simplified(traditional, simple):
    assert simplified(traditional) == simple
    assert reading(traditional) == Reading(simple)  # same length: the offsets are the same


@pytest.mark.parametrize("text", ["", "plain ASCII 2023", "市直机关工委以“三航行动”为牵动,共举办活动18场。", "😀𠮷"])
def test_simplified_text_is_read_as_it_is(text):
    assert reading(text) == Reading(text)
