"""Code points <-> the UTF-16 units of Doccano's annotation page (no server needed)."""

import pytest

from pipeline.doccano.offsets import from_page, row_from_page, row_to_page, to_page

TEXT = "𠮷市直机关工委😀共举办活动18场。"  # 𠮷 and 😀 take two UTF-16 units each


def page_slice(text, start, end):
    """What JavaScript's text.slice(start, end) gives: the page's view of an offset pair."""
    units = text.encode("utf-16-le")
    return units[2 * start : 2 * end].decode("utf-16-le")


@pytest.mark.parametrize("surface", ["𠮷", "市直机关工委", "😀", "18场", "。"])
def test_a_span_reads_the_same_in_both_units(surface):
    start = TEXT.index(surface)
    end = start + len(surface)
    page = (to_page(TEXT, start), to_page(TEXT, end))
    assert page_slice(TEXT, *page) == surface
    assert (from_page(TEXT, page[0]), from_page(TEXT, page[1])) == (start, end)


def test_every_offset_round_trips_and_a_split_character_is_refused():
    for i in range(len(TEXT) + 1):
        assert from_page(TEXT, to_page(TEXT, i)) == i
    with pytest.raises(ValueError, match="splits the character '𠮷'"):
        from_page(TEXT, 1)
    assert to_page("市直机关工委", 3) == 3  # nothing outside the BMP: the same numbers


def test_rows_are_converted_only_when_needed():
    row = {"text": TEXT, "entities": [{"id": 1, "label": "ORG", "start_offset": 1, "end_offset": 7}], "doc_id": "d"}
    page = row_to_page(row)
    assert page["entities"][0] == {"id": 1, "label": "ORG", "start_offset": 2, "end_offset": 8}
    assert row["entities"][0]["start_offset"] == 1  # the input row is left alone
    assert row_from_page(page) == row
    plain = {"text": "市直机关工委", "entities": [{"start_offset": 0, "end_offset": 6}]}
    assert row_to_page(plain) is plain
