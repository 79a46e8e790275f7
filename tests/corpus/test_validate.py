"""Corpus records: loading, validation with file and line, atomic writes, merging."""

import json
import os

import pytest

from pipeline.corpus import (
    CorpusError,
    Record,
    merge_records,
    parse_record,
    read_records,
    validate_file,
    write_records,
)

from ..conftest import record

TEXT = "市直机关工委以“三航行动”为牵动,共举办活动18场。"


def test_valid_record_loads(make_jsonl):
    path = make_jsonl(
        [
            record(
                TEXT,
                [("ORG", "市直机关工委"), ("INITIATIVE", "三航行动"), ("OUTCOME", "18场")],
                [(1, 2, "LAUNCHED"), (2, 3, "ACHIEVED")],
            )
        ]
    )
    [rec] = read_records(path)
    assert [rec.span_text(e) for e in rec.entities] == ["市直机关工委", "三航行动", "18场"]
    assert [(r.head, r.tail, r.label) for r in rec.relations] == [(1, 2, "LAUNCHED"), (2, 3, "ACHIEVED")]
    assert rec.key == ("d1", 0)


def _bad(**changes):
    base = record(
        TEXT, [("ORG", "市直机关工委"), ("INITIATIVE", "三航行动"), ("OUTCOME", "18场")], [(1, 2, "LAUNCHED")]
    )
    for key, value in changes.items():
        base[key] = value
    return base


BAD_ROWS = [
    ("{not json", "invalid JSON"),
    ('["a list"]', "JSON object"),
    ({"entities": [], "relations": [], "meta": {"doc_id": "d", "para": 0}}, "missing 'text'"),
    (_bad(text=""), "empty"),
    ({**record("甲\r\n乙")}, "carriage return"),
    (_bad(entities=[{"id": 1, "label": "ORG", "start_offset": 0, "end_offset": 99}]), "out of range"),
    (_bad(entities=[{"id": 1, "label": "ORG", "start_offset": 6, "end_offset": 2}]), "reversed"),
    (
        _bad(
            entities=[
                {"id": 1, "label": "ORG", "start_offset": 0, "end_offset": 6},
                {"id": 2, "label": "ORG", "start_offset": 2, "end_offset": 4},
            ],
            relations=[],
        ),
        "overlap",
    ),
    (_bad(entities=[{"id": 1, "label": "PERSON", "start_offset": 0, "end_offset": 6}], relations=[]), "unknown label"),
    (_bad(relations=[{"id": 1, "from_id": 1, "to_id": 9, "type": "LAUNCHED"}]), "does not exist"),
    (_bad(relations=[{"id": 1, "from_id": 2, "to_id": 1, "type": "LAUNCHED"}]), "not allowed"),
    (_bad(relations=[{"id": 1, "from_id": 1, "to_id": 2, "type": "ACHIEVED"}]), "not allowed"),
    (_bad(relations=[{"id": 1, "from_id": 1, "to_id": 2, "type": "FUNDED"}]), "unknown type"),
    (
        _bad(entities=[{"id": 1, "label": "INITIATIVE", "start_offset": 7, "end_offset": 12}], relations=[]),
        "quotation mark",
    ),
    (
        {**record("\u200b市直机关工委开展活动。", [("ORG", 0, 7)]), "relations": []},
        "starts or ends with an invisible character (U+200B)",
    ),
    ({**record("市直机关工委\ufeff开展活动。", [("ORG", 0, 7)]), "relations": []}, "invisible character (U+FEFF)"),
    (_bad(meta={"para": 0}), "doc_id"),
    (_bad(meta={"doc_id": "d", "para": "x"}), "para"),
    (_bad(entities=[{"id": 1, "label": "ORG", "start_offset": 0}], relations=[]), "lacks end_offset"),
]


