"""The places an article establishes, by administrative level: the place a short name like 市委 or
市直机关工委 means (湛江市 in an article that writes 湛江 or 湛江市)."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Dict, Iterable, List, NamedTuple, Optional, Sequence, Tuple

from ..resources import read_words, resource_path
from ..text.trie import TrieMatcher

# A bare name (湛江, 浙江) counts for these levels only: bare district and county names are too
# often common words (平安, 红旗, 解放).
BARE_LEVELS = ("省", "市")


class Place(NamedTuple):
    offset: int
    level: str  # 省 市 区 县 州
    name: str  # with its level: 湛江市
    suffixed: bool  # written with its level (湛江市), not bare (湛江)


@lru_cache(maxsize=1)
def levels() -> Tuple[str, ...]:
    """The level characters short names start with (省 市 区 县 州), from the resource list."""
    return tuple(read_words(resource_path("canonical_levels.txt")))


class PlaceIndex:
    """Chinese place names (resources/places.txt) with the level each names."""

    def __init__(self, names: Iterable[str], level_chars: Iterable[str]):
        self.levels = tuple(level_chars)
        known = set(names)
        self.suffixed: Dict[str, str] = {}  # 湛江市 -> 市 (districts and counties: 3 characters or more)
        self.bare: Dict[str, Optional[str]] = {}  # 湛江 -> 湛江市 (None: no province or city of that name)
        for name in known:
            last = name[-1]
            if last in self.levels and not name.endswith("自治区"):
                if last in BARE_LEVELS or len(name) >= 3:
                    self.suffixed[name] = last
            elif len(name) >= 2 and any(name + level in known for level in self.levels):
                self.bare[name] = next((name + lv for lv in BARE_LEVELS if name + lv in known), None)
        self.matcher = TrieMatcher([*self.suffixed, *self.bare])

    def mentions(self, text: str) -> List[Place]:
        """Every place name written in `text`: a suffixed name, a bare name followed by a level
        (海安市, also when the list knows only 海安县), or a bare province or city name (湛江)."""
        out = []
        for a, b in self.matcher.spans(text):
            name = text[a:b]
            if name in self.suffixed:
                out.append(Place(a, self.suffixed[name], name, True))
            elif b < len(text) and text[b] in self.levels:
                out.append(Place(a, text[b], name + text[b], True))
            elif self.bare.get(name):
                full = self.bare[name]
                out.append(Place(a, full[-1], full, False))
        return out

    def prefix_length(self, text: str) -> int:
        """How many leading characters of `text` are place names (成都市双流区委 -> 6)."""
        end = 0
        for a, b in self.matcher.spans(text):
            if a != end:
                break
            end = b + (b < len(text) and text[b] in self.levels)
        return end

    def is_place_chain(self, text: str) -> bool:
        """True when `text` is only place names (成都市双流区), as a prefix of a fuller name is."""
        return bool(text) and self.prefix_length(text) == len(text)


@lru_cache(maxsize=1)
def place_index() -> PlaceIndex:
    """The index of resources/places.txt, built on first use."""
    return PlaceIndex(read_words(resource_path("places.txt")), levels())


class DocumentPlaces:
    """The places an article writes, by paragraph, and the place a short name at a given position
    means: the last place of that level written before it in its paragraph (嘉善县 … 县委), else
    the article's own place of that level."""

    def __init__(self, texts: Sequence[str], index: Optional[PlaceIndex] = None):
        index = index or place_index()
        self.by_para: List[List[Place]] = [index.mentions(text) for text in texts]
        self.main = main_places(self.by_para)

    def at(self, level: str, para: int, offset: int) -> Optional[str]:
        """The place of `level` a short name at `offset` of paragraph `para` means (None if none)."""
        if 0 <= para < len(self.by_para):
            before = [p.name for p in self.by_para[para] if p.level == level and p.offset < offset]
            if before:
                return before[-1]
        return self.main.get(level)


def main_places(by_para: Sequence[Sequence[Place]]) -> Dict[str, str]:
    """The article's place at each level: the one written most often (the first on a tie), if it
    is written twice or once with its level (湛江市): a single bare 上海 in a company name is not it."""
    counts: Counter = Counter()
    suffixed = set()
    for places in by_para:
        for p in places:
            counts[p.level, p.name] += 1
            if p.suffixed:
                suffixed.add((p.level, p.name))
    best: Dict[str, str] = {}
    for (level, name), n in counts.most_common():  # ties keep first-written order
        if n >= 2 or (level, name) in suffixed:
            best.setdefault(level, name)
    return best


def document_places(texts: Iterable[str], index: Optional[PlaceIndex] = None) -> Dict[str, str]:
    """The article's place at each level (湛江市 for 市)."""
    return DocumentPlaces(list(texts), index).main
