"""A team on a real Doccano 1.8.4 server: three annotators, each with her own queue, assignment,
their own versions, agreement checked by hand, review of exactly the disagreements, and the
reviewer's decision back. What an annotator does goes through the REST calls her page makes."""

from __future__ import annotations

import secrets

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.corpus import Entity, Record, Relation, read_records, write_records
from pipeline.doccano.assign import assignees
from pipeline.doccano.client import (
    DoccanoError,
    connect,
    default_guideline,
    find_project,
    list_keyed_examples,
    queue_name,
)
from pipeline.doccano.correct import correct
from pipeline.doccano.pull import pull
from pipeline.doccano.push import push
from pipeline.doccano.review import review
from pipeline.doccano.team import Team, login_as, password_env
from pipeline.doccano.versions import pull_versions, read_versions, versions_dir
from pipeline.evaluation.agreement import agreement, format_agreement

from .page import Page

pytestmark = [pytest.mark.integration, pytest.mark.slow]
NAMES = ("alice", "bob", "carol")


@pytest.fixture(scope="module")
def team(doccano):
    """Three annotators whose passwords are in the environment (never in code)."""
    mp = pytest.MonkeyPatch()
    for name in NAMES:
        mp.setenv(password_env(name), secrets.token_urlsafe(16))
    yield Team(NAMES, 3)
    mp.undo()


def rec(text, ents=(), rels=(), doc="team", para=0):
    """A record; ents are (label, surface), rels are (head index, tail index, type) counted from 1."""
    entities = [Entity(i, label, text.index(s), text.index(s) + len(s)) for i, (label, s) in enumerate(ents, 1)]
    return Record(text, entities, [Relation(i, *r) for i, r in enumerate(rels, 1)], {"doc_id": doc, "para": para})


P0 = "省委开展三航行动。"
P1 = "省委召开会议。"
P2 = "市委开展活动。"
FULL0 = rec(P0, [("ORG", "省委"), ("INITIATIVE", "三航行动")], [(1, 2, "LAUNCHED")])
ORG_ONLY0 = rec(P0, [("ORG", "省委")])
SAME1 = rec(P1, [("ORG", "省委")], para=1)
SAME2 = rec(P2, [("ORG", "市委")], para=2)


def annotate(doccano, team, name, project, targets):
    """The annotator corrects her examples in her queue through the REST API, in her name, and confirms."""
    correct(login_as(doccano.url, name, team), queue_name(project, name), targets)


def page(doccano, team, name):
    return Page(doccano.url, name, team.password(name))


