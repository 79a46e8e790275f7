"""`dangjian_lexical_features`: genre cues for the tagger, written to token.tag_ so that tok2vec can
embed them ("TAG"). Small data cannot teach the model that 区委组织部 ends in an organ head or that
a name sits inside quotation marks; each token gets a feature string

    <context>-<word class><place>   e.g. "q-H-" (inside a short quotation, organ head)
    context:    q  inside a short quotation (a name-like quote, not speech)
                t  inside a 《》 title (never tagged)
                -  elsewhere
    word class: H  organ head (…委 …厅 …局 …党支部 …政府 …海关 …公司: resources/org_heads.txt)
                P  place or administrative level (省 市 区 县, 泸州市, 中央: resources/place_words.txt)
                L  level + 直 / 直属 (市直 省直 区直)
                C  campaign head (…行动 …工程 …品牌 …活动 …制度 …教育: resources/campaign_heads.txt)
                N  number
                -  other
    place:      g  the token lies in a place name (all Chinese provinces, prefectures and counties,
                   with and without 省/市/区/县…: resources/places.txt, from cpca)
                -  otherwise

The component is listed in [training] annotating_components so training docs get the same tags.
"""

import re
from bisect import bisect_left
from functools import lru_cache
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy
from spacy.attrs import TAG
from spacy.language import Language
from spacy.tokens import Doc

from ..resources import word_list
from ..text.quotes import quoted_ranges
from ..text.trie import TrieMatcher
from ._state import SavedState

NAME = "dangjian_lexical_features"
PLACE_SUFFIX = re.compile(r"^[\u4e00-\u9fff]{1,6}(省|市|区|县|州|盟|旗|镇|乡|村|街道)$")
LEVEL_DIRECT = re.compile(r"^(省|市|区|县|州|盟|旗|镇|乡)?(直|直属)$|^(省直|市直|区直|县直|州直)")
NUMBER = re.compile(r"^\d[\d.,%]*$|^[零〇一二两三四五六七八九十百千万亿]+$")


# setting -> its packaged list (resources/<name>.txt)
_RESOURCE = {
    "org_heads": "org_heads",
    "campaign_heads": "campaign_heads",
    "place_words": "place_words",
    "place_names": "places",
    "description_heads": "description_heads",
}


def _list_setting(name: str) -> Dict[str, str]:
    return {"@misc": "dangjian.word_list.v1", "name": name}


# The feature strings are part of a trained model: `places` and `quote_followers` default to off
# so that pipelines saved before the flags existed keep the exact scheme they were trained with.
@Language.factory(
    NAME,
    default_config={
        "places": False,
        "quote_followers": False,
        **{key: _list_setting(name) for key, name in _RESOURCE.items()},
    },
    assigns=["token.tag"],
)
def make_lexical_features(
    nlp: Language,
    name: str,
    places: bool,
    quote_followers: bool,
    org_heads: List[str],
    campaign_heads: List[str],
    place_words: List[str],
    place_names: List[str],
    description_heads: List[str],
) -> "LexicalFeatures":
    lists = {
        "org_heads": org_heads,
        "campaign_heads": campaign_heads,
        "place_words": place_words,
        "place_names": place_names,
        "description_heads": description_heads,
    }
    return LexicalFeatures(name, places=places, quote_followers=quote_followers, lists=lists)