@pytest.mark.parametrize("row,expected", BAD_ROWS)
def test_bad_input_names_file_and_line(make_jsonl, row, expected):
    good = record("省交通运输厅开展活动。", [("ORG", "省交通运输厅")])
    path = make_jsonl([good, row])
    with pytest.raises(CorpusError) as info:
        read_records(path)
    message = str(info.value)
    assert f"{path}:2:" in message
    assert expected in message


def test_relation_across_sentence_end_is_rejected():
    row = record(
        "市直机关工委召开会议。三航行动启动。",
        [("ORG", "市直机关工委"), ("INITIATIVE", "三航行动")],
        [(1, 2, "LAUNCHED")],
    )
    rec, problems = parse_record(row, "f.jsonl", 7)
    assert rec is None and "across a sentence end" in str(problems[0]) and str(problems[0]).startswith("f.jsonl:7:")


def test_crlf_line_ending_is_reported(tmp_path):
    path = tmp_path / "crlf.jsonl"
    path.write_bytes(json.dumps(record("省委开展活动。", [("ORG", "省委")]), ensure_ascii=False).encode() + b"\r\n")
    _, problems = validate_file(path)
    assert len(problems) == 1 and "CRLF" in problems[0].message and problems[0].line == 1


def test_every_problem_is_listed_not_just_the_first(make_jsonl):
    path = make_jsonl(["{", "[]", record("省委开展活动。", [("ORG", "省委")])])
    records, problems = validate_file(path)
    assert [p.line for p in problems] == [1, 2] and len(records) == 1


def test_duplicate_doc_para_is_rejected(make_jsonl):
    path = make_jsonl([record("甲。"), record("乙。")])
    with pytest.raises(CorpusError, match=r"in.jsonl:2: duplicate doc_id/para"):
        read_records(path)


def test_export_shape_is_normalised(make_jsonl):
    exported = {
        "id": 4711,
        "text": TEXT,
        "doc_id": "000",
        "para": 3,
        "Comments": [],
        "entities": [
            {"id": 905, "label": "INITIATIVE", "start_offset": 8, "end_offset": 12},
            {"id": 901, "label": "ORG", "start_offset": 0, "end_offset": 6},
        ],
        "relations": [{"id": 77, "from_id": 901, "to_id": 905, "type": "LAUNCHED"}],
    }
    [rec] = read_records(make_jsonl([exported]))
    assert rec.meta == {"doc_id": "000", "para": 3}
    assert [(e.id, e.label) for e in rec.entities] == [(1, "ORG"), (2, "INITIATIVE")]
    assert [(r.id, r.head, r.tail, r.label) for r in rec.relations] == [(1, 1, 2, "LAUNCHED")]


def test_export_shape_with_dangling_relation_is_rejected(make_jsonl):
    exported = {
        "id": 1,
        "text": TEXT,
        "doc_id": "000",
        "para": 3,
        "entities": [{"id": 5, "label": "ORG", "start_offset": 0, "end_offset": 6}],
        "relations": [{"id": 1, "from_id": 5, "to_id": 6, "type": "LAUNCHED"}],
    }
    with pytest.raises(CorpusError, match="does not exist"):
        read_records(make_jsonl([exported]))


def test_write_is_atomic_on_failure(tmp_path):
    path = tmp_path / "out.jsonl"
    write_records(path, [Record("甲", meta={"doc_id": "d", "para": 0})])
    before = path.read_bytes()

    def rows():
        yield {"text": "乙"}
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_records(path, rows())
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["out.jsonl"]


def test_merge_replaces_by_key_and_touches_nothing_else():
    a = Record("甲", meta={"doc_id": "d", "para": 0})
    b = Record("乙", meta={"doc_id": "d", "para": 1})
    b2 = Record("乙", entities=[], meta={"doc_id": "d", "para": 1, "note": "fixed"})
    c = Record("丙", meta={"doc_id": "e", "para": 0})
    merged, counts = merge_records([a, b], [b2, c])
    assert [r.to_json() for r in merged] == [a.to_json(), b2.to_json(), c.to_json()]
    assert counts == {"changed": 1, "unchanged": 0, "added": 1, "kept": 1}