def test_each_member_works_in_her_own_queue(doccano, team, tmp_path):
    """What her page lists, counts and lets her confirm are her paragraphs only; push is
    idempotent, keeps the assignment, and puts back what a queue lacks."""
    client = connect(doccano)
    records = [rec(f"省委开展第{i}项活动。", [("ORG", "省委")], doc="assign", para=i) for i in range(6)]
    pair = Team(NAMES, 2)
    first = push(records[:5], "team-assign", client=client, team=pair)
    team_project = find_project(client, "team-assign")
    assert {m.username for m in client.list_members(team_project.id)} == {doccano.username}  # no annotator
    assigned = {k: assignees(v[0].meta) for k, v in list_keyed_examples(client, team_project.id).items()}
    assert all(len(names) == 2 for names in assigned.values())
    assert sum(first.assigned.values()) == 10 and max(first.assigned.values()) - min(first.assigned.values()) <= 1
    assert first.queued == first.assigned and first.queue_names["alice"] == "team-assign · alice"
    for name in NAMES:
        mine = sorted(k for k, names in assigned.items() if name in names)
        her = page(doccano, team, name)
        visible = [p["name"] for p in her.projects()]
        assert visible == [queue_name("team-assign", name)]  # not the team's project, not the others' queues
        queue = her.project_id(visible[0])
        listed = her.all_examples(queue)
        assert sorted((e["meta"]["doc_id"], e["meta"]["para"]) for e in listed) == mine
        assert her.progress(queue) == {"total": len(mine), "remaining": len(mine), "complete": 0}
        labels = {v: k for k, v in her.label_ids(queue).items()}
        for e in listed:  # the suggestions are there for her, in her queue
            assert [(s["start_offset"], s["end_offset"], labels[s["label"]]) for s in her.spans(queue, e["id"])] == [
                (0, 2, "ORG")
            ]
        her.confirm(queue, listed[0]["id"])
        assert her.progress(queue)["complete"] == 1  # her progress is hers: 1 of her share
        other = find_project(client, queue_name("team-assign", next(n for n in NAMES if n != name)))
        example = next(iter(client.list_examples(other.id)))
        assert her.status("post", f"/projects/{other.id}/examples/{example.id}/states", json={}) == 403
    # a push that stopped after the team's project: the queue lacks a paragraph; the next push puts it back
    alice_queue = find_project(client, queue_name("team-assign", "alice"))
    gone = next(iter(client.list_examples(alice_queue.id)))
    client.delete_example(alice_queue.id, gone.id)
    again = push(records, "team-assign", client=client, team=pair)  # one new paragraph, the rest stay
    after = {k: assignees(v[0].meta) for k, v in list_keyed_examples(client, team_project.id).items()}
    assert (again.uploaded, again.skipped_existing, sum(again.assigned.values())) == (1, 5, 2)
    assert again.queued["alice"] == ("alice" in after[("assign", 5)]) + 1
    assert {k: v for k, v in after.items() if k in assigned} == assigned
    restored = list_keyed_examples(client, alice_queue.id)[(gone.meta["doc_id"], gone.meta["para"])][0]
    assert [(s.start_offset, s.end_offset) for s in client.list_spans(alice_queue.id, restored.id)] == [(0, 2)]
    for name in NAMES:  # every queue holds exactly its annotator's paragraphs, once
        queue = list_keyed_examples(client, find_project(client, queue_name("team-assign", name)).id)
        assert sorted(queue) == sorted(k for k, names in after.items() if name in names)
        assert all(len(v) == 1 for v in queue.values())
    with pytest.raises(DoccanoError, match="is a team"):
        push(records, "team-assign", client=client)
    with pytest.raises(DoccanoError, match="alice's queue in team 'team-assign'"):
        pull("team-assign · alice", tmp_path / "gold.jsonl", client=client)
    assert not (tmp_path / "gold.jsonl").exists()


REDRAW = "市直机关工委共举办“爱心扶贫大集市”18场。"
SUGGESTED = rec(
    REDRAW,
    [("ORG", "市直机关工委"), ("INITIATIVE", "爱心扶贫大集市"), ("OUTCOME", "18场")],
    [(1, 3, "ACHIEVED"), (2, 3, "ACHIEVED")],
    doc="redraw",
)


def test_a_redrawn_span_is_reported_by_pull_and_restored_by_review(doccano, team, tmp_path, monkeypatch):
    """Both annotators fix 爱心扶贫大集市 -> 扶贫大集市 the page's way and confirm: the span's ACHIEVED
    relation went with it. Pull -o of the team is refused and writes nothing; pull names the loss
    per paragraph; review sends the paragraph to the reviewer with the relation restored."""
    monkeypatch.setenv("PIPELINE_HOME", str(tmp_path))
    (tmp_path / "corpus").mkdir()
    client = connect(doccano)
    push([SUGGESTED], "team-redraw", client=client, team=Team(("alice", "bob"), 2))
    for name in ("alice", "bob"):
        her = page(doccano, team, name)
        queue = her.project_id(queue_name("team-redraw", name))
        (example,) = her.all_examples(queue)
        assert example["meta"]["suggested_relations"].startswith("ACHIEVED: ORG 市直机关工委 [0,6) → OUTCOME 18场")
        her.redraw(queue, example["id"], REDRAW, "爱心扶贫大集市", "扶贫大集市")
        assert len(her.relations(queue, example["id"])) == 1  # Doccano dropped the other without a word
        her.confirm(queue, example["id"])
    runner = CliRunner()
    out = tmp_path / "round.jsonl"
    result = runner.invoke(app, ["doccano", "pull", "-p", "team-redraw", "-o", str(out)])
    assert (
        result.exit_code == 1
        and "'team-redraw' is a team" in result.output
        and "corpus/annotators/team-redraw" in result.output
    )
    assert not out.exists() and not (tmp_path / "corpus" / "annotators").exists()
    result = runner.invoke(app, ["doccano", "pull", "-p", "team-redraw"])
    assert result.exit_code == 0, result.output
    lost = "ACHIEVED 扶贫大集市→18场 (lost when 爱心扶贫大集市 [10,17) was redrawn as 扶贫大集市 [12,17))"
    assert f"alice: redraw para 0: {lost}" in result.output and f"bob: redraw para 0: {lost}" in result.output
    gold = tmp_path / "corpus" / "gold.jsonl"
    summary = review(client, "team-redraw", "team-redraw-review", gold, tmp_path / "corpus" / "annotators")
    assert summary.accepted == [] and summary.sent == 1  # they agree, but on a version that lost a relation
    proj = find_project(client, "team-redraw-review")
    (example,) = client.list_examples(proj.id)
    assert example.meta["review_restored"] == f"alice: {lost}; bob: {lost}"
    spans = {s.id: REDRAW[s.start_offset : s.end_offset] for s in client.list_spans(proj.id, example.id)}
    assert sorted(spans.values()) == ["18场", "市直机关工委", "扶贫大集市"]
    assert sorted((spans[r.from_id], spans[r.to_id]) for r in client.list_relations(proj.id, example.id)) == [
        ("市直机关工委", "18场"),
        ("扶贫大集市", "18场"),
    ]
    assert not gold.exists()  # nothing accepted: the corpus is untouched


