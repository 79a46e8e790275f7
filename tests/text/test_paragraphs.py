"""Paragraphs are non-empty "\\n"-terminated lines, stripped; long ones are cut at sentence ends."""

import pytest

from pipeline.text.paragraphs import line_spans, paragraphs, segments


@pytest.mark.parametrize(
    "text,expected",
    [
        ("标题\n\n  正文一。\n\u2003\u2003正文二。\n  \n", ["标题", "正文一。", "正文二。"]),
        ("", []),
        ("一行\u2028仍是一行\u2029也是\x85同一行", ["一行\u2028仍是一行\u2029也是\x85同一行"]),  # only \n ends a line
        ("甲乙。\n\n  丙丁。\n", ["甲乙。", "丙丁。"]),
        ("   \n\t\n", []),
    ],
)
def test_paragraphs_are_stripped_non_empty_lines(text, expected):
    assert paragraphs(text) == expected
    assert [text[a:b] for a, b in line_spans(text)] == expected
    assert [text[a:b] for a, b in segments(text, 2000)] == expected


def test_long_lines_are_cut_at_sentence_ends():
    line = "第一句话。" * 10 + "没有句号的很长一段" * 30
    segs = segments(line, max_chars=40)
    assert "".join(line[a:b] for a, b in segs) == line
    assert all(b - a <= 40 for a, b in segs)
    assert line[segs[0][0] : segs[0][1]].endswith("。")
