"""Text to tag as users give it: .txt / .jsonl files, directories, globs; every problem named by
file and line before any work."""

import json

import pytest

from pipeline.corpus import CorpusError
from pipeline.inputs import check, expand, read_tag_input, records


def _write(path, data: bytes):
    path.write_bytes(data)
    return path


def test_txt_paragraphs_are_lines(tmp_path):
    path = _write(tmp_path / "007_x.TXT", "\ufeff标题\r\n\r\n正文一\u2028同一段。\n  正文二。".encode())
    recs = read_tag_input(path)
    assert [r.text for r in recs] == ["标题", "正文一\u2028同一段。", "正文二。"]  # BOM gone, CRLF fine, U+2028 kept
    assert [r.meta for r in recs] == [{"doc_id": "007_x", "para": i} for i in range(3)]
    assert [r.line for r in recs] == [1, 3, 4]


@pytest.mark.parametrize(
    "name,data,expected",
    [
        ("a.txt", "第一行\n".encode() + "第二行".encode("gbk") + b"\n", "a.txt:2: not UTF-8"),
        ("a.txt", b"\x00\xff\xfe binary\n", "a.txt:1: not UTF-8"),
        ("a.txt", "甲\r乙\n".encode(), "a.txt:1: contains a carriage return"),
        ("a.jsonl", json.dumps({"text": "甲\r\n乙"}).encode() + b"\n", "a.jsonl:1: 'text' contains a carriage return"),
        ("a.jsonl", b'{"text": "\xe7\x94\xb2"}\n{"txt": 1}\n', "a.jsonl:2: each line must be an object"),
        ("a.jsonl", b'{"text": "x", "meta": []}\n', "a.jsonl:1: 'meta' must be an object"),
        ("a", b'{"text": "x"}\n', "a:0: cannot tell the format"),
        ("a.csv", b"text\n", "a.csv:0: cannot tell the format"),
        ("a.jsonl", b'{"text": "ok"}\n{"text": "\\u7701\\ud800"}\n', "a.jsonl:2: 'text': character 1 is U+D800"),
        (
            "a.jsonl",
            b'{"text": "ok", "meta": {"t": ["x", "\\udfff"]}}\n',
            "a.jsonl:1: 'meta.t[1]': character 0 is U+DFFF",
        ),
        ("a.jsonl", b'{"text": "ok", "meta": {"\\udc00": 1}}\n', "a.jsonl:1: a key of 'meta': character 0 is U+DC00"),
        ("a.jsonl", b"[" * 100_000 + b"]" * 100_000 + b"\n", "a.jsonl:1: invalid JSON: nested too deeply"),
    ],
)
def test_bad_input_names_file_and_line(tmp_path, name, data, expected):
    path = _write(tmp_path / name, data)
    with pytest.raises(CorpusError) as err:
        check(expand([str(path)]))
    assert str(tmp_path / expected) in str(err.value)


def test_a_surrogate_pair_escape_is_one_character(tmp_path):
    path = _write(tmp_path / "a.jsonl", b'{"text": "\\ud842\\udfb7\\u5409", "meta": {"t": "\\ud83d\\ude00"}}\n')
    (rec,) = read_tag_input(path)
    assert rec.text == "\U00020bb7\u5409" and rec.meta == {"t": "\U0001f600"}


def test_every_problem_of_every_file_is_listed(tmp_path):
    a = _write(tmp_path / "a.jsonl", b'{"txt": 1}\n{"text": "ok"}\n[]\n')
    b = _write(tmp_path / "b.txt", b"\xff\n")
    with pytest.raises(CorpusError) as err:
        check([a, b])
    assert [(p.source, p.line) for p in err.value.problems] == [(str(a), 1), (str(a), 3), (str(b), 1)]


def test_directories_and_globs_expand_in_order(tmp_path):
    for name in ("b.txt", "a.jsonl", "c.md"):
        _write(tmp_path / name, json.dumps({"text": "甲"}).encode() if name.endswith("jsonl") else "乙".encode())
    (tmp_path / "sub").mkdir()
    assert expand([str(tmp_path)]) == [tmp_path / "a.jsonl", tmp_path / "b.txt"]  # .md and folders left out
    assert expand([str(tmp_path / "*.txt"), str(tmp_path / "a.jsonl")]) == [tmp_path / "b.txt", tmp_path / "a.jsonl"]
    assert [r.text for r in records(expand([str(tmp_path)]))] == ["甲", "乙"]


@pytest.mark.parametrize("spec", ["missing.txt", "*.nothing", "empty"])
def test_nothing_to_read_is_a_clear_error(tmp_path, spec):
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match="no such file"):
        expand([str(tmp_path / spec)])