def test_every_project_gets_the_guideline_and_the_label_keys(doccano, team):
    client = connect(doccano)
    push([rec(P0)], "team-guide", client=client, team=Team(("alice",), 1))
    alice = page(doccano, team, "alice")
    queue = alice.project_id(queue_name("team-guide", "alice"))
    assert alice.project(queue)["guideline"] == default_guideline() and "## Entity labels" in default_guideline()
    keys = {t["text"]: (t["suffix_key"], t["background_color"]) for t in alice.label_types(queue)}
    keys.update({t["text"]: (t["suffix_key"], t["background_color"]) for t in alice.label_types(queue, "relation")})
    assert [keys[k][0] for k in ("ORG", "INITIATIVE", "OUTCOME", "LAUNCHED", "ACHIEVED")] == ["1", "2", "3", "4", "5"]
    for _, color in keys.values():  # each colour stands out on white (WCAG's 3:1 for graphics)
        assert contrast_with_white(color) >= 3.0, color
    push([rec(P0)], "team-guide", client=client, team=Team(("alice",), 1), guideline="# New rules")
    assert alice.project(queue)["guideline"] == "# New rules"  # updated, also where nothing new was pushed
    assert client.find_project_by_id(find_project(client, "team-guide").id).guideline == "# New rules"


def contrast_with_white(color: str) -> float:
    """WCAG 2 contrast ratio of an sRGB colour against white."""
    channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


