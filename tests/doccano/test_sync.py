"""Round trip against a real Doccano 1.8.4 server started by the test suite on 127.0.0.1."""

from __future__ import annotations

import json

import pytest

from pipeline.corpus import CorpusError, Entity, Record, Relation, read_records, write_records
from pipeline.doccano import lifecycle as server
from pipeline.doccano.client import DoccanoError, connect, ensure_project, find_project, list_keyed_examples
from pipeline.doccano.correct import correct
from pipeline.doccano.pull import pull
from pipeline.doccano.push import model_suggester, push
from pipeline.doccano.settings import DoccanoSettings
from pipeline.doccano.transfer import import_rows

from .page import Page, page_offsets

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _records(n=4, doc_id="art"):
    texts = [
        "市直机关工委以“三航行动”为牵动,共举办活动18场。",
        "省交通运输厅开展“党建+交通”品牌创建,投入86.34万元。",
        "海口美兰机场海关旅检四科党支部开展志愿服务1300余次。",
        "全市各级党组织认真学习,参与党员近6000人次。",
        "省委直属机关工委共举办“爱心扶贫大集市”18场。",
    ]
    return [Record(t, meta={"doc_id": doc_id, "para": i}) for i, t in enumerate(texts[:n])]


def test_push_correct_pull_gives_exactly_the_corrections(doccano, tiny_nlp, tmp_path):
    client = connect(doccano)
    summary = push(_records(), "roundtrip", suggest=model_suggester(tiny_nlp), client=client)
    assert summary.uploaded == 4
    proj = find_project(client, "roundtrip")
    examples = list_keyed_examples(client, proj.id)
    span_type = {t.text: t.id for t in client.list_label_types(proj.id, "span")}
    rel_type = {t.text: t.id for t in client.list_label_types(proj.id, "relation")}

    # An annotator corrects paragraph 0 in the UI: remove every suggestion, then tag it right.
    ex = examples[("art", 0)][0]
    for rel in client.list_relations(proj.id, ex.id):
        client.delete_relation(proj.id, ex.id, rel.id)
    for span in client.list_spans(proj.id, ex.id):
        client.delete_span(proj.id, ex.id, span.id)
    org = client.create_span(proj.id, ex.id, 0, 6, span_type["ORG"], human_annotated=True)
    ini = client.create_span(proj.id, ex.id, 8, 12, span_type["INITIATIVE"], human_annotated=True)
    out = client.create_span(proj.id, ex.id, 22, 25, span_type["OUTCOME"], human_annotated=True)
    client.create_relation(proj.id, ex.id, org.id, ini.id, rel_type["LAUNCHED"], human_annotated=True)
    client.create_relation(proj.id, ex.id, ini.id, out.id, rel_type["ACHIEVED"], human_annotated=True)
    client.update_example_state(proj.id, ex.id)
    # ... and confirms paragraph 1 after deleting one suggested span (if the model made any).
    ex1 = examples[("art", 1)][0]
    spans1 = client.list_spans(proj.id, ex1.id)
    if spans1:
        for rel in client.list_relations(proj.id, ex1.id):
            if spans1[0].id in (rel.from_id, rel.to_id):
                client.delete_relation(proj.id, ex1.id, rel.id)
        client.delete_span(proj.id, ex1.id, spans1[0].id)
    expected1 = sorted((s.start_offset, s.end_offset) for s in client.list_spans(proj.id, ex1.id))
    client.update_example_state(proj.id, ex1.id)

    pulled = tmp_path / "pulled.jsonl"
    result = pull("roundtrip", tmp_path / "unused.jsonl", output=pulled, client=client)
    records = read_records(pulled)
    assert result.pulled == 2 and [r.key for r in records] == [("art", 0), ("art", 1)]
    rec = records[0]
    assert rec.meta == {"doc_id": "art", "para": 0}  # push-only meta (model_confidence) removed
    assert [(rec.span_text(e), e.label) for e in rec.entities] == [
        ("市直机关工委", "ORG"),
        ("三航行动", "INITIATIVE"),
        ("18场", "OUTCOME"),
    ]
    assert {(rec.span_text(rec.entity(r.head)), rec.span_text(rec.entity(r.tail)), r.label) for r in rec.relations} == {
        ("市直机关工委", "三航行动", "LAUNCHED"),
        ("三航行动", "18场", "ACHIEVED"),
    }
    assert sorted((e.start, e.end) for e in records[1].entities) == expected1