class LexicalFeatures(SavedState):
    """Writes the feature string of each token to token.tag_ (`places`: include the place flag;
    `quote_followers`: inside a name-like quotation, the class of the word after it)."""

    def __init__(
        self,
        name: str = NAME,
        places: bool = False,
        quote_followers: bool = False,
        lists: Optional[Dict[str, Sequence[str]]] = None,
    ):
        self.name = name
        self.places = places
        self.quote_followers = quote_followers
        given = dict(lists or {})
        self._lists = {k: list(word_list(v) if given.get(k) is None else given[k]) for k, v in _RESOURCE.items()}
        self.set_state(self._lists)

    def state(self) -> Dict[str, Any]:
        return dict(self._lists)

    def set_state(self, state: Dict[str, Any]) -> None:
        """The saved lists; a list a pipeline saved before it existed keeps the configured one."""
        self._lists = {k: list(state.get(k, self._lists[k])) for k in _RESOURCE}
        self._org_heads = tuple(sorted(self._lists["org_heads"], key=len, reverse=True))
        self._campaign_heads = tuple(self._lists["campaign_heads"])
        self._place_words = frozenset(self._lists["place_words"])
        self._place_names = TrieMatcher(w for w in self._lists["place_names"] if len(w) >= 2)
        self._description_heads = frozenset(self._lists["description_heads"])
        self.word_class = lru_cache(maxsize=65536)(self._word_class)

    def __call__(self, doc: Doc) -> Doc:
        feats = self.features(doc)
        if feats:
            strings = doc.vocab.strings
            doc.from_array([TAG], numpy.array([[strings.add(f)] for f in feats], dtype="uint64"))
        return doc

    def features(self, doc: Doc) -> List[str]:
        """The feature string of every token (computed from arrays, no Token objects)."""
        if not len(doc):
            return []
        strings = doc.vocab.strings
        text = doc.text
        words = [strings[o] for o in doc.to_array("ORTH").tolist()]
        starts = doc.to_array("IDX").tolist()
        ranges = [r for r in quoted_ranges(text) if r[2] != "s"]
        ctx = _context_at(ranges, starts)
        after = self._followers(text, ranges, starts, words) if self.quote_followers else ["-"] * len(words)
        if not self.places:  # the scheme without the place flag (what pipelines trained before it expect)
            return [f"{c}{a}{self.word_class(w)}" for c, a, w in zip(ctx, after, words)]
        ends = [s + len(w) for s, w in zip(starts, words)]
        flags = self.place_flags(text, starts, ends)
        return [f"{c}{a}{self.word_class(w)}{g}" for c, a, w, g in zip(ctx, after, words, flags)]

    def _followers(
        self, text: str, ranges: List[Tuple[int, int, str]], starts: List[int], words: List[str]
    ) -> List[str]:
        """For tokens inside a short quotation: the class of the word right after it ("D" for a
        description head: “一盘棋”格局, “两张皮”问题; "C" for a campaign head: “三航”行动); "-" elsewhere."""
        out = ["-"] * len(words)
        for a, b, kind in ranges:
            i = bisect_left(starts, b)
            if kind != "q" or i >= len(words) or text[b : starts[i]].strip():
                continue
            follower = "D" if words[i] in self._description_heads else self.word_class(words[i])
            for j in range(bisect_left(starts, a + 1), i):
                out[j] = follower
        return out

    def _word_class(self, word: str) -> str:
        if NUMBER.match(word):
            return "N"
        if word in self._place_words or PLACE_SUFFIX.match(word):
            return "P"
        if LEVEL_DIRECT.match(word):
            return "L"
        if word.endswith(self._org_heads):
            return "H"
        if word.endswith(self._campaign_heads):
            return "C"
        return "-"

    def place_flags(self, text: str, starts: List[int], ends: List[int]) -> List[str]:
        """'g' for tokens inside a place-name match of the text, '-' otherwise (one pointer walk
        over the sorted, disjoint matches)."""
        matches = self._place_names.spans(text)
        out, j = [], 0
        for s, e in zip(starts, ends):
            while j < len(matches) and matches[j][1] <= s:
                j += 1
            inside = j < len(matches) and matches[j][0] <= s and e <= matches[j][1] and e > s
            out.append("g" if inside else "-")
        return out


def _context_at(ranges: List[Tuple[int, int, str]], starts: List[int]) -> List[str]:
    """The quote context of each token start (ranges are disjoint and sorted)."""
    out, j = [], 0
    for s in starts:
        while j < len(ranges) and ranges[j][1] - 1 <= s:
            j += 1
        inside = j < len(ranges) and ranges[j][0] < s < ranges[j][1] - 1
        out.append(ranges[j][2] if inside else "-")
    return out
