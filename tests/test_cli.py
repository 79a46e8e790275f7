"""The typer CLI: help, and clear failures."""
from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

from pipeline.cli import app

from .conftest import record

runner = CliRunner()


def test_help_lists_commands():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for cmd in ("setup", "corpus"):
        assert cmd in result.output


def test_module_entry_point():
    out = subprocess.run([sys.executable, "-m", "pipeline", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "corpus" in out.stdout


def test_validate_reports_file_and_line(make_jsonl):
    path = make_jsonl([record("省委开展活动。", [("ORG", "省委")]), "{oops"])
    result = runner.invoke(app, ["corpus", "validate", str(path)])
    assert result.exit_code == 1
    assert f"{path}:2: invalid JSON" in result.output


def test_import_text_writes_records(tmp_path):
    art = tmp_path / "007_x.txt"
    art.write_text("标题\n\n正文。\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["corpus", "import-text", str(art), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").count('"doc_id": "007_x"') == 2
