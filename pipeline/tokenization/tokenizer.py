"""The pipeline's tokenizer: spaCy's ChineseTokenizer (segmenter "pkuseg") whose user dictionary is
matched by greedy longest match.

spacy-pkuseg 1.0.2's user-dictionary matcher, when a longer entry shares a prefix and then fails
(省委省直工委 against 省委省政府), emits the over-long prefix (省委省 | 政府) instead of backtracking
to the last complete word (省委 | 省政府). `dangjian.ChineseTokenizer.v1` replaces the matcher of
its own pkuseg segmenter each time the user dictionary is (re)built; nothing is patched globally.
"""

from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

import spacy
from spacy.lang.zh import ChineseTokenizer as SpacyChineseTokenizer
from spacy.lang.zh import _get_pkuseg_trie_data
from spacy.language import Language
from spacy.training import Example
from spacy.util import registry

from ..text.trie import TrieMatcher
from .lexicon import write_user_dict
from .pkuseg_model import ensure_pkuseg_model

TOKENIZER = "dangjian.ChineseTokenizer.v1"
TOKENIZER_CONFIG = {"nlp": {"tokenizer": {"@tokenizers": TOKENIZER, "segmenter": "pkuseg"}}}


@registry.tokenizers(TOKENIZER)
def create_tokenizer(segmenter: str = "pkuseg"):
    def tokenizer_factory(nlp: Language) -> "ChineseTokenizer":
        return ChineseTokenizer(nlp.vocab, segmenter=segmenter)

    return tokenizer_factory


class UserDictSplitter:
    """What spacy-pkuseg's Preprocesser.solve returns, (pieces, is_word, tags), with the user
    dictionary's words found by greedy longest match."""

    def __init__(self, entries: Sequence[Tuple[str, str]]):
        self.tags = dict(entries)
        self.matcher = TrieMatcher(self.tags)

    def solve(self, txt: str) -> Tuple[List[str], List[bool], List[str]]:
        out: List[str] = []
        is_word: List[bool] = []
        tags: List[str] = []
        last = 0
        for start, end in self.matcher.spans(txt):
            if last < start:
                out.append(txt[last:start]), is_word.append(False), tags.append("")
            out.append(txt[start:end]), is_word.append(True), tags.append(self.tags[txt[start:end]])
            last = end
        if last < len(txt):
            out.append(txt[last:]), is_word.append(False), tags.append("")
        return out, is_word, tags


def fix_user_dict_matcher(tokenizer: SpacyChineseTokenizer) -> None:
    """Give the tokenizer's pkuseg preprocessor the longest-match solver for its current words."""
    pre = getattr(getattr(tokenizer, "pkuseg_seg", None), "preprocesser", None)
    if pre is not None:
        pre.solve = UserDictSplitter(_get_pkuseg_trie_data(pre.trie)).solve


class ChineseTokenizer(SpacyChineseTokenizer):
    """spaCy's ChineseTokenizer with the longest-match user dictionary (see the module docstring)."""

    def initialize(
        self,
        get_examples: Optional[Callable[[], Iterable[Example]]] = None,
        *,
        nlp: Optional[Language] = None,
        pkuseg_model: Optional[str] = None,
        pkuseg_user_dict: Optional[str] = "default",
    ) -> None:
        super().initialize(get_examples, nlp=nlp, pkuseg_model=pkuseg_model, pkuseg_user_dict=pkuseg_user_dict)
        fix_user_dict_matcher(self)

    def pkuseg_update_user_dict(self, words: List[str], reset: bool = False) -> None:
        super().pkuseg_update_user_dict(words, reset=reset)
        fix_user_dict_matcher(self)

    def from_bytes(self, data: bytes, **kwargs) -> "ChineseTokenizer":
        super().from_bytes(data, **kwargs)
        fix_user_dict_matcher(self)
        return self

    def from_disk(self, path, **kwargs) -> "ChineseTokenizer":
        super().from_disk(path, **kwargs)
        fix_user_dict_matcher(self)
        return self


def blank_pkuseg(
    user_dict: Optional[Path] = None, postprocess: bool = True, pkuseg_model: Optional[Path] = None
) -> Language:
    """A blank Chinese pipeline whose tokenizer is pkuseg with the given user dictionary file.

    `postprocess=False` switches off spacy-pkuseg's built-in merge dictionary (on by default
    whenever a user dictionary file is given).
    """
    if user_dict is None:
        raise ValueError("pkuseg needs a user dictionary file (it may be empty); see write_user_dict")
    model = ensure_pkuseg_model(pkuseg_model)
    nlp = spacy.blank("zh", config=TOKENIZER_CONFIG)
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
