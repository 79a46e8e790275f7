"""Files: atomic writes (a crash or an exception half-way never leaves a half-written file), and
the one reader and writer of JSON and JSONL files."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Dict, Iterable, Iterator, Sequence, Union

PathLike = Union[str, "os.PathLike[str]"]


# What a full disk, a quota, a size limit, a read-only or failing disk give a write.
WRITE_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EIO})


@contextmanager
def atomic_open(path: PathLike, mode: str = "w", encoding: str = "utf-8") -> Iterator[IO[Any]]:
    """Open a temporary file beside `path`; rename it over `path` only if the block succeeds.
    The file keeps the mode of the one it replaces (a new one gets the umask's default). A write
    that fails for want of space (or a disk that refuses it) is an OutputError naming the file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    binary = "b" in mode
    try:
        with os.fdopen(fd, mode, **({} if binary else {"encoding": encoding, "newline": "\n"})) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, _mode_for(path))
        os.replace(tmp, path)
    except BaseException as err:
        if os.path.exists(tmp):
            os.unlink(tmp)
        if isinstance(err, OSError) and err.errno in WRITE_ERRORS:
            was = "is as it was" if path.exists() else "was not created"
            raise OutputError(f"cannot write {path}: {err.strerror}; nothing was written ({path.name} {was})") from None
        raise


def _mode_for(path: Path) -> int:
    """The permission bits `path` has, or those the umask gives a new file."""
    if path.exists():
        return path.stat().st_mode & 0o7777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


class OutputError(ValueError):
    """An output the user named cannot or must not be written."""


def check_output(path: Path, inputs: Sequence[Path] = ()) -> None:
    """Fail before any work when `path` is a directory, is one of the inputs, or cannot be written."""
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"{path} is a directory: name a file to write")
    for source in inputs:
        if path.exists() and Path(source).exists() and os.path.samefile(path, source):
            raise OutputError(
                f"{path} is also an input: writing it would replace what you are tagging; choose another output"
            )
    parent = path.parent if str(path.parent) else Path(".")
    existing = next(p for p in [parent, *parent.parents] if p.exists())
    if not existing.is_dir():
        raise OutputError(f"cannot write {path}: {existing} is not a directory")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=existing)
    except OSError as err:
        raise OutputError(f"cannot write {path}: {err.strerror} ({existing})") from None
    os.close(fd)
    os.unlink(tmp)


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


def read_json(path: PathLike) -> Any:
    """A JSON file (UTF-8)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def read_jsonl(path: PathLike) -> Iterator[Any]:
    """The objects of a JSONL file, one a non-blank line (UTF-8), lazily."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)
