"""The pkuseg tokenizer of the pipeline and its user dictionary.

The pipeline uses spaCy's own `spacy.zh.ChineseTokenizer` with segmenter "pkuseg". Its user
dictionary is the corpus lexicon: ORG and INITIATIVE surfaces of the training split only (dev
names must not leak into the tokenizer). Listed words always stay single tokens.
"""
from __future__ import annotations

from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import spacy
from spacy.language import Language

from .corpus import Record
from .io import atomic_open
from .pkuseg_model import ensure_pkuseg_model
from .schema import INITIATIVE, ORG

LEXICON_LABELS: Tuple[str, ...] = (ORG, INITIATIVE)


def _longest_match_solve(self, txt: str) -> Tuple[List[str], List[bool], List[str]]:
    """Split `txt` at user-dictionary words by greedy longest match.

    Replaces spacy_pkuseg.Preprocesser.solve (spacy-pkuseg 1.0.2), which, when a longer entry
    shares a prefix and then fails (省委省直工委 against 省委省政府), emits the over-long prefix
    (省委省 | 政府) instead of backtracking to the last complete word (省委 | 省政府).
    """
    out: List[str] = []
    is_word: List[bool] = []
    tags: List[str] = []
    n, last, i = len(txt), 0, 0
    while i < n:
        node, j, end, tag = self.trie, i, -1, ""
        while j < n and txt[j] in node.children:
            node = node.children[txt[j]]
            j += 1
            if node.isword:
                end, tag = j, node.usertag
        if end == -1:
            i += 1
            continue
        if last < i:
            out.append(txt[last:i]), is_word.append(False), tags.append("")
        out.append(txt[i:end]), is_word.append(True), tags.append(tag)
        last = i = end
    if last < n:
        out.append(txt[last:n]), is_word.append(False), tags.append("")
    return out, is_word, tags


def patch_pkuseg_user_dict() -> None:
    """Install the corrected user-dictionary matcher (idempotent)."""
    import spacy_pkuseg

    spacy_pkuseg.Preprocesser.solve = _longest_match_solve


patch_pkuseg_user_dict()
TOKENIZER_CONFIG = {"nlp": {"tokenizer": {"@tokenizers": "spacy.zh.ChineseTokenizer", "segmenter": "pkuseg"}}}


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


def blank_pkuseg(user_dict: Optional[Path] = None, postprocess: bool = True, pkuseg_model: Optional[Path] = None) -> Language:
    """A blank Chinese pipeline whose tokenizer is pkuseg with the given user dictionary file.

    `postprocess=False` switches off spacy-pkuseg's built-in merge dictionary (on by default
    whenever a user dictionary file is given).
    """
    model = ensure_pkuseg_model(pkuseg_model)
    nlp = spacy.blank("zh", config=TOKENIZER_CONFIG)
    if user_dict is None:
        raise ValueError("pkuseg needs a user dictionary file (it may be empty); see write_user_dict")
    nlp.tokenizer.initialize(pkuseg_model=str(model), pkuseg_user_dict=str(user_dict))
    nlp.tokenizer.pkuseg_seg.postprocesser.do_process = postprocess
    return nlp


def set_user_dict(nlp: Language, words: Sequence[str]) -> None:
    """Replace the pkuseg user dictionary of `nlp` in place (cheap: a trie of the words)."""
    nlp.tokenizer.pkuseg_update_user_dict(list(words), reset=True)


_CACHE: Dict[Tuple[str, ...], Language] = {}


def pkuseg_with_words(words: Sequence[str], postprocess: bool = True) -> Language:
    """A blank pkuseg pipeline with `words` as user dictionary (cached per process: loading takes seconds)."""
    key = (str(postprocess), *words)
    if key not in _CACHE:
        from tempfile import TemporaryDirectory

        with TemporaryDirectory() as tmp:
            path = write_user_dict(words, Path(tmp) / "user_dict.txt")
            _CACHE[key] = blank_pkuseg(path, postprocess=postprocess)
    return _CACHE[key]