def test_repush_creates_no_duplicates(doccano, tiny_nlp):
    client = connect(doccano)
    first = push(_records(3, "dup"), "dedupe", suggest=model_suggester(tiny_nlp), client=client)
    again = push(_records(5, "dup"), "dedupe", suggest=model_suggester(tiny_nlp), client=client)
    proj = find_project(client, "dedupe")
    assert (first.uploaded, again.uploaded, again.skipped_existing) == (3, 2, 3)
    assert client.count_examples(proj.id) == 5
    assert all(len(v) == 1 for v in list_keyed_examples(client, proj.id).values())


def test_limit_pushes_the_least_confident_first(doccano, tiny_nlp):
    client = connect(doccano)
    records = _records(5, "rank")
    suggest = model_suggester(tiny_nlp)
    _, confidences = suggest(records)
    push(records, "ranked", suggest=suggest, limit=2, client=client)
    pushed = set(list_keyed_examples(client, find_project(client, "ranked").id))
    least = sorted(range(5), key=lambda i: confidences[i])[:2]
    assert pushed == {("rank", i) for i in least}


def test_invalid_records_are_rejected_before_upload(doccano):
    client = connect(doccano)
    bad = Record(
        "市直机关工委开展活动。", [Entity(1, "ORG", 0, 6), Entity(2, "ORG", 2, 4)], meta={"doc_id": "bad", "para": 0}
    )
    with pytest.raises(CorpusError, match="overlap"):
        push([bad], "validated", client=client)
    proj = find_project(client, "validated")
    assert proj is None or client.count_examples(proj.id) == 0


def test_correct_applies_annotations_and_pull_merges_into_the_corpus(doccano, tiny_nlp, tmp_path):
    client = connect(doccano)
    records = _records(3, "merge")
    push(records, "merge", suggest=model_suggester(tiny_nlp), client=client)
    text = records[1].text
    spans = [("ORG", "省交通运输厅"), ("INITIATIVE", "党建+交通"), ("OUTCOME", "86.34万元")]
    target = Record(
        text,
        [Entity(i, lab, text.index(s), text.index(s) + len(s)) for i, (lab, s) in enumerate(spans, 1)],
        [Relation(1, 1, 2, "LAUNCHED"), Relation(2, 2, 3, "ACHIEVED")],
        meta=dict(records[1].meta),
    )
    summary = correct(client, "merge", [target])
    assert summary.examples == 1 and summary.confirmed == 1
    corpus = tmp_path / "gold.jsonl"
    other = Record("其他段落。", meta={"doc_id": "zzz", "para": 0})
    stale = Record(records[1].text, meta=dict(records[1].meta))
    write_records(corpus, [stale, other])
    result = pull("merge", corpus, client=client)
    assert result.counts == {"changed": 1, "unchanged": 0, "added": 0, "kept": 1}
    merged = read_records(corpus)
    assert [r.to_json() for r in merged] == [target.to_json(), other.to_json()]
    before = corpus.read_bytes()
    assert pull("merge", corpus, client=client).counts["unchanged"] == 1
    assert corpus.read_bytes() == before


def test_a_bad_export_leaves_the_corpus_untouched(doccano, tmp_path):
    """An example confirmed with a forbidden relation makes pull fail before anything is written."""
    client = connect(doccano)
    push(_records(1, "broken"), "broken", client=client)
    proj = find_project(client, "broken")
    ex = list_keyed_examples(client, proj.id)[("broken", 0)][0]
    span_type = {t.text: t.id for t in client.list_label_types(proj.id, "span")}
    rel_type = {t.text: t.id for t in client.list_label_types(proj.id, "relation")}
    a = client.create_span(proj.id, ex.id, 0, 6, span_type["ORG"])
    b = client.create_span(proj.id, ex.id, 22, 25, span_type["OUTCOME"])
    client.create_relation(proj.id, ex.id, a.id, b.id, rel_type["LAUNCHED"])  # LAUNCHED must end at an INITIATIVE
    client.update_example_state(proj.id, ex.id)
    corpus = tmp_path / "gold.jsonl"
    write_records(corpus, [Record("已有段落。", meta={"doc_id": "keep", "para": 0})])
    before = corpus.read_bytes()
    with pytest.raises(CorpusError, match="not allowed by the guideline"):
        pull("broken", corpus, client=client)
    assert corpus.read_bytes() == before


def test_invalid_corrections_change_nothing(doccano):
    client = connect(doccano)
    push(_records(1, "strict"), "strict", client=client)
    bad = Record(_records(1, "strict")[0].text, [Entity(1, "ORG", 0, 99)], meta={"doc_id": "strict", "para": 0})
    with pytest.raises(CorpusError, match="out of range"):
        correct(client, "strict", [bad])
    ex = list_keyed_examples(client, find_project(client, "strict").id)[("strict", 0)][0]
    assert client.list_spans(find_project(client, "strict").id, ex.id) == [] and not ex.is_confirmed


