"""The corpus lexicon: ORG and INITIATIVE surfaces of the training documents, the tokenizer's user
dictionary (dev names must not leak into it). Listed words always stay single tokens."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, Iterable, List, Sequence, Tuple

from ..corpus.records import Record
from ..io import atomic_open
from ..schema import INITIATIVE, ORG

LEXICON_LABELS: Tuple[str, ...] = (ORG, INITIATIVE)


def lexicon(records: Iterable[Record], labels: Sequence[str] = LEXICON_LABELS, min_len: int = 2) -> List[str]:
    """Distinct surfaces of the given labels, sorted; one-character names are left out."""
    words = {r.span_text(e) for r in records for e in r.entities if e.label in labels}
    return sorted(w for w in words if len(w) >= min_len and not any(ch.isspace() for ch in w))


def jackknife_lexicons(records: Sequence[Record], labels: Sequence[str] = LEXICON_LABELS) -> Dict[str, List[str]]:
    """For each doc_id, the lexicon of all *other* documents.

    Training documents are tokenised with these, so a name is a single token in training only when
    it also occurs in another document: the same situation as a new article at tagging time, where
    only names seen in training are in the dictionary. With the full lexicon every training name
    would be one token and the model would learn to tag memorised tokens.
    """
    by_doc: Dict[str, set] = {}
    for r in records:
        by_doc.setdefault(r.doc_id, set()).update(lexicon([r], labels))
    docs_of: Dict[str, set] = {}
    for doc_id, words in by_doc.items():
        for w in words:
            docs_of.setdefault(w, set()).add(doc_id)
    return {d: sorted(w for w, ds in docs_of.items() if ds - {d}) for d in by_doc}


def write_user_dict(words: Iterable[str], path: Path) -> Path:
    """One word a line, the format spacy-pkuseg reads."""
    with atomic_open(path) as f:
        for w in words:
            f.write(w + "\n")
    return path
