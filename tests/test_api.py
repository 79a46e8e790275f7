"""The Python API on a real (briefly trained) pipeline."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys

import pytest

import pipeline
from pipeline.inference import MAX_SEGMENT, MAX_SENTENCE, tag_chunk


@pytest.mark.slow
def test_offsets_are_relative_to_the_whole_input(tiny_nlp):
    text = "  市直机关工委以“三航行动”为牵动,共举办活动18场。\n\n\u3000\u3000省交通运输厅投入86.34万元。\n"
    result = pipeline.tag(text, nlp=tiny_nlp)
    assert result.spans, "the rule-based OUTCOMEs at least must be found"
    for span in result.spans:
        assert text[span.start : span.end] == span.text
    outcomes = {s.text: (s.value, s.unit, s.qualifier) for s in result.spans if s.label == "OUTCOME"}
    assert outcomes["18场"] == (18.0, "场", "exact") and outcomes["86.34万元"] == (863400.0, "元", "exact")
    json.dumps(result.to_dict(), ensure_ascii=False)


@pytest.mark.slow
@pytest.mark.parametrize(
    "text", ["", "   \n  ", "The quick brown fox jumps over the lazy dog. 2023!", "😀😀😀", "\x00\x01"]
)
def test_odd_input_gives_sane_output(tiny_nlp, text):
    result = pipeline.tag(text, nlp=tiny_nlp)
    assert result.text == text
    assert all(text[s.start : s.end] == s.text for s in result.spans)


@pytest.mark.slow
def test_one_megabyte_text(tiny_nlp):
    text = ("省交通运输厅开展“党建+交通”品牌创建,投入86.34万元,惠及近6000人次。" * 30 + "\n") * 840
    assert len(text) > 1_000_000
    result = pipeline.tag(text, nlp=tiny_nlp)
    assert len([s for s in result.spans if s.label == "OUTCOME"]) == 2 * 30 * 840


@pytest.mark.slow
def test_tag_many_matches_tag(tiny_nlp, gold_records):
    texts = [r.text for r in gold_records[:20]]
    many = [r.to_dict() for r in pipeline.tag_many(texts, nlp=tiny_nlp, batch_size=7)]
    assert many == [pipeline.tag(t, nlp=tiny_nlp).to_dict() for t in texts]


def test_model_path_resolves_without_loading(tmp_path):
    (tmp_path / "config.cfg").write_text("", encoding="utf-8")
    assert pipeline.api.model_path(tmp_path) == tmp_path.resolve()
    with pytest.raises(FileNotFoundError, match="no trained pipeline"):
        pipeline.api.model_path(tmp_path / "nothing")


@pytest.mark.slow
def test_saved_pipeline_loads_with_plain_spacy(tiny_model):
    """Entry points register the components: no `import pipeline` needed."""
    code = f"import spacy; nlp = spacy.load({str(tiny_model)!r}); doc = nlp('共举办活动18场。'); print(nlp.pipe_names, [(e.text, e.label_, e._.value) for e in doc.ents])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "dangjian_outcome_normalizer" in out.stdout and "('18场', 'OUTCOME', 18.0)" in out.stdout


def test_load_of_a_missing_path_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no trained pipeline"):
        pipeline.load(tmp_path / "nothing")


@pytest.mark.parametrize("bad", [None, b"\xe5\xb8\x82\xe5\xa7\x94", 123, ["市委"]])
def test_tag_takes_a_str_only(bad):
    with pytest.raises(TypeError, match="takes a str"):
        pipeline.tag(bad, nlp=object())


@pytest.mark.parametrize("texts", ["一段文字", b"bytes"])
def test_tag_many_refuses_a_single_text(texts):
    with pytest.raises(TypeError, match="iterable of texts"):
        next(pipeline.tag_many(texts, nlp=object()))


@pytest.mark.parametrize(
    "setting", [{"batch_size": 0}, {"batch_size": -1}, {"n_process": 0}, {"batch_size": 2.5}, {"n_process": True}]
)
def test_tag_many_refuses_bad_sizes(setting):
    with pytest.raises(ValueError, match="must be a positive integer"):
        next(pipeline.tag_many(["市委"], nlp=object(), **setting))


def test_a_named_pipeline_must_exist_and_is_never_trained(tmp_path, monkeypatch):
    monkeypatch.setenv("PIPELINE_MODEL", str(tmp_path / "typo"))
    with pytest.raises(FileNotFoundError, match="named by PIPELINE_MODEL"):
        pipeline.load()
    assert not (tmp_path / "typo").exists()


@pytest.mark.slow
def test_a_non_str_in_the_stream_names_its_position(tiny_nlp):
    with pytest.raises(TypeError, match="text #1 is a int"):
        list(pipeline.tag_many(["市委开展活动。", 5], nlp=tiny_nlp))


@pytest.mark.slow
def test_a_bad_text_read_ahead_fails_after_the_results_before_it(tiny_nlp):
    results = pipeline.tag_many(["市直机关工委共举办活动18场。"] * 8 + [5], nlp=tiny_nlp, batch_size=8)
    first = list(itertools.islice(results, 8))
    assert len(first) == 8 and all(r.spans for r in first)
    with pytest.raises(TypeError, match="text #8 is a int"):
        next(results)


@pytest.mark.slow
def test_tag_many_streams_its_input(tiny_nlp):
    """The first result arrives long before the input is exhausted (no list() of the input): it
    has read two chunks, the one tagged and the next (LAC's features start on it)."""
    consumed = []

    def texts():
        for i in range(10_000):
            consumed.append(i)
            yield "市直机关工委共举办活动18场。"

    first = next(pipeline.tag_many(texts(), nlp=tiny_nlp, batch_size=8))
    assert first.spans and len(consumed) <= 2 * 8


@pytest.mark.slow
def test_n_process_gives_the_same_results_with_scores(tiny_nlp, gold_records):
    texts = [r.text for r in gold_records[:60]] + ["", "市委。\n\n省委召开会议18场。"]
    one = [r.to_dict() for r in pipeline.tag_many(texts, nlp=tiny_nlp, batch_size=8)]
    two = [r.to_dict() for r in pipeline.tag_many(texts, nlp=tiny_nlp, batch_size=8, n_process=2)]
    assert two == one
    assert all(r["confidence"] is not None for r in two if r["text"].strip())  # NER scores were computed


@pytest.mark.slow
def test_spacy_pipe_with_processes_keeps_relations(tiny_nlp, gold_records):
    """Plain nlp.pipe(n_process=2) round-trips each doc through bytes: relations must survive it."""
    from pipeline.extensions import relation_triples

    texts = [r.text for r in gold_records[:20]]
    one = [[(h.text, t.text, label) for h, t, label, _ in relation_triples(d)] for d in tiny_nlp.pipe(texts)]
    two = [
        [(h.text, t.text, label) for h, t, label, _ in relation_triples(d)] for d in tiny_nlp.pipe(texts, n_process=2)
    ]
    assert two == one


@pytest.mark.slow
@pytest.mark.parametrize("bad", ["省委\ud800开展三航行动。", "\udfff", "好\udc00"])
def test_a_lone_surrogate_is_refused_and_the_pipeline_keeps_working(tiny_nlp, bad):
    good = "市直机关工委以“三航行动”为牵动,共举办活动18场。"
    before = pipeline.tag(good, nlp=tiny_nlp).to_dict()
    with pytest.raises(ValueError, match=r"text #1: character \d+ is U\+D[89A-F][0-9A-F]{2}, a lone surrogate"):
        list(pipeline.tag_many([good, bad], nlp=tiny_nlp))
    assert pipeline.tag(good, nlp=tiny_nlp).to_dict() == before


@pytest.mark.slow
def test_an_error_inside_spacy_leaves_the_pipeline_working(tiny_nlp):
    """Whatever fails inside the memory zone, the zone is closed and later calls work."""
    good = "市直机关工委以“三航行动”为牵动,共举办活动18场。"
    before = pipeline.tag(good, nlp=tiny_nlp).to_dict()
    bad = "省委\ud800开展"  # past the check: spaCy's string store cannot hash it
    with pytest.raises(UnicodeEncodeError):
        tag_chunk(tiny_nlp, ([good, bad], [[(0, len(good))], [(0, len(bad))]]), 32)
    assert pipeline.tag(good, nlp=tiny_nlp).to_dict() == before
    assert [r.to_dict() for r in pipeline.tag_many([good] * 3, nlp=tiny_nlp)] == [before] * 3


@pytest.mark.slow
def test_a_paragraph_without_punctuation_is_tagged_in_bounded_pieces(tiny_nlp):
    """A run-on paragraph is tagged piece by piece (each within MAX_SENTENCE), offsets into the whole text."""
    from pipeline.text.paragraphs import segments

    text = "市直机关工委开展三航行动举办活动18场" * 300
    pieces = segments(text, MAX_SEGMENT, MAX_SENTENCE)
    assert len(pieces) > 1 and all(b - a <= MAX_SENTENCE for a, b in pieces)
    result = pipeline.tag(text, nlp=tiny_nlp)
    assert all(text[s.start : s.end] == s.text for s in result.spans)
    assert [s.start for s in result.spans if s.label == "OUTCOME"] == [19 * i + 16 for i in range(300)]


def _spans_and_relations(result, where=lambda i: i):
    """(start, end, label) of the spans, relations by their spans; offsets through `where`."""
    spans = [(where(s.start), where(s.end - 1) + 1, s.label, s.value, s.unit) for s in result.spans]
    rels = [
        ((where(r.head.start), r.head.label), (where(r.tail.start), r.tail.label), r.label) for r in result.relations
    ]
    return spans, rels


@pytest.mark.slow
@pytest.mark.parametrize("mark", ["\u200b", "\u200c", "\u200d", "\ufeff"])
def test_zero_width_characters_change_no_tag(tiny_nlp, gold_records, mark):
    """Tagged as if absent: the same spans and relations at the same characters, none starting or
    ending with the mark (one leads every text, and one follows every fifth character)."""
    for rec in gold_records[:25]:
        noisy, where = mark, []
        for i, ch in enumerate(rec.text):
            where.append(len(noisy))
            noisy += ch + (mark if i % 5 == 4 else "")
        clean = pipeline.tag(rec.text, nlp=tiny_nlp)
        tagged = pipeline.tag(noisy, nlp=tiny_nlp)
        assert _spans_and_relations(tagged) == _spans_and_relations(clean, where.__getitem__)
        assert all(s.text == noisy[s.start : s.end] and s.text[0] != mark != s.text[-1] for s in tagged.spans)


@pytest.mark.slow
def test_traditional_characters_are_tagged_as_their_simplified_forms(tiny_nlp, gold_records):
    """The gold paragraphs in traditional characters (OpenCC's s2t) get the spans, values, units
    and relations of the simplified ones, with the span texts as given."""
    import opencc

    to_traditional = opencc.OpenCC("s2t.json")
    changed = 0
    for rec in gold_records[:40]:
        traditional = to_traditional.convert(rec.text)
        changed += traditional != rec.text
        tagged = pipeline.tag(traditional, nlp=tiny_nlp)
        assert _spans_and_relations(tagged) == _spans_and_relations(pipeline.tag(rec.text, nlp=tiny_nlp))
        assert all(s.text == traditional[s.start : s.end] for s in tagged.spans)
    assert changed > 30  # the test did read traditional text


@pytest.mark.slow
def test_as_tuples_keeps_each_context_with_its_text(tiny_nlp, gold_records):
    pairs = [(r.text, r.meta) for r in gold_records[:30]]
    tagged = list(pipeline.tag_many(iter(pairs), nlp=tiny_nlp, batch_size=4, as_tuples=True))
    assert [meta for _, meta in tagged] == [meta for _, meta in pairs]
    assert [r.to_dict() for r, _ in tagged] == [
        r.to_dict() for r in pipeline.tag_many([t for t, _ in pairs], nlp=tiny_nlp)
    ]
