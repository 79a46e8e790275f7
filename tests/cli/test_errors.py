"""Every user mistake the CLI meets gives a clear message and exit status, never a traceback, and
loses nothing: inputs and corpus stay as they were."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app

runner = CliRunner()
CONFIG = str(Path(__file__).resolve().parents[2] / "configs" / "default.cfg")
ROW = json.dumps({"text": "市直机关工委共举办活动18场。", "meta": {"doc_id": "a", "para": 0}}, ensure_ascii=False)


@pytest.fixture
def home(tmp_path, monkeypatch):
    """An empty project root: no default model, so nothing may be trained by a failing command."""
    monkeypatch.setenv("PIPELINE_HOME", str(tmp_path))
    for key in (
        "PIPELINE_MODEL",
        "DOCCANO_URL",
        "DOCCANO_USERNAME",
        "DOCCANO_PASSWORD",
        "DOCCANO_CONFIG",
        "DOCCANO_PASSWORDS_FILE",
    ):
        monkeypatch.delenv(key, raising=False)
    (tmp_path / "in.jsonl").write_text(ROW + "\n", encoding="utf-8")
    (tmp_path / "in.txt").write_text("市直机关工委共举办活动18场。\n", encoding="utf-8")
    (tmp_path / "gbk.txt").write_bytes("第一段。\n".encode() + "第二段。".encode("gbk") + b"\n")
    (tmp_path / "noext").write_text(ROW + "\n", encoding="utf-8")
    (tmp_path / "dup.jsonl").write_text(ROW + "\n" + ROW + "\n", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    lone = '{"text": "省委开展活动。"}\n{"text": "ok", "meta": {"title": "\\ud800"}}\n{"text": "省委\\ud800开展"}\n'
    (tmp_path / "lone.jsonl").write_text(lone, encoding="utf-8")
    return tmp_path


CASES = [
    (["tag", "{h}/in.jsonl", "-o", "{h}/in.jsonl"], {}, "is also an input"),
    (["tag", "{h}/in.txt", "--output", "{h}/in.txt"], {}, "is also an input"),
    (["tag", "{h}/in.txt", "--batch-size", "-1"], {}, "Invalid value"),
    (["tag", "{h}/in.txt", "--batch-size", "0"], {}, "Invalid value"),
    (["tag", "{h}/in.txt", "--n-process", "0"], {}, "Invalid value"),
    (["tag", "{h}/in.txt"], {"PIPELINE_MODEL": "{h}/typo"}, "named by PIPELINE_MODEL"),
    (["tag", "{h}/in.txt", "-m", "{h}/nonexistent"], {}, "no trained pipeline here"),
    (["tag", "{h}/gbk.txt"], {}, "gbk.txt:2: not UTF-8"),
    (["tag", "{h}/noext"], {}, "cannot tell the format"),
    (["tag", "{h}/empty"], {}, "no .txt / .jsonl files in it"),
    (["tag", "{h}/lone.jsonl", "-o", "{h}/out.jsonl"], {}, "lone.jsonl:2: 'meta.title': character 0 is U+D800"),
    (["tag", "{h}/lone.jsonl"], {}, "lone.jsonl:3: 'text': character 2 is U+D800, a lone surrogate"),
    (["tag", "{h}/missing.txt"], {}, "no such file"),
    (["tag", "{h}/in.txt", "-o", "/proc/x.jsonl"], {}, "cannot write /proc/x.jsonl"),
    (["tag", "{h}/in.txt", "-o", "{h}/empty"], {}, "is a directory"),
    (["corpus", "validate", "{h}/empty"], {}, "is a directory"),
    (["corpus", "import-text", "{h}/gbk.txt", "-o", "{h}/out.jsonl"], {}, "gbk.txt:2: not UTF-8"),
    (["corpus", "import-text", "{h}/in.jsonl", "-o", "{h}/out.jsonl"], {}, "takes .txt articles"),
    (
        ["doccano", "pull", "-p", "x"],
        {"DOCCANO_URL": "127.0.0.1:8000", "DOCCANO_USERNAME": "u", "DOCCANO_PASSWORD": "p"},
        "must start with http://",
    ),
    (["doccano", "pull", "-p", "x"], {}, "missing Doccano settings"),
    (["doccano", "push", "{h}/dup.jsonl", "-p", "x"], {}, "dup.jsonl:2: doc_id/para ('a', 0) again"),
    (
        ["doccano", "push", "{h}/in.jsonl", "-p", "x"],
        {"DOCCANO_URL": "http://127.0.0.1:9", "DOCCANO_USERNAME": "u", "DOCCANO_PASSWORD": "p"},
        "cannot reach a Doccano server",
    ),
    (["evaluate", "-m", "{h}/nonexistent"], {}, "no such file"),
    (["evaluate", "--cv", "5", "--seeds", "0,x"], {}, "different whole numbers"),
    (["evaluate", "--cv", "5", "--seeds", "1,1"], {}, "different whole numbers"),
    (["evaluate", "--cv", "1", "--gold", "{h}/in.jsonl", "-c", CONFIG], {}, "--cv needs 2 to 1 folds"),
    (["evaluate", "--cv", "9", "--gold", "{h}/in.jsonl", "-c", CONFIG], {}, "one per document at most"),
    (["doccano", "push", "{h}/in.jsonl", "-p", "x", "--annotators", "a,a"], {}, "named twice"),
    (["doccano", "push", "{h}/in.jsonl", "-p", "x", "--annotators", "a,b", "-k", "3"], {}, "between 1 and"),
    (["doccano", "review", "-p", "x", "--into", "y"], {}, "missing Doccano settings"),
    (
        ["doccano", "review", "-p", "x", "--into", "y", "--preannotate", "all"],
        {},
        "'all' is not one of 'majority', 'union'",
    ),
    (["agreement"], {}, "name either annotator files"),
    (["agreement", "{h}/in.jsonl", "{h}/missing.jsonl"], {}, "no such file"),
    (["agreement", "{h}/in.jsonl", "{h}/dup.jsonl"], {}, "dup.jsonl:2: duplicate doc_id/para"),
    (["agreement", "{h}/in.jsonl", "{h}/in.txt"], {}, "in.txt:1: invalid JSON"),
    (["agreement", "{h}/in.jsonl", "{h}/noext", "-o", "{h}/empty"], {}, "is a directory"),
]


@pytest.mark.parametrize("args,env,expected", CASES, ids=[" ".join(c[0][:2]) + f" {i}" for i, c in enumerate(CASES)])
def test_user_errors_are_messages(home, monkeypatch, args, env, expected):
    for key, value in env.items():
        monkeypatch.setenv(key, value.format(h=home))
    before = {p.name: p.read_bytes() for p in home.iterdir() if p.is_file()}
    result = runner.invoke(app, [a.format(h=home) for a in args])
    output = result.stdout + result.stderr
    assert result.exit_code in (1, 2), output
    assert isinstance(result.exception, SystemExit) and "Traceback" not in output
    assert expected in output
    assert {p.name: p.read_bytes() for p in home.iterdir() if p.is_file()} == before  # nothing lost or half-written
    assert not (home / "models").exists() and not (home / "typo").exists()  # nothing trained


def test_problems_are_listed_one_a_line(home):
    (home / "bad.jsonl").write_text('{"txt": 1}\n[]\n{"text": "ok"}\n', encoding="utf-8")
    result = runner.invoke(app, ["tag", str(home / "bad.jsonl")])
    lines = [line.strip() for line in (result.stdout + result.stderr).splitlines()]
    assert f"{home / 'bad.jsonl'}:1: each line must be an object with a string 'text'" in lines
    assert f"{home / 'bad.jsonl'}:2: each line must be an object with a string 'text'" in lines


@pytest.mark.parametrize(
    "args,expected",
    [
        (["tag", "/nonexistent.txt"], "no such file"),
        (["tag", "in.txt", "-o", "/proc/x.jsonl"], "cannot write"),
        (["tag", "lone.jsonl", "-o", "out.jsonl"], "lone.jsonl:3: 'text': character 2 is U+D800"),
    ],
)
def test_a_real_process_prints_no_traceback(home, args, expected):
    out = subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=home, capture_output=True, text=True)
    assert out.returncode == 1 and "Traceback" not in out.stderr + out.stdout
    assert expected in out.stdout + out.stderr
    assert not (home / "out.jsonl").exists()


def _limit_file_size() -> None:
    """In the child: files may not grow past 64 kB (a write past it fails with EFBIG, not a signal)."""
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))


@pytest.fixture
def small_disk(tmp_path):
    """A 64 kB tmpfs where this machine lets us mount one (root with CAP_SYS_ADMIN), else a skip."""
    where = tmp_path / "small"
    where.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(where)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    yield where
    subprocess.run(["umount", str(where)], check=True)


@pytest.mark.slow
@pytest.mark.parametrize("disk", ["full", "size-limit"])
def test_a_full_disk_while_writing_is_one_line_and_no_file(tiny_model, gold_records, tmp_path, request, disk):
    rows = [{"text": r.text, "meta": r.meta} for r in gold_records[:150]]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    where = request.getfixturevalue("small_disk") if disk == "full" else tmp_path / "out"
    where.mkdir(exist_ok=True)
    out = where / "tagged.jsonl"
    limit = _limit_file_size if disk == "size-limit" else None
    cmd = [sys.executable, "-m", "pipeline", "tag", str(source), "-m", str(tiny_model), "-o", str(out), "-q"]
    proc = subprocess.run(cmd, capture_output=True, text=True, preexec_fn=limit)
    failures = [line for line in proc.stderr.splitlines() if line.startswith("✘")]
    assert proc.returncode == 1 and "Traceback" not in proc.stdout + proc.stderr
    assert len(failures) == 1 and f"cannot write {out}:" in failures[0] and "nothing was written" in failures[0]
    assert list(where.iterdir()) == []  # no output, no temporary file left


def test_agreement_names_the_files_and_lines_of_a_text_that_differs(home):
    a, b = home / "A.jsonl", home / "B.jsonl"
    other = json.dumps({"text": "省委召开会议。", "meta": {"doc_id": "a", "para": 0}}, ensure_ascii=False)
    first = json.dumps({"text": "第一段。", "meta": {"doc_id": "a", "para": 1}}, ensure_ascii=False)
    a.write_text(ROW + "\n", encoding="utf-8")
    b.write_text(first + "\n" + other + "\n", encoding="utf-8")
    result = runner.invoke(app, ["agreement", str(a), str(b)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{b}:2: ('a', 0): the text differs from the same paragraph in {a}:1" in result.output, result.output
