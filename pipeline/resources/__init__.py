"""Word lists and patterns the components read, named in the configs by `dangjian.word_list.v1`.

A word list is a UTF-8 text file of words separated by white space; `#` starts a comment line.
"""

import hashlib
import json
from pathlib import Path
from typing import Any, List, Optional

from spacy.util import registry

RESOURCES = Path(__file__).parent


def resource_path(name: str) -> Path:
    """The packaged resource file `name` (e.g. "units.txt")."""
    return RESOURCES / name


def read_words(path: Path) -> List[str]:
    """The words of a word-list file, in file order."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [w for line in lines if not line.lstrip().startswith("#") for w in line.split()]


@registry.misc("dangjian.word_list.v1")
def word_list(name: str, path: Optional[str] = None) -> List[str]:
    """The packaged list resources/<name>.txt, or the file at `path` when a config names one."""
    return read_words(Path(path) if path else resource_path(f"{name}.txt"))


def read_json(name: str) -> Any:
    """A packaged JSON resource."""
    return json.loads(resource_path(name).read_text(encoding="utf-8"))


def resources_sha256() -> str:
    """One digest of every packaged resource file (names and contents): a pipeline saved with
    other word lists or patterns is told apart from one built with today's."""
    digest = hashlib.sha256()
    for path in sorted(p for p in RESOURCES.iterdir() if p.is_file() and p.suffix != ".py"):
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
