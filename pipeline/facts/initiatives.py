"""Canonical initiative names within one article: an initiative written shorter, with other
quotation or punctuation, or without its place the second time (“三航”行动 / 三航行动 / 三航,
一机关一品牌、一支部一特色 / 一机关一品牌 一支部一特色) takes the fullest form the article writes;
a bare 学习教育 / 主题教育 takes the named campaign the article spoke of before. Word lists:
pipeline/resources/canonical_initiative_heads.txt and canonical_bare_initiatives.txt."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Dict, List, Optional, Sequence

from ..resources import read_words, resource_path
from .canonical import Canonical, outcome
from .places import PlaceIndex, place_index

_QUOTES = re.compile(r"[“”‘’\"'「」『』]")
_PUNCTUATION = re.compile(r"[\s、，,·•・.．:：;；!！?？—-]")


class InitiativeRules:
    """The word lists of the resolution."""

    def __init__(self, places: Optional[PlaceIndex] = None):
        self.places = places or place_index()
        self.heads = tuple(sorted(read_words(resource_path("canonical_initiative_heads.txt")), key=len, reverse=True))
        self.bare = frozenset(read_words(resource_path("canonical_bare_initiatives.txt")))
        self.key = lru_cache(maxsize=1 << 16)(self.key)  # names repeat across an archive's documents
        self.fuller = lru_cache(maxsize=1 << 16)(self.fuller)

    @staticmethod
    def written(name: str) -> str:
        """The name without quotation marks inside it (三航”行动 -> 三航行动)."""
        return _QUOTES.sub("", name)

    def key(self, name: str) -> str:
        """The form names are compared in: no quotation marks, punctuation or spaces."""
        return _PUNCTUATION.sub("", _QUOTES.sub("", name))

    def fuller(self, longer: str, key: str) -> bool:
        """True when key `longer` is key `key` with a head word after it (三航 + 行动) or place
        names before it (泉州市 + 机关特色党建项目评展)."""
        if len(longer) <= len(key):
            return False
        if longer.startswith(key) and longer[len(key) :] in self.heads:
            return True
        return longer.endswith(key) and self.places.is_place_chain(longer[: -len(key)])


class DocumentInitiatives:
    """The resolution state of one article."""

    def __init__(self, rules: InitiativeRules, names: Sequence[str]):
        self.rules = rules
        self.candidates = list(dict.fromkeys(rules.written(n) for n in names))  # first-written order
        self._keyed = [(c, rules.key(c)) for c in self.candidates]
        self._fullest: Dict[str, str] = {}
        self.earlier: List[str] = []

    def fullest(self, name: str) -> str:
        """The fullest form the article writes of the initiative `name` names (the first written
        of equally full ones)."""
        if name not in self._fullest:
            key = self.rules.key(name)
            best, best_key = None, key
            for cand, ck in self._keyed:
                same = ck == key or self.rules.fuller(ck, key)
                if same and (best is None or (len(ck), len(cand)) > (len(best_key), len(best))):
                    best, best_key = cand, ck
            self._fullest[name] = best if best is not None else self.rules.written(name)
        return self._fullest[name]

    def resolve(self, name: str) -> Canonical:
        """The canonical name of the next mention, in document order."""
        key = self.rules.key(name)
        if key in self.rules.bare:
            found = next((n for n in reversed(self.earlier) if n.endswith(key) and n != key), None)
            if found is None:
                found = max((c for c in self.candidates if c.endswith(key) and c != key), key=len, default=None)
            canonical = self.fullest(found) if found else name
            result = outcome(name, canonical, found is not None)
        else:
            result = outcome(name, self.fullest(name), True)
        self.earlier.append(result.name)
        return result


@lru_cache(maxsize=1)
def default_rules() -> InitiativeRules:
    """The rules from the packaged word lists, loaded once."""
    return InitiativeRules()


def resolve_initiatives(names: Sequence[str], rules: Optional[InitiativeRules] = None) -> List[Canonical]:
    """Canonical names of an article's INITIATIVE mentions, in document order."""
    doc = DocumentInitiatives(rules or default_rules(), names)
    return [doc.resolve(name) for name in names]
