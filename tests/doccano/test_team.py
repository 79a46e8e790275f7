"""The team settings, the passwords and the paragraph assignment (no server needed)."""

from collections import Counter

import pytest

from pipeline.doccano.assign import ASSIGN_META, assign, assignees
from pipeline.doccano.settings import SettingsError
from pipeline.doccano.team import Team, load_team, password_env, read_passwords


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for key in ("DOCCANO_CONFIG", "DOCCANO_PASSWORDS_FILE", "DOCCANO_PASSWORD_ALICE", "DOCCANO_PASSWORD_BO_B"):
        monkeypatch.delenv(key, raising=False)
    return tmp_path


def test_team_from_arguments_and_from_the_config_file(clean_env, monkeypatch):
    assert load_team() is None
    assert load_team("alice, bob", 2) == Team(("alice", "bob"), 2)
    (clean_env / "team.ini").write_text("[team]\nannotators = a,b,c\noverlap = 2\npasswords_file = pw.txt\n")
    monkeypatch.setenv("DOCCANO_CONFIG", str(clean_env / "team.ini"))
    team = load_team()
    assert (team.annotators, team.overlap, team.passwords_file.name) == (("a", "b", "c"), 2, "pw.txt")
    assert load_team("x,y").overlap == 2  # the config's overlap applies to named annotators too


@pytest.mark.parametrize(
    "names,overlap,message",
    [
        ("alice,alice", 1, "named twice"),
        ("alice,b b", 1, "invalid annotator"),
        ("alice,bob", 3, "between 1 and"),
        ("alice,bob", 0, "between 1 and"),
        (" , ", 1, "no annotators"),
    ],
)
def test_bad_teams_are_refused(clean_env, names, overlap, message):
    with pytest.raises(SettingsError, match=message):
        load_team(names, overlap)


def test_passwords_from_the_environment_win_over_the_file(clean_env, monkeypatch):
    pw = clean_env / "pw.txt"
    pw.write_text("# team\nalice:from-file:with-colon\n\nbo.b:secret\n")
    team = Team(("alice", "bo.b"), 1, pw)
    assert team.password("alice") == "from-file:with-colon" and team.password("bo.b") == "secret"
    assert password_env("bo.b") == "DOCCANO_PASSWORD_BO_B"
    monkeypatch.setenv("DOCCANO_PASSWORD_ALICE", "from-env")
    assert team.password("alice") == "from-env"
    with pytest.raises(SettingsError, match="DOCCANO_PASSWORD_CAROL"):
        Team(("carol",), 1, pw).require_password("carol")


@pytest.mark.parametrize("content,message", [("alice\n", "pw.txt:1: expected"), ("\n:x\n", "pw.txt:2: expected")])
def test_a_bad_passwords_file_names_the_line(clean_env, content, message):
    (clean_env / "pw.txt").write_text(content)
    with pytest.raises(SettingsError, match=message):
        read_passwords(clean_env / "pw.txt")


def test_assignment_is_balanced_and_stable():
    keys = [("doc", i) for i in range(30)]
    first = assign(keys, ["a", "b", "c"], 2)
    assert first == assign(keys, ["a", "b", "c"], 2)  # the same on every run
    assert all(len(names) == 2 and len(set(names)) == 2 for names in first.values())
    assert Counter(n for names in first.values() for n in names) == {"a": 20, "b": 20, "c": 20}


def test_assignment_counts_what_is_already_taken():
    more = assign([("doc", 99)], ["a", "b", "c"], 1, taken=[("a",), ("a", "b")])
    assert more == {("doc", 99): ("c",)}


def test_assignees_come_from_the_meta():
    assert assignees({ASSIGN_META: "alice,bob"}) == ("alice", "bob")
    assert assignees({"doc_id": "x"}) is None
