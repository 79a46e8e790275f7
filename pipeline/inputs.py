"""Text to tag, as users give it: .txt files (one paragraph a line) and .jsonl files of {"text",
"meta"?} objects, named one by one, as directories or as glob patterns. Read lazily, a line at a
time; a check pass first reports every problem with file and line, before any work is done."""

from __future__ import annotations

import glob
from pathlib import Path
from typing import Iterable, Iterator, List, Optional, Sequence, Tuple

from .corpus.files import iter_jsonl
from .corpus.records import CorpusError, Problem, Record

KINDS = {".txt": "txt", ".jsonl": "jsonl"}
BOM = "\ufeff"
Line = Tuple[int, Optional[Record], Optional[str]]  # line number, record or None, problem or None


def kind_of(path: Path) -> str:
    """ "txt" or "jsonl" by the file's suffix (any case); anything else is an error."""
    kind = KINDS.get(path.suffix.lower())
    if kind is None:
        raise CorpusError(
            [Problem(str(path), 0, "cannot tell the format: name it .txt (one paragraph a line) or .jsonl")]
        )
    return kind


def expand(specs: Sequence[str]) -> List[Path]:
    """The files named by `specs`: files, directories (their .txt and .jsonl files, sorted) and
    glob patterns, in the order given."""
    out: List[Path] = []
    for spec in specs:
        path = Path(spec)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in KINDS)
        elif path.exists():
            found = [path]
        else:
            found = sorted(Path(p) for p in glob.glob(spec) if Path(p).is_file())
        if not found:
            raise FileNotFoundError(
                f"{spec}: no such file" + (" (or no .txt / .jsonl files in it)" if path.is_dir() else "")
            )
        out.extend(found)
    return out


def scan(path: Path) -> Iterator[Line]:
    """Every paragraph line of one input file, as a record or as a problem."""
    kind = kind_of(path)
    return _scan_txt(path) if kind == "txt" else _scan_jsonl(path)


def _scan_txt(path: Path) -> Iterator[Line]:
    para = 0
    with open(path, "rb") as f:
        for lineno, raw in enumerate(f, 1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as err:
                yield lineno, None, f"not UTF-8 ({err.reason} at byte {err.start}); convert the file to UTF-8"
                continue
            text = (line[1:] if lineno == 1 and line.startswith(BOM) else line).strip()
            if not text:
                continue
            if "\r" in text:
                yield lineno, None, "contains a carriage return inside the line; convert the file to LF line endings"
                continue
            yield lineno, Record(text, meta={"doc_id": path.stem, "para": para}, line=lineno), None
            para += 1


def _scan_jsonl(path: Path) -> Iterator[Line]:
    for lineno, obj, error in iter_jsonl(path):
        if error is None and (not isinstance(obj, dict) or not isinstance(obj.get("text"), str)):
            error = "each line must be an object with a string 'text'"
        if error is None and not isinstance(obj.get("meta", {}), dict):
            error = "'meta' must be an object"
        if error is None and "\r" in obj["text"]:
            error = "'text' contains a carriage return; Doccano and the corpus take LF line breaks only"
        if error:
            yield lineno, None, error
        else:
            yield lineno, Record(obj["text"], meta=dict(obj.get("meta", {})), line=lineno), None


def check(paths: Iterable[Path]) -> int:
    """Read every input once; raise CorpusError listing every problem. Returns the paragraph count."""
    return sum(paragraph_counts(paths))


def paragraph_counts(paths: Iterable[Path]) -> List[int]:
    """The paragraph count of each input, after one reading of all of them; raises CorpusError
    listing every problem in every file."""
    problems: List[Problem] = []
    counts: List[int] = []
    for path in paths:
        counts.append(0)
        for lineno, record, error in scan(path):
            if error is not None:
                problems.append(Problem(str(path), lineno, error))
            counts[-1] += record is not None
    if problems:
        raise CorpusError(problems)
    return counts


def records(paths: Iterable[Path]) -> Iterator[Record]:
    """The records of checked inputs, lazily."""
    for path in paths:
        for _, record, _ in scan(path):
            if record is not None:
                yield record


def read_tag_input(path: Path) -> List[Record]:
    """All records of one input file, checked."""
    paths = expand([str(path)])
    check(paths)
    return list(records(paths))
