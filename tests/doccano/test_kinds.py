"""What a Doccano project is to the product, and the refusals that say what to do (no server needed)."""

from types import SimpleNamespace

import pytest

from pipeline.doccano.client import QUEUE_TAG, TEAM_TAG, DoccanoError, check_kind, project_kind, queue_name


def project(name, tags=(), collaborative=True):
    return SimpleNamespace(name=name, tags=list(tags), collaborative_annotation=collaborative)


@pytest.mark.parametrize(
    "proj,kind",
    [
        (project("articles"), "plain"),
        (project("round1", [TEAM_TAG]), "team"),
        (project(queue_name("round1", "alice"), [QUEUE_TAG]), "queue"),
        (project("team", collaborative=False), "old team"),
    ],
)
def test_project_kind(proj, kind):
    assert project_kind(proj) == kind
    check_kind(proj, kind)


@pytest.mark.parametrize(
    "proj,wanted,message",
    [
        (project("round1", [TEAM_TAG]), "plain", "'round1' is a team .* push to it with --annotators"),
        (project("articles"), "team", "'articles' holds one shared version, not a team's .* name of its own"),
        (
            project("round1 · alice", [QUEUE_TAG]),
            "plain",
            "'round1 · alice' is alice's queue in team 'round1': .* -p 'round1'",
        ),
        (project("team", collaborative=False), "team", "earlier kind .* push the team again under a new name"),
    ],
)
def test_the_wrong_kind_is_refused_with_what_to_do(proj, wanted, message):
    with pytest.raises(DoccanoError, match=message):
        check_kind(proj, wanted)


def test_a_team_name_too_long_for_its_queues_is_refused_before_any_call():
    from pipeline.corpus import Record
    from pipeline.doccano.push import push
    from pipeline.doccano.team import Team

    record = Record("省委开展活动。", meta={"doc_id": "d", "para": 0})
    with pytest.raises(DoccanoError, match="would pass Doccano's 100 characters"):
        push([record], "x" * 95, team=Team(("alice",), 1), client=object())  # the client is never called
