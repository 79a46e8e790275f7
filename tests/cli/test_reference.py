"""docs/cli.md and the README's table of commands say what the CLI does (generated from the app)."""

import subprocess
import sys

from pipeline import paths
from pipeline.cli import app
from pipeline.cli.reference import commands, markdown, table


def test_the_generated_reference_is_up_to_date():
    script = paths.project_root() / "scripts" / "cli_reference.py"
    proc = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_every_command_and_option_is_in_the_reference():
    text, rows = markdown(app), table(app)
    for path, command in commands(app):
        assert f"## `{' '.join(path)}`" in text and f"`{' '.join(path)}`" in rows
        for param in command.params:
            if param.param_type_name == "option" and not param.hidden:
                assert param.opts[0] in text, (path, param.opts)
