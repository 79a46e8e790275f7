"""A team on a real Doccano 1.8.4 server: three annotators, assignment, their own versions,
agreement checked by hand, review of exactly the disagreements, and the reviewer's decision back."""

from __future__ import annotations

import secrets

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.corpus import Entity, Record, Relation, read_records, write_records
from pipeline.doccano.assign import assignees
from pipeline.doccano.client import DoccanoError, connect, find_project, list_keyed_examples
from pipeline.doccano.correct import correct
from pipeline.doccano.pull import pull
from pipeline.doccano.push import push
from pipeline.doccano.review import review
from pipeline.doccano.team import Team, login_as, password_env
from pipeline.doccano.versions import pull_versions, read_versions, versions_dir
from pipeline.evaluation.agreement import agreement, format_agreement

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
    """The annotator corrects their examples through the REST API, in their own name, and confirms."""
    correct(login_as(doccano.url, name, team), project, targets)


def test_push_assigns_k_annotators_and_gives_each_their_own_suggestions(doccano, team):
    client = connect(doccano)
    records = [rec(f"省委开展第{i}项活动。", [("ORG", "省委")], doc="assign", para=i) for i in range(6)]
    pair = Team(NAMES, 2)
    first = push(records[:5], "team-assign", client=client, team=pair)
    proj = find_project(client, "team-assign")
    assert not proj.collaborative_annotation
    roles = {m.username: m.rolename for m in client.list_members(proj.id)}
    assert all(roles[n] == "annotator" for n in NAMES)
    examples = list_keyed_examples(client, proj.id)
    assigned = {k: assignees(v[0].meta) for k, v in examples.items()}
    assert all(len(names) == 2 for names in assigned.values())
    assert sum(first.assigned.values()) == 10 and max(first.assigned.values()) - min(first.assigned.values()) <= 1
    assert first.suggested == first.assigned  # every assigned annotator got a copy of the suggestion
    for name in NAMES:  # each sees their own copy on their paragraphs only
        session = login_as(doccano.url, name, team)
        for key, found in examples.items():
            spans = session.list_spans(proj.id, found[0].id)
            assert [(s.start_offset, s.end_offset) for s in spans] == ([(0, 2)] if name in assigned[key] else [])
    again = push(records, "team-assign", client=client, team=pair)  # one new paragraph, the rest stay
    after = {k: assignees(v[0].meta) for k, v in list_keyed_examples(client, proj.id).items()}
    assert (again.uploaded, again.skipped_existing, sum(again.suggested.values())) == (1, 5, 2)
    assert {k: v for k, v in after.items() if k in assigned} == assigned
    with pytest.raises(DoccanoError, match="team project"):
        push(records, "team-assign", client=client)


def test_agreement_review_and_the_reviewers_decision(doccano, team, tmp_path):
    client = connect(doccano)
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
    summary = review(client, "team", "team-review", gold, root)
    assert [r.key for r in summary.accepted] == [("team", 1)] and summary.pending == [("team", 2)]
    assert summary.sent == 1 and [r.key for r in summary.disputed] == [("team", 0)]
    proj = find_project(client, "team-review")
    sent = list_keyed_examples(client, proj.id)
    assert list(sent) == [("team", 0)]  # exactly the disagreement
    meta = sent[("team", 0)][0].meta
    assert meta["review_of"] == "team" and meta["review_2"] == "bob: ORG 省委 [0,2)"
    labels = {t.id: t.text for t in client.list_label_types(proj.id, "span")}
    spans = client.list_spans(proj.id, sent[("team", 0)][0].id)
    assert sorted((s.start_offset, s.end_offset, labels[s.label]) for s in spans) == [
        (0, 2, "ORG"),
        (4, 8, "INITIATIVE"),
    ]
    assert [r.to_json() for r in read_records(gold)] == [other.to_json(), SAME1.to_json()]

    # the reviewer decides (here: bob was right) and confirms; the decision comes into the corpus
    correct(client, "team-review", [ORG_ONLY0])
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
    assert result.exit_code == 1 and "--accept must be one of" in result.output