def test_agreement_review_and_the_reviewers_decision(doccano, team, tmp_path, monkeypatch):
    client = connect(doccano)
    monkeypatch.setenv(password_env("dave"), secrets.token_urlsafe(16))
    reviewers = Team(("dave",), 1)
    push([rec(P0), rec(P1, para=1), rec(P2, para=2)], "team", client=client, team=team)
    # alice and carol agree on paragraph 0, bob leaves out the initiative and the relation;
    # all three agree on paragraph 1; only alice has confirmed paragraph 2.
    annotate(doccano, team, "alice", "team", [FULL0, SAME1, SAME2])
    annotate(doccano, team, "bob", "team", [ORG_ONLY0, SAME1])
    annotate(doccano, team, "carol", "team", [FULL0, SAME1])

    root = tmp_path / "annotators"
    kept = pull_versions(client, "team", root)
    assert {n: [r.key for r in v] for n, v in kept.versions.items()} == {
        "alice": [("team", 0), ("team", 1), ("team", 2)],
        "bob": [("team", 0), ("team", 1)],
        "carol": [("team", 0), ("team", 1)],
    }
    result = agreement(kept.versions)
    print("\n" + format_agreement(result))
    pairs = {tuple(p["annotators"]): p for p in result["pairs"]}
    # alice × bob over paragraphs 0 and 1: entities tp 2, fn 1 -> F 0.8; relations fn 1 -> F 0;
    # kappa on 16 characters: observed 12/16, expected (4*4 + 8*12 + 4*0)/256 -> (0.75 - 0.4375) / 0.5625 = 5/9
    assert pairs[("alice", "bob")]["entities"]["micro"]["f"] == 0.8
    assert pairs[("alice", "bob")]["relations"]["micro"]["f"] == 0.0
    assert pairs[("alice", "bob")]["kappa"] == pytest.approx(5 / 9, abs=1e-4)
    assert pairs[("alice", "carol")]["kappa"] == 1.0 and pairs[("bob", "carol")]["kappa"] == pytest.approx(
        5 / 9, abs=1e-4
    )
    # pooled: entities (2,0,1) + (3,0,0) + (2,1,0) -> F 7/8; relations (0,0,1) + (1,0,0) + (0,1,0) -> F 0.5
    assert result["overall"] == {
        "entities_f1": 0.875,
        "relations_f1": 0.5,
        "kappa": pytest.approx((5 / 9 * 2 + 1) / 3, abs=1e-4),
        "paragraphs": 2,
        "pairs": 3,
    }
    assert [(p["para"], p["f1"]) for p in result["paragraphs"]] == [(0, pytest.approx(2 / 3, abs=1e-4)), (1, 1.0)]

    gold = tmp_path / "gold.jsonl"
    other = Record("其他段落。", meta={"doc_id": "zzz", "para": 0})
    write_records(gold, [other])
    summary = review(client, "team", "team-review", gold, root, reviewers=reviewers)
    assert [r.key for r in summary.accepted] == [("team", 1)] and summary.pending == [("team", 2)]
    assert summary.sent == 1 and [r.key for r in summary.disputed] == [("team", 0)]
    proj = find_project(client, "team-review")
    sent = list_keyed_examples(client, proj.id)
    assert list(sent) == [("team", 0)]  # exactly the disagreement
    meta = sent[("team", 0)][0].meta
    assert meta["review_of"] == "team" and meta["review_2"] == "bob: ORG 省委 [0,2)" and "review_restored" not in meta
    labels = {t.id: t.text for t in client.list_label_types(proj.id, "span")}
    spans = client.list_spans(proj.id, sent[("team", 0)][0].id)
    assert sorted((s.start_offset, s.end_offset, labels[s.label]) for s in spans) == [
        (0, 2, "ORG"),
        (4, 8, "INITIATIVE"),
    ]
    assert [r.to_json() for r in read_records(gold)] == [other.to_json(), SAME1.to_json()]

    # the reviewer, made a member by review, decides in her name (here: bob was right) and
    # confirms; the decision comes into the corpus
    correct(login_as(doccano.url, "dave", reviewers), "team-review", [ORG_ONLY0])
    assert pull("team-review", gold, client=client).counts == {"changed": 0, "unchanged": 0, "added": 1, "kept": 2}
    assert [r.to_json() for r in read_records(gold)] == [other.to_json(), SAME1.to_json(), ORG_ONLY0.to_json()]
    again = review(client, "team", "team-review", gold, root)  # nothing new: no re-send, corpus unchanged
    assert (again.sent, again.in_review, again.counts["unchanged"]) == (0, 1, 1)
    # every annotator's version is still kept beside the corpus, bob's too
    kept = read_versions(versions_dir(root, "team"))
    assert kept["bob"][0].to_json() == ORG_ONLY0.to_json() and kept["alice"][0].to_json() == FULL0.to_json()
    majority = review(client, "team", "team-majority", tmp_path / "gold2.jsonl", root, accept="majority")
    assert [r.to_json() for r in majority.accepted] == [FULL0.to_json(), SAME1.to_json()] and majority.sent == 0


def test_cli_agreement_and_team_pull(doccano, team, tmp_path, monkeypatch):
    monkeypatch.setenv("PIPELINE_HOME", str(tmp_path))
    (tmp_path / "corpus").mkdir()
    runner = CliRunner()
    out = tmp_path / "agreement.json"
    result = runner.invoke(app, ["agreement", "-p", "team", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "alice × bob" in result.output and '"entities_f1": 0.875' in out.read_text()
    result = runner.invoke(app, ["doccano", "pull", "-p", "team"])
    assert result.exit_code == 0 and "alice: 3 version(s) kept" in result.output
    files = sorted(p.name for p in (tmp_path / "corpus" / "annotators" / "team").iterdir())
    assert files == ["alice.jsonl", "bob.jsonl", "carol.jsonl"]
    result = runner.invoke(app, ["agreement", str(tmp_path / "corpus/annotators/team/alice.jsonl")])
    assert result.exit_code == 1 and "two or more" in result.output
    result = runner.invoke(app, ["doccano", "review", "-p", "team", "--into", "x", "--accept", "most"])
    assert result.exit_code == 2 and "'most' is not one of 'all', 'majority'" in result.output
