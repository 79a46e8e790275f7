"""Canonical organisation names within one article. A short or partial form resolves to the fullest
name the article gives for the same organisation, with the place prefix the article establishes:

- a name relative to the article's place (市直机关工委, 市委, 省交通运输厅) takes that place
  (湛江市直机关工委, 湛江市委, 黑龙江省交通运输厅);
- a back-reference (工委, 该局, 局党组, 厅机关党委) takes the last organisation with that head
  written before it, or one named in a 《》 title of the article;
- variants of one name meet (中共湛江市委 / 湛江市委, 省高院 / 省高级人民法院, 省直机关工委 /
  中共XX省直属机关工作委员会) and the fullest written form is the canonical name.

Names that cannot be resolved stay as written and say so (status "unresolved"). The rules are word
lists in pipeline/resources/canonical_*.txt; measured against a hand annotation by
benchmarks/canonical_orgs.py."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Dict, List, Optional, Sequence, Tuple

from ..resources import read_words, resource_path
from ..text.trie import TrieMatcher
from .canonical import Canonical, outcome
from .places import DocumentPlaces, PlaceIndex, levels, place_index

_TITLE = re.compile(r"《([^《》]{2,80})》")
_TITLE_STOP = re.compile(r"关于|[^\u4e00-\u9fff]")  # a title's organisation name ends before these
MAX_TITLE_NAME = 30
_BRACKETS = re.compile(r"[(（][^()（）]*[)）]|\s")
CACHE = 1 << 16  # names whose comparison forms are kept


class OrgRules:
    """The word lists of the resolution, with the comparison form of names cached (names repeat
    across the articles of an archive)."""

    def __init__(self, places: Optional[PlaceIndex] = None):
        words = lambda name: read_words(resource_path(f"canonical_{name}.txt"))  # noqa: E731
        self.places = places or place_index()
        self.levels = frozenset(levels())
        self.prefixes = tuple(sorted(words("org_prefixes"), key=len, reverse=True))
        self.demonstratives = frozenset(words("demonstratives"))
        party = read_words(resource_path("party_organ_heads.txt"))
        self.heads = tuple(sorted(set(words("org_heads")) | set(party), key=len, reverse=True))
        self.head_set = frozenset(self.heads)
        self.single_heads = frozenset(h for h in self.heads if len(h) == 1)
        self.party_heads = tuple(sorted(party, key=len, reverse=True))
        pairs = words("org_rewrites")
        self.rewrites: Dict[str, str] = dict(zip(pairs[::2], pairs[1::2]))
        self._rewriter = TrieMatcher(self.rewrites)
        # names repeat across the documents of an archive: each answer is computed once
        for method in ("strip_prefix", "key", "head", "split", "abbreviates", "extends"):
            setattr(self, method, lru_cache(maxsize=CACHE)(getattr(self, method)))

    def strip_prefix(self, name: str) -> Tuple[str, str]:
        """(prefix, rest): 中共湛江市委 -> (中共, 湛江市委)."""
        for prefix in self.prefixes:
            if name.startswith(prefix) and len(name) > len(prefix):
                return prefix, name[len(prefix) :]
        return "", name

    def key(self, name: str) -> str:
        """The form names are compared in: no prefix, brackets or spaces, abbreviations written out."""
        rest = _BRACKETS.sub("", self.strip_prefix(name)[1])
        out, last = [], 0
        for a, b in self._rewriter.spans(rest):
            out += [rest[last:a], self.rewrites[rest[a:b]]]
            last = b
        return "".join(out) + rest[last:]

    def head(self, name: str) -> str:
        """The longest head word `name` ends with ("" if none)."""
        return next((h for h in self.heads if name.endswith(h)), "")

    def split(self, stem: str) -> Tuple[str, str]:
        """(organ, Party organ) of a name: 石门局党委 -> (石门局, 党委), 局机关第一党支部 ->
        (局, 机关第一党支部); (stem, "") when the name is not an organ's Party organ."""
        if len(stem) > 1 and stem[0] in self.single_heads and stem[1:].startswith("机关"):
            return stem[0], stem[1:]
        for suffix in self.party_heads:
            organ = stem[: -len(suffix)]
            if stem.endswith(suffix) and organ and self.head(organ) and organ not in self.levels:
                return organ, suffix
        return stem, ""

    def abbreviates(self, short: str, long: str) -> bool:
        """True when key `short` abbreviates key `long` (石门局 / 石门水库管理局): same first two and
        last characters, the short one's characters in order in the long one, the head word cut."""
        if len(short) < 3 or len(long) <= len(short) or long.startswith(short):
            return False
        if short[:2] != long[:2] or short[-1] != long[-1] or self.head(short) == self.head(long):
            return False
        return _subsequence(short, long)

    def extends(self, longer: str, key: str) -> bool:
        """True when key `longer` is key `key` with place names before it (成都市 + 双流区委组织部)."""
        return len(longer) > len(key) and longer.endswith(key) and self.places.is_place_chain(longer[: -len(key)])


def _subsequence(short: str, long: str) -> bool:
    chars = iter(long)
    return all(ch in chars for ch in short)


Mention = Tuple[int, int, str]  # paragraph index, start offset, name as written


