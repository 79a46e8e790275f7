"""Text UTF-8 cannot encode (lone surrogates) is found and named, never passed on."""

import pytest

from pipeline.text.encoding import check_text, problem, unencodable, value_problem


@pytest.mark.parametrize(
    "text,at",
    [("省委开展", None), ("😀𠮷", None), ("省委\ud800开展", 2), ("\udfff", 0), ("ab\udc00\ud800", 2), ("", None)],
)
def test_unencodable_finds_the_first_lone_surrogate(text, at):
    assert unencodable(text) == at
    assert (problem(text) is None) == (at is None)


def test_check_text_names_where_and_never_repeats_the_character():
    with pytest.raises(ValueError) as err:
        check_text("省委\ud800", "text #3")
    message = str(err.value)
    assert message.startswith("text #3: character 2 is U+D800, a lone surrogate")
    message.encode("utf-8")  # the message itself can be printed and logged


@pytest.mark.parametrize(
    "value,expected",
    [
        ({"text": "ok", "meta": {"doc_id": "a", "para": 0}}, None),
        ({"text": "ok\ud800"}, "'text': character 2"),
        ({"text": "ok", "meta": {"tags": ["x", {"y": "\udbff"}]}}, "'meta.tags[1].y': character 0"),
        ({"meta": {"\ud800": 1}}, "a key of 'meta': character 0"),
        (["a", "\ud800"], "'[1]': character 0"),
    ],
)
def test_value_problem_names_the_path(value, expected):
    found = value_problem(value)
    assert found is None if expected is None else found.startswith(expected)