def test_wrong_credentials_give_a_clear_error(doccano):
    with pytest.raises(DoccanoError, match="refused the login"):
        connect(DoccanoSettings(doccano.url, doccano.username, "wrong-password"))


def test_a_stopped_server_gives_a_clear_error():
    url = f"http://127.0.0.1:{server.free_port()}"
    with pytest.raises(DoccanoError, match="cannot reach a Doccano server"):
        connect(DoccanoSettings(url, "someone", "secret"))


def test_cli_push_and_pull(doccano, tiny_model, tmp_path):
    from typer.testing import CliRunner

    from pipeline.cli import app

    src = tmp_path / "in.jsonl"
    write_records(src, _records(2, "cli"))
    runner = CliRunner()
    result = runner.invoke(app, ["doccano", "push", str(src), "--project", "cli", "--model", str(tiny_model)])
    assert result.exit_code == 0, result.output
    assert "Pushed 2 paragraph(s)" in result.output
    result = runner.invoke(app, ["doccano", "pull", "--project", "cli", "--output", str(tmp_path / "out.jsonl")])
    assert result.exit_code == 0 and "Wrote 0 confirmed" in result.output
    result = runner.invoke(
        app, ["doccano", "pull", "--project", "does-not-exist", "--output", str(tmp_path / "x.jsonl")]
    )
    assert result.exit_code == 1 and "no project named" in result.output


def test_gold_paragraphs_never_get_model_suggestions(doccano, tiny_nlp):
    """Confirming a model suggestion for a gold paragraph would let the next pull replace human
    annotations: gold paragraphs are skipped, or sent with their gold annotations."""
    client = connect(doccano)
    recs = _records(3, "goldcheck")
    gold = [Record(recs[0].text, [Entity(1, "ORG", 0, 6)], meta=dict(recs[0].meta))]
    skipped = push(recs, "gold-skip", suggest=model_suggester(tiny_nlp), client=client, gold=gold)
    assert (skipped.uploaded, skipped.skipped_gold, skipped.sent_gold) == (2, 1, 0)
    assert ("goldcheck", 0) not in list_keyed_examples(client, find_project(client, "gold-skip").id)
    sent = push(recs, "gold-send", suggest=model_suggester(tiny_nlp), client=client, gold=gold, include_gold=True)
    assert (sent.uploaded, sent.skipped_gold, sent.sent_gold) == (3, 0, 1)
    proj = find_project(client, "gold-send")
    ex = list_keyed_examples(client, proj.id)[("goldcheck", 0)][0]
    labels = {t.id: t.text for t in client.list_label_types(proj.id, "span")}
    assert [(s.start_offset, s.end_offset, labels[s.label]) for s in client.list_spans(proj.id, ex.id)] == [
        (0, 6, "ORG")
    ]
    assert "model_confidence" not in ex.meta


ASTRAL = "𠮷市直机关工委共举办活动18场,点赞👍。"  # 𠮷 and 👍 are outside the BMP: two UTF-16 units each


def page_slice(text, start, end):
    """What the page's JavaScript text.slice(start, end) shows."""
    return text.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le")


def test_spans_after_characters_outside_the_bmp_are_where_the_page_draws_them(doccano, tmp_path):
    """A pushed span is drawn on its characters, a span the annotator selects after 𠮷 (sent in
    UTF-16 units, as the page sends it) comes back on hers, and validation sees code points."""
    client = connect(doccano)
    push([Record(ASTRAL, [Entity(1, "ORG", 1, 7)], meta={"doc_id": "astral", "para": 0})], "astral", client=client)
    admin = Page(doccano.url, doccano.username, doccano.password)
    pid = admin.project_id("astral")
    (example,) = admin.all_examples(pid)
    (span,) = admin.spans(pid, example["id"])
    assert page_slice(ASTRAL, span["start_offset"], span["end_offset"]) == "市直机关工委"
    labels = admin.label_ids(pid)
    admin.add_span(pid, example["id"], labels["OUTCOME"], *page_offsets(ASTRAL, "18场"))
    admin.add_span(pid, example["id"], labels["OUTCOME"], *page_offsets(ASTRAL, "👍"))  # nonsense, but hers
    admin.confirm(pid, example["id"])
    out = tmp_path / "astral.jsonl"
    pull("astral", tmp_path / "unused.jsonl", output=out, client=client)
    (rec,) = read_records(out)
    expected = [(s, ASTRAL.index(s), ASTRAL.index(s) + len(s)) for s in ("市直机关工委", "18场", "👍")]
    assert [(rec.span_text(e), e.start, e.end) for e in rec.entities] == expected