class DocumentOrgs:
    """The resolution state of one article: its places, the names it writes, the mentions resolved so far."""

    def __init__(self, rules: OrgRules, texts: Sequence[str], mentions: Sequence[Mention]):
        self.rules = rules
        self.places = DocumentPlaces(texts, rules.places)
        self.titles = [self.absolute(name, para, start) for para, start, name in self._title_names(texts)]
        self.candidates: List[str] = []
        for para, start, name in mentions:
            organ, suffix = rules.split(rules.strip_prefix(name)[1])
            self.candidates.append(self.absolute(name, para, start))
            if suffix:
                self.candidates.append(self.absolute(organ, para, start))
        self.candidates += self.titles
        self.candidates = list(dict.fromkeys(self.candidates))  # each name once, first-written order
        self._keyed = [(c, rules.key(c), self._level_stem_key(c)) for c in self.candidates]
        self._fullest: Dict[str, str] = {}
        self.earlier: List[str] = []  # canonical names of the mentions resolved so far, in order

    def _level_stem_key(self, name: str) -> Optional[str]:
        """The key of the name without its leading level (市石门水库管理局 -> 石门水库管理局), if it has one."""
        stem = self.rules.strip_prefix(name)[1]
        return self.rules.key(stem[1:]) if stem[:1] in self.rules.levels else None

    def _title_names(self, texts: Sequence[str]) -> List[Mention]:
        """Organisation names at the start of 《》 titles (《宣城市机关事务管理局2023年党建工作计划》):
        the prefixes that start with a place or level and end in an organ head."""
        out = []
        for para, text in enumerate(texts):
            for m in _TITLE.finditer(text):
                prefix, title = self.rules.strip_prefix(m.group(1))
                stop = _TITLE_STOP.search(title)
                title = title[: stop.start() if stop else len(title)][:MAX_TITLE_NAME]
                if title[:1] in self.rules.levels or self.rules.places.prefix_length(title):
                    out += [
                        (para, m.start(), prefix + title[:e])
                        for e in range(2, len(title) + 1)
                        if self.rules.head(title[:e])
                    ]
        return out

    def absolute(self, name: str, para: int, start: int) -> str:
        """The name with the place it means for a leading level (市委 -> 湛江市委); as written when
        it has no leading level or no place of that level is known."""
        prefix, stem = self.rules.strip_prefix(name)
        place = self.places.at(stem[0], para, start) if stem[:1] in self.rules.levels else None
        return prefix + place + stem[1:] if place else name

    def fullest(self, name: str) -> str:
        """The fullest name the article writes for the organisation `name` names (itself if none;
        the first written of equally full ones). A name without a leading level (石门局) is also
        compared with the others' names without theirs (市石门水库管理局)."""
        found = self._fullest.get(name)
        if found is None:
            found = self._fullest[name] = self._search(name)
        return found

    def _search(self, name: str) -> str:
        rules, key = self.rules, self.rules.key(name)
        bare = rules.strip_prefix(name)[1][:1] not in rules.levels
        best, best_key = None, key
        for cand, ck, stem_key in self._keyed:
            same = ck == key or rules.abbreviates(key, ck) or rules.extends(ck, key)
            if not same and bare and stem_key is not None:
                same = stem_key == key or rules.abbreviates(key, stem_key)
            if same and (best is None or (len(ck), len(cand)) > (len(best_key), len(best))):
                best, best_key = cand, ck
        return name if best is None or (len(best_key), len(best)) < (len(key), len(name)) else best

    def antecedent(self, head: str) -> Optional[str]:
        """The last organisation resolved so far whose name ends in `head`, else the longest one
        from a title (as fully as the article writes it)."""
        hk = self.rules.key(head)
        for name in reversed(self.earlier):
            k = self.rules.key(name)
            if k.endswith(hk) and k != hk:
                return name
        titled = [t for t in self.titles if self.rules.key(t).endswith(hk) and self.rules.key(t) != hk]
        return self.fullest(max(titled, key=len)) if titled else None

    def resolve(self, para: int, start: int, name: str) -> Canonical:
        """The canonical name of the next mention, in document order."""
        rules = self.rules
        prefix, stem = rules.strip_prefix(name)
        if stem[:1] in rules.demonstratives and stem[1:] in rules.head_set:
            found = self.antecedent(stem[1:])
            return self._done(name, found or name, found is not None)
        if stem in rules.head_set:
            found = self.antecedent(stem)
            return self._done(name, found or name, found is not None)
        organ, suffix = rules.split(stem)
        if suffix and organ in rules.head_set:
            found = self.antecedent(organ)
            return self._done(name, found + suffix if found else name, found is not None)
        whole = self.fullest(self.absolute(name, para, start))
        if suffix:
            parts = self.fullest(self.absolute(prefix + organ, para, start)) + suffix
            whole = max(whole, parts, key=lambda n: (len(rules.key(n)), len(n)))
        relative = stem[:1] in rules.levels and whole == name
        return self._done(name, whole, not relative)

    def _done(self, name: str, canonical: str, found: bool) -> Canonical:
        self.earlier.append(canonical)
        return outcome(name, canonical, found)


@lru_cache(maxsize=1)
def default_rules() -> OrgRules:
    """The rules from the packaged word lists, loaded once."""
    return OrgRules()


def resolve_orgs(
    texts: Sequence[str], mentions: Sequence[Mention], rules: Optional[OrgRules] = None
) -> List[Canonical]:
    """Canonical names of an article's ORG mentions, (paragraph index, start offset, name) in
    document order, given the texts of its paragraphs."""
    doc = DocumentOrgs(rules or default_rules(), texts, mentions)
    return [doc.resolve(para, start, name) for para, start, name in mentions]
