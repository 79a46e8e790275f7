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


def _runs(text: str):
    """Lengths of the stretches of `text` without a sentence end."""
    import re

    return [len(run) for run in re.split("[。！？；!?;]", text)]


@pytest.mark.parametrize("max_sentence", [20, 50, 100])
def test_a_sentence_that_never_ends_is_cut_at_clause_marks(max_sentence):
    line = "第一句话。" + "市直机关工委开展三航行动，举办活动18场、培训党员300人次：" * 40
    segs = segments(line, 2000, max_sentence)
    pieces = [line[a:b] for a, b in segs]
    assert "".join(pieces) == line
    assert all(max(_runs(p)) <= max_sentence for p in pieces)  # no segment holds more of the run-on sentence
    assert all(p[-1] in "，、：" for p in pieces[:-1])  # a clause mark was always within reach


def test_a_sentence_without_clause_marks_is_cut_hard():
    line = "没有标点的很长一段" * 50
    segs = segments(line, 2000, 100)
    assert [b - a for a, b in segs] == [100, 100, 100, 100, 50]


def test_sentences_within_the_bound_are_packed_as_before():
    line = "第一句话，有逗号。" * 300
    assert segments(line, 2000, 400) == segments(line, 2000)
    assert all(line[a:b].endswith("。") for a, b in segments(line, 2000, 400))
