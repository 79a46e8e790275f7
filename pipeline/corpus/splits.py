"""Train/dev split by document, never by paragraph.

Assignments live in corpus/splits.json and never move once made, so dev scores stay comparable
as the corpus grows. New documents are assigned in a batch by a stable hash of their doc_id:
a fraction `dev_fraction` of the batch (at least one document when the batch has two or more)
goes to dev.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Dict, Iterable, List, Sequence, Tuple

from ..io import write_json
from .records import Record

TRAIN, DEV = "train", "dev"
# Documents from outside the genre's articles, annotated to add training data (the annotation
# rounds' news sentences, doc_id msra-<sentence index>): always training data, never dev, never
# held out by cross-validation, never scored as if they were articles.
EXTRA_PREFIXES = ("msra-",)


def is_extra(doc_id: str) -> bool:
    """Whether a document is extra training data rather than an article of the corpus."""
    return str(doc_id).startswith(EXTRA_PREFIXES)


def _rank(doc_id: str, seed: str) -> str:
    return hashlib.sha1(f"{seed}:{doc_id}".encode("utf-8")).hexdigest()


def assign(new_doc_ids: Sequence[str], dev_fraction: float = 0.25, seed: str = "dangjian") -> Dict[str, str]:
    """Split a batch of new documents: the lowest-hash `dev_fraction` of the articles go to dev;
    extra training documents (is_extra) to train."""
    ids = sorted({d for d in new_doc_ids if not is_extra(d)}, key=lambda d: _rank(d, seed))
    n_dev = round(len(ids) * dev_fraction)
    if len(ids) >= 2:
        n_dev = max(1, min(n_dev, len(ids) - 1))
    out = {d: (DEV if i < n_dev else TRAIN) for i, d in enumerate(ids)}
    out.update({d: TRAIN for d in new_doc_ids if is_extra(d)})
    return out


def load(path: Path) -> Dict[str, str]:
    """doc_id -> "train" | "dev" (empty when the file does not exist)."""
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    mapping = {}
    for split in (TRAIN, DEV):
        for doc_id in data.get(split, []):
            if doc_id in mapping:
                raise ValueError(f"{path}: doc_id {doc_id!r} is in both train and dev")
            mapping[doc_id] = split
    return mapping


def save(path: Path, mapping: Dict[str, str]) -> None:
    write_json(path, {s: sorted(d for d, v in mapping.items() if v == s) for s in (TRAIN, DEV)})


def update(path: Path, doc_ids: Iterable[str], dev_fraction: float = 0.25, write: bool = True) -> Dict[str, str]:
    """Assign any doc_ids not yet in the split file, save (unless `write` is false: what a
    scoring command reads), and return the full mapping."""
    mapping = load(path)
    new = [d for d in doc_ids if d not in mapping]
    if new:
        mapping.update(assign(new, dev_fraction))
        if write:
            save(path, mapping)
    return mapping


def split_records(records: Iterable[Record], mapping: Dict[str, str]) -> Tuple[List[Record], List[Record]]:
    """(train, dev) records; a record whose document has no assignment is an error."""
    train, dev = [], []
    for rec in records:
        split = mapping.get(rec.doc_id)
        if split is None:
            raise KeyError(f"doc_id {rec.doc_id!r} has no split; run `python -m pipeline corpus split`")
        (dev if split == DEV else train).append(rec)
    return train, dev
