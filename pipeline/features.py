"""Lexical features for the tagger, written to token.tag_ so tok2vec can embed them ("TAG").

Small data cannot teach the model that 区委组织部 ends in an organ head or that a name sits inside
quotation marks; these general cues of the genre are written as a feature string per token:

    <context>-<word class><place>   e.g. "q-H-" (inside a short quotation, organ head)
    context:    q  inside a short quotation (a name-like quote, not speech)
                t  inside a 《》 title (never tagged)
                -  elsewhere
    word class: H  organ head (…委 …厅 …局 …党支部 …政府 …海关 …公司)
                P  place or administrative level (省 市 区 县, 泸州市, 中央)
                L  level + 直 / 直属 (市直 省直 区直)
                C  campaign head (…行动 …工程 …品牌 …活动 …制度 …教育)
                N  number
                -  other
    place:      g  the token lies in a place name (all Chinese provinces, prefectures and
                   counties, with and without 省/市/区/县…: pipeline/resources/places.txt, from cpca)
                -  otherwise

The component is listed in [training] annotating_components so training docs get the same tags.
"""
import re
from functools import lru_cache
from pathlib import Path
from typing import List, Tuple

import numpy
from spacy.attrs import TAG

from spacy.language import Language

from .components import StatelessComponent
from spacy.tokens import Doc

from .rules import quoted_ranges

ORG_HEADS: Tuple[str, ...] = tuple(
    sorted(
        """委员会 工作委员会 工委 党委 党组 党工委 党支部 支部 总支 党总支 政府 人大 政协 纪委 监委 法院 检察院
        海关 公司 集团 银行 学校 党校 大学 学院 医院 幼儿园 电视台 广播电视台 日报 报社 晚报 网 中心 工会 妇联 团委
        红十字会 协会 学会 联合会 研究会 研究室 办公室 办公厅 组织部 宣传部 统战部 政法委 编办 委 厅 局 部 办 院 处 科
        所 站 队 署 社 馆 台""".split(),
        key=len,
        reverse=True,
    )
)
PLACE_WORDS = {"省", "市", "区", "县", "镇", "乡", "州", "村", "中央", "国家", "全国", "街道", "社区", "全省", "全市", "全区", "全县"}
PLACE_SUFFIX = re.compile(r"^[\u4e00-\u9fff]{1,6}(省|市|区|县|州|盟|旗|镇|乡|村|街道)$")
LEVEL_DIRECT = re.compile(r"^(省|市|区|县|州|盟|旗|镇|乡)?(直|直属)$|^(省直|市直|区直|县直|州直)")
CAMPAIGN_HEADS: Tuple[str, ...] = (
    "行动", "工程", "活动", "教育", "品牌", "制度", "机制", "建设", "创建", "计划", "大赛", "杯", "主题", "理念",
    "模式", "项目", "平台", "热线", "栏目", "工作法", "示范点", "先进", "标兵", "竞赛", "评选", "月", "年", "日",
)
NUMBER = re.compile(r"^\d[\d.,%]*$|^[零〇一二两三四五六七八九十百千万亿]+$")


class TrieMatcher:
    """Leftmost-longest, non-overlapping matching of a word list with a dict trie (a regular
    expression of 6,000 alternatives is slow: Python's re tries them branch by branch)."""

    def __init__(self, words: List[str]):
        self.root: dict = {}
        for w in words:
            node = self.root
            for ch in w:
                node = node.setdefault(ch, {})
            node[""] = True

    def spans(self, text: str) -> List[Tuple[int, int]]:
        out, i, n, root = [], 0, len(text), self.root
        while i < n:
            node, j, end = root.get(text[i]), i + 1, -1
            while node is not None:
                if "" in node:
                    end = j
                if j >= n:
                    break
                node = node.get(text[j])
                j += 1
            if end > 0:
                out.append((i, end))
                i = end
            else:
                i += 1
        return out


def _place_words() -> List[str]:
    path = Path(__file__).parent / "resources" / "places.txt"
    return [w for w in path.read_text(encoding="utf-8").split() if len(w) >= 2]


PLACES = TrieMatcher(_place_words())


def place_flags(text: str, starts: List[int], ends: List[int]) -> List[str]:
    """'g' for tokens inside a place-name match of the text, '-' otherwise (one pointer walk over
    the sorted, disjoint matches)."""
    matches = PLACES.spans(text)
    out, j = [], 0
    for s, e in zip(starts, ends):
        while j < len(matches) and matches[j][1] <= s:
            j += 1
        out.append("g" if j < len(matches) and matches[j][0] <= s and e <= matches[j][1] and e > s else "-")
    return out


def quote_context(text: str) -> List[str]:
    """Per character: 'q' inside a short quotation, 't' inside 《》, '-' elsewhere."""
    ctx = ["-"] * len(text)
    for start, end, kind in quoted_ranges(text):
        if kind != "s":
            ctx[start + 1 : end - 1] = [kind] * (end - start - 2)
    return ctx


def _context_at(ranges: List[Tuple[int, int, str]], starts: List[int]) -> List[str]:
    """The quote context of each token start (ranges are disjoint and sorted)."""
    out, j = [], 0
    for s in starts:
        while j < len(ranges) and ranges[j][1] - 1 <= s:
            j += 1
        inside = j < len(ranges) and ranges[j][0] < s < ranges[j][1] - 1
        out.append(ranges[j][2] if inside else "-")
    return out


@lru_cache(maxsize=65536)
def _word_class(word: str) -> str:
    return word_class(word)


def word_class(word: str) -> str:
    if NUMBER.match(word):
        return "N"
    if word in PLACE_WORDS or PLACE_SUFFIX.match(word):
        return "P"
    if LEVEL_DIRECT.match(word):
        return "L"
    if word.endswith(ORG_HEADS):
        return "H"
    if word.endswith(CAMPAIGN_HEADS):
        return "C"
    return "-"


def features(doc: Doc, places: bool = True) -> List[str]:
    """The feature string of every token (computed from arrays, no Token objects)."""
    if not len(doc):
        return []
    strings = doc.vocab.strings
    text = doc.text
    words = [strings[o] for o in doc.to_array("ORTH").tolist()]
    starts = doc.to_array("IDX").tolist()
    ends = [s + len(w) for s, w in zip(starts, words)]
    ranges = [r for r in quoted_ranges(text) if r[2] != "s"]
    ctx = _context_at(ranges, starts)
    if not places:  # the scheme without the place flag (what pipelines trained before it expect)
        return [f"{c}-{_word_class(w)}" for c, w in zip(ctx, words)]
    return [f"{c}-{_word_class(w)}{g}" for c, w, g in zip(ctx, words, place_flags(text, starts, ends))]


# The feature strings are part of a trained model: `places` defaults to off so that pipelines
# saved before the flag existed keep the exact scheme they were trained with.
@Language.factory("dangjian_lexical_features", default_config={"places": False}, assigns=["token.tag"])
def make_lexical_features(nlp: Language, name: str, places: bool) -> "LexicalFeatures":
    return LexicalFeatures(name, places=places)


class LexicalFeatures(StatelessComponent):
    """Writes the feature string of each token to token.tag_ (`places`: include the place flag)."""

    def __init__(self, name: str = "dangjian_lexical_features", places: bool = False):
        self.name = name
        self.places = places

    def __call__(self, doc: Doc) -> Doc:
        feats = features(doc, places=self.places)
        if feats:
            strings = doc.vocab.strings
            doc.from_array([TAG], numpy.array([[strings.add(f)] for f in feats], dtype="uint64"))
        return doc

