"""Atomic writes keep file modes; an output is checked before any work."""

import os
import stat

import pytest

from pipeline.io import OutputError, atomic_open, check_output, write_jsonl


def _mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_atomic_write_keeps_the_mode_of_the_file_it_replaces(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text("old\n")
    path.chmod(0o640)
    write_jsonl(path, [{"a": 1}])
    assert _mode(path) == 0o640 and path.read_text() == '{"a": 1}\n'


def test_a_new_file_gets_the_umask_default(tmp_path):
    old = os.umask(0o022)
    try:
        write_jsonl(tmp_path / "new.jsonl", [])
    finally:
        os.umask(old)
    assert _mode(tmp_path / "new.jsonl") == 0o644


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text("old\n")
    with pytest.raises(RuntimeError):
        with atomic_open(path) as f:
            f.write("half")
            raise RuntimeError("killed")
    assert path.read_text() == "old\n" and [p.name for p in tmp_path.iterdir()] == ["gold.jsonl"]


@pytest.mark.parametrize(
    "make,expected",
    [
        (lambda d: d, "is a directory"),
        (lambda d: d / "in.jsonl", "is also an input"),
        (lambda d: d / "in.jsonl" / "x.jsonl", "not a directory"),
    ],
)
def test_bad_outputs_are_refused(tmp_path, make, expected):
    (tmp_path / "in.jsonl").write_text("{}\n")
    with pytest.raises(OutputError, match=expected):
        check_output(make(tmp_path), [tmp_path / "in.jsonl"])


def test_an_unwritable_place_is_refused():
    with pytest.raises(OutputError, match="cannot write"):
        check_output(__import__("pathlib").Path("/proc/x.jsonl"))


def test_a_writable_output_passes_and_leaves_nothing(tmp_path):
    check_output(tmp_path / "deeper" / "out.jsonl", [tmp_path / "in.jsonl"])
    assert list(tmp_path.iterdir()) == []


def test_half_written_temporaries_are_ignored_by_git():
    """A killed pull can leave corpus/.gold.jsonl.*.tmp behind: git must not offer to commit it."""
    import shutil
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    if shutil.which("git") is None or not (root / ".git").exists():
        pytest.skip("not a git checkout")
    out = subprocess.run(["git", "check-ignore", "-q", "corpus/.gold.jsonl.k3j2.tmp"], cwd=root)
    assert out.returncode == 0
