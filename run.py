#!/usr/bin/env python3
"""Set-up and the two main jobs, needing only python3 on a fresh clone.

    python3 run.py tag  [FILE]      set up, build the default model if absent, tag FILE (default: a sample article)
    python3 run.py test [PYTEST ARGS]  set up (incl. the Doccano server environment) and run every test

Set-up is idempotent: a virtual environment in .venv with the package installed (re-installed when
setup.cfg changes), the pkuseg model and the MSRA data from the package index, and for the tests
Doccano 1.8.4 in its own environment (.doccano/venv).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PY = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
STAMP = VENV / ".installed-setup-cfg"
SAMPLE = ROOT / "corpus" / "raw" / "sample" / "jiangcheng-model-organs.txt"  # not in the corpus: never trained on


def step(message: str) -> None:
    print(f"\033[1m==> {message}\033[0m", flush=True)


def run(*args: str) -> None:
    proc = subprocess.run(args, cwd=ROOT)
    if proc.returncode != 0:
        sys.exit(proc.returncode)


def ensure_venv() -> None:
    if not PY.exists():
        step("Creating the virtual environment .venv")
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "setup.cfg").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text() != wanted:
        step("Installing the package and its dependencies into .venv")
        run(str(PY), "-m", "pip", "install", "--quiet", "-e", ".[test]")
        STAMP.write_text(wanted)


def ensure_models() -> None:
    step("Checking the pkuseg model and the MSRA data (models/pkuseg, corpus/external/msra)")
    run(str(PY), "-m", "pipeline", "setup")


def ensure_doccano() -> None:
    step("Checking the Doccano server environment (.doccano/venv)")
    run(str(PY), "-m", "pipeline", "doccano", "install")


def main(argv: list) -> None:
    if not argv or argv[0] not in {"tag", "test", "setup"}:
        print(__doc__)
        sys.exit(2)
    job, rest = argv[0], argv[1:]
    ensure_venv()
    ensure_models()
    if job == "tag":
        step("Tagging")
        run(str(PY), "-m", "pipeline", "tag", *(rest or [str(SAMPLE)]))
    elif job == "test":
        ensure_doccano()
        step("Running the tests (all of them: fast, --slow and --integration)")
        run(str(PY), "-m", "pytest", "--slow", "--integration", *rest)


if __name__ == "__main__":
    main(sys.argv[1:])