def test_a_span_inside_a_character_is_refused_with_its_place(doccano, tmp_path):
    client = connect(doccano)
    push([Record(ASTRAL, meta={"doc_id": "split", "para": 0})], "split", client=client)
    proj = find_project(client, "split")
    ex = list_keyed_examples(client, proj.id)[("split", 0)][0]
    org = {t.text: t.id for t in client.list_label_types(proj.id, "span")}["ORG"]
    client.create_span(proj.id, ex.id, 1, 8, org)  # starts between the two halves of 𠮷
    client.update_example_state(proj.id, ex.id)
    with pytest.raises(CorpusError, match=r"split \(Doccano export\):1: offset 1 \(UTF-16\) splits the character '𠮷'"):
        pull("split", tmp_path / "gold.jsonl", client=client)
    assert not (tmp_path / "gold.jsonl").exists()


def test_a_short_line_with_an_emoji_is_uploaded_as_utf8(doccano, tmp_path):
    """Doccano's "Auto" encoding takes such a file for Windows-1254 (shown by uploading it that
    way); push names UTF-8 and the text arrives as it was."""
    client = connect(doccano)
    record = Record("点赞👍", meta={"doc_id": "emoji", "para": 0})
    raw = ensure_project(client, "emoji-auto")
    path = tmp_path / "emoji.jsonl"
    path.write_text(json.dumps(import_rows([record])[0], ensure_ascii=False) + "\n", encoding="utf-8")
    status = client.upload(raw.id, [str(path)], task="RelationExtraction", format="JSONL")
    auto = [ex.text for ex in client.list_examples(raw.id)]
    assert status.error or (status.result or {}).get("error") or auto != [record.text]  # rejected, or garbled
    assert push([record], "emoji", client=client).uploaded == 1
    assert [ex.text for ex in client.list_examples(find_project(client, "emoji").id)] == [record.text]


def test_pull_of_a_project_reports_a_relation_lost_to_a_redrawn_span(doccano, tmp_path):
    text = "市直机关工委共举办“爱心扶贫大集市”18场。"
    spans = [("ORG", "市直机关工委"), ("INITIATIVE", "爱心扶贫大集市"), ("OUTCOME", "18场")]
    ents = [Entity(i, label, text.index(s), text.index(s) + len(s)) for i, (label, s) in enumerate(spans, 1)]
    push(
        [Record(text, ents, [Relation(1, 2, 3, "ACHIEVED")], {"doc_id": "lost", "para": 0})],
        "lost",
        client=connect(doccano),
    )
    admin = Page(doccano.url, doccano.username, doccano.password)
    pid = admin.project_id("lost")
    (example,) = admin.all_examples(pid)
    admin.redraw(pid, example["id"], text, "爱心扶贫大集市", "扶贫大集市")
    admin.confirm(pid, example["id"])
    from typer.testing import CliRunner

    from pipeline.cli import app

    result = CliRunner().invoke(app, ["doccano", "pull", "-p", "lost", "-o", str(tmp_path / "out.jsonl")])
    assert result.exit_code == 0, result.output
    assert (
        "lost para 0: ACHIEVED 扶贫大集市→18场 (lost when 爱心扶贫大集市 [10,17) was redrawn as 扶贫大集市 [12,17))"
        in result.output
    )
    assert "Draw them again in Doccano" in result.output
    (rec,) = read_records(tmp_path / "out.jsonl")
    assert rec.relations == [] and "suggested_relations" not in rec.meta  # as confirmed; push's meta removed


def test_correct_sends_the_pages_units(doccano):
    """`doccano correct` on a text with 𠮷 puts the spans where the page draws them."""
    client = connect(doccano)
    push([Record(ASTRAL, meta={"doc_id": "fix", "para": 0})], "fix", client=client)
    target = Record(ASTRAL, [Entity(1, "ORG", 1, 7), Entity(2, "OUTCOME", 12, 15)], meta={"doc_id": "fix", "para": 0})
    assert correct(client, "fix", [target]).spans_added == 2
    assert correct(client, "fix", [target]).spans_added == 0  # the same again: nothing to change
    proj = find_project(client, "fix")
    ex = list_keyed_examples(client, proj.id)[("fix", 0)][0]
    drawn = sorted(page_slice(ASTRAL, s.start_offset, s.end_offset) for s in client.list_spans(proj.id, ex.id))
    assert drawn == ["18场", "市直机关工委"]
