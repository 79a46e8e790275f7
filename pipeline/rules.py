"""Rule components: split glued tokens, and find OUTCOME quantities with a regular expression.

`dangjian_token_splitter` runs right after the tokenizer: pkuseg glues ASCII punctuation to digits
(奖,21 | 篇), which would make 21篇 impossible to tag; the splitter cuts tokens at punctuation.

`dangjian_outcome_ruler` finds number + measure word quantities (ANNOTATION.md's OUTCOME) and
writes them to doc.ents, splitting tokens where a match does not align. Placed before `ner`, its
spans are constraints the model predicts around; with `overwrite` it replaces overlapping spans.

`dangjian_guideline_ruler` adds the guideline's hard cases (patterns from
`dangjian.guideline_patterns.v1`) where the model found nothing; `dangjian_org_head_extender`,
`dangjian_title_filter` and `dangjian_span_trimmer` apply three more guideline rules to the
entities found.
"""

import re
import unicodedata
from bisect import bisect_right
from functools import lru_cache
from pathlib import Path
from typing import Iterable, List, Optional, Sequence, Tuple

import srsly
from spacy.language import Language
from spacy.util import registry

from .components import StatelessComponent
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .outcome import CN_CHARS

# Measure words and units of results; longest first so 人次 wins over 人.
UNITS: Tuple[str, ...] = tuple(
    sorted(
        """人次 场次 家次 条次 户次 批次 个批次 万元 亿元 美元 元 毫升 公里 千米 平方米 万人 亩 吨 % ％
        个 项 场 次 名 人 篇 件 家 所 支 批 期 户 条 位 份 本 节 套 部 座 辆 倍 类 组 队 台 张 册 首 幅
        门 间 栋 株 棵 封 轮 堂 课 单位""".split(),
        key=len,
        reverse=True,
    )
)
# Well-known political formulas that look like counts (two-character heads after number + 个/项).
FORMULAS = ("两个维护", "两个确立", "四个意识", "四个自信", "两个务必", "三个表率", "两个作用", "三个代表",
            "四个全面", "两个一百年", "两个结合", "四个伟大", "八项规定", "四个服务", "两个先锋队", "三个务必")
# A quantity followed by these is a duration or a date, not a result.
DURATION_AFTER = ("月", "小时", "星期", "工作日", "年", "周", "季度", "天", "日", "号", "多月", "多小时", "多年", "分钟", "届", "周年")
PREFIX = r"(?:将近|接近|大约|超过|多达|不到|不足|近|约|超|逾|上)?"
NUMBER = rf"(?:\d+(?:[.,]\d+)*|[{CN_CHARS}]+)"
PATTERN = re.compile(
    rf"{PREFIX}(?:百分之{NUMBER}|一半|{NUMBER}(?:[余多])?(?:[万亿])?(?:[余多])?(?:{'|'.join(map(re.escape, UNITS))})(?:[(（][次人个项][)）])?)(?:以上|左右)?"
)
# A unit followed by these characters is the start of a word (万人民, 5部门), not a measure word.
NOT_UNIT_AFTER = {"人": "民大才员", "部": "门署", "名": "单称", "家": "庭长", "条": "例件", "期": "间刊", "位": "置", "类": "似型", "场": "景所地"}
# A quotation is a name (its numbers are not results) when it is short and has no sentence end;
# otherwise it is quoted speech, whose numbers can be results.
MAX_NAME_QUOTE = 30
OPEN_CLOSE = {"“": "”", "《": "》", "「": "」", "‘": "’"}


_QUOTED = re.compile("|".join(f"{re.escape(o)}[^{re.escape(o + c)}]*{re.escape(c)}" for o, c in OPEN_CLOSE.items()))
_SPEECH_END = re.compile(r"[。！？!?]")


def quoted_ranges(text: str) -> List[Tuple[int, int, str]]:
    """(start, end, kind) of quotations and titles, marks included: kind "t" for a 《》 title, "q" for
    a short quotation without a sentence end (a name), "s" for anything else quoted (speech)."""
    out = []
    for m in _QUOTED.finditer(text):
        inner = m.group()[1:-1]
        kind = "t" if m.group()[0] == "《" else "q" if len(inner) <= MAX_NAME_QUOTE and not _SPEECH_END.search(inner) else "s"
        out.append((m.start(), m.end(), kind))
    return out


def _protected_ranges(text: str) -> List[Tuple[int, int]]:
    """Character ranges of 《》 titles and short quotations (names, whose numbers are not results)."""
    return [(a, b) for a, b, kind in quoted_ranges(text) if kind != "s"]


@lru_cache(maxsize=4096)
def find_outcomes(text: str) -> Tuple[Tuple[int, int], ...]:
    """(start, end) character offsets of OUTCOME-like quantities in `text` (cached: the splitter
    and the ruler both ask for the same text)."""
    protected = _protected_ranges(text)
    found = []
    for m in PATTERN.finditer(text):
        start, end = m.span()
        surface = m.group()
        core = surface.lstrip("将近接大约超过多达不到足逾上")
        if not core:
            continue
        before = text[max(0, start - 1) : start]
        after = text[end : end + 3]
        if before in {"第", "前", "每"} or (before and (before.isdigit() or before == ".")):
            continue
        if any(after.startswith(d) for d in DURATION_AFTER):
            continue
        if after[:1] and after[:1] in NOT_UNIT_AFTER.get(surface[-1], ""):
            continue
        if core[0] in CN_CHARS and not core[0].isdigit():
            if core[0] == "一" and len(core) <= 3 and not surface.startswith(("近", "约", "超")):
                continue  # 一个, 一场, 一次: an article, not a count
            if any(text.startswith(f, start + len(surface) - len(core)) for f in FORMULAS):
                continue
            if len(core) >= 2 and core[:2] in {"一二", "十九", "二十"} and "大" in after[:1]:
                continue
        if any(a <= start and end <= b for a, b in protected):
            continue
        found.append((start, end))
    return tuple(found)


def token_starts(doc: Doc) -> List[int]:
    """Character offset of every token (without creating Token objects)."""
    return doc.to_array("IDX").tolist() if len(doc) else []


def split_at(doc: Doc, offsets: Iterable[int]) -> Doc:
    """Split tokens in place so that every character offset in `offsets` is a token boundary."""
    starts = token_starts(doc)
    inside: dict = {}
    for c in sorted(set(offsets)):
        i = bisect_right(starts, c) - 1
        if i >= 0 and c != starts[i]:
            inside.setdefault(i, []).append(c)
    todo: List[Tuple[int, List[str]]] = []
    for i, cuts in inside.items():
        tok = doc[i]
        inner = [c - tok.idx for c in cuts if c < tok.idx + len(tok.text)]
        if inner:
            bounds = [0, *inner, len(tok.text)]
            todo.append((i, [tok.text[a:b] for a, b in zip(bounds, bounds[1:])]))
    if todo:
        with doc.retokenize() as retok:
            for i, parts in todo:
                tok = doc[i]
                retok.split(tok, parts, heads=[(tok, 0)] * len(parts))
    return doc


def aligned_span(doc: Doc, start: int, end: int, label: str) -> Span:
    """A span for the characters [start, end), splitting tokens first if needed."""
    span = doc.char_span(start, end, label=label)
    if span is None:
        split_at(doc, (start, end))
        span = doc.char_span(start, end, label=label)
    if span is None:
        raise ValueError(f"cannot align [{start}, {end}) {doc.text[start:end]!r}")
    return span


_PUNCT_CATEGORIES = {"Po", "Ps", "Pe", "Pi", "Pf", "Pd", "Sm"}
_PUNCT = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in range(0x10000)
                  if unicodedata.category(chr(c)) in _PUNCT_CATEGORIES and chr(c) not in ".%·•+") + "]"
)


def punctuation_cuts(doc: Doc, text: Optional[str] = None) -> List[int]:
    """Offsets where punctuation is glued to other characters in a token (奖,21 -> 奖 , 21):
    before and after every punctuation character that is not already a token boundary.
    (`text` saves rebuilding doc.text, which costs a pass over all tokens.)"""
    text = doc.text if text is None else text
    starts = set(token_starts(doc))
    cuts = {c for m in _PUNCT.finditer(text) for c in (m.start(), m.end())}
    return sorted(c for c in cuts if 0 < c < len(text) and c not in starts)


@Language.factory("dangjian_token_splitter", default_config={"outcome_boundaries": True}, assigns=["token.orth"])
def make_token_splitter(nlp: Language, name: str, outcome_boundaries: bool) -> "TokenSplitter":
    return TokenSplitter(name, outcome_boundaries=outcome_boundaries)


class TokenSplitter(StatelessComponent):
    """Cuts tokens that glue punctuation to words or digits, and (optionally) at the boundaries of
    rule-found quantities, so that such spans can always be tagged. Training docs get the same cuts."""

    def __init__(self, name: str = "dangjian_token_splitter", outcome_boundaries: bool = True):
        self.name = name
        self.outcome_boundaries = outcome_boundaries

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        cuts = punctuation_cuts(doc, text)
        if self.outcome_boundaries:
            cuts += [c for span in find_outcomes(text) for c in span]
        return split_at(doc, cuts) if cuts else doc



RULER_MODES = ("fill", "overwrite", "exclusive")


@Language.factory(
    "dangjian_outcome_ruler",
    default_config={"label": "OUTCOME", "mode": "overwrite"},
    assigns=["doc.ents"],
)
def make_outcome_ruler(nlp: Language, name: str, label: str, mode: str) -> "OutcomeRuler":
    return OutcomeRuler(name, label=label, mode=mode)


class OutcomeRuler(StatelessComponent):
    """Adds regex OUTCOME matches to doc.ents.

    mode "fill": keep existing entities, add matches where nothing overlaps (before `ner`, the
    matches become constraints the model predicts around); "overwrite": matches replace
    overlapping entities; "exclusive": like overwrite, and `label` entities that no rule found are
    removed (the rules alone decide the label).
    """

    def __init__(self, name: str, label: str = "OUTCOME", mode: str = "overwrite"):
        if mode not in RULER_MODES:
            raise ValueError(f"dangjian_outcome_ruler: mode must be one of {RULER_MODES}, not {mode!r}")
        self.name = name
        self.label = label
        self.mode = mode

    def __call__(self, doc: Doc) -> Doc:
        matches = find_outcomes(doc.text)
        if matches:
            split_at(doc, [c for m in matches for c in m])
        new = [s for s in (doc.char_span(a, b, label=self.label) for a, b in matches) if s is not None]
        old = list(doc.ents)
        if self.mode == "exclusive":
            old = [e for e in old if e.label_ != self.label]
        if self.mode == "fill":
            keep = [n for n in new if not any(e.start < n.end and n.start < e.end for e in old)]
            doc.ents = sorted(old + keep, key=lambda s: s.start)
        else:
            keep = [e for e in old if not any(e.start < n.end and n.start < e.end for n in new)]
            doc.ents = filter_spans(keep + new)
        return doc


ORG_HEAD_SUFFIXES = ["机关党委", "机关工委", "机关党总支", "机关党支部", "党工委", "党总支", "党支部", "党委", "党组", "纪委"]


@Language.factory(
    "dangjian_org_head_extender",
    default_config={"label": "ORG", "heads": ORG_HEAD_SUFFIXES},
    assigns=["doc.ents"],
)
def make_org_head_extender(nlp: Language, name: str, label: str, heads: List[str]) -> "OrgHeadExtender":
    return OrgHeadExtender(name, label=label, heads=heads)


class OrgHeadExtender(StatelessComponent):
    """Extends an ORG span over a Party organ head written right after it (区委办公室 + 机关党委,
    市机关幼儿园 + 党支部, 局机关 + 第一党支部): the guideline tags the whole written name, and the
    corpus never keeps the two apart (83 gold ORG spans end in such a head, none is followed by one).
    The model tends to stop before the head when the name before it is one it knows."""

    def __init__(self, name: str, label: str = "ORG", heads: Sequence[str] = tuple(ORG_HEAD_SUFFIXES)):
        self.name = name
        self.label = label
        self.heads = list(heads)
        alternatives = "|".join(re.escape(h) for h in sorted(self.heads, key=len, reverse=True))
        self._suffix = re.compile(rf"(?:第[〇一二三四五六七八九十百\d]+)?(?:{alternatives})(?!织)")  # not 党组织

    def __call__(self, doc: Doc) -> Doc:
        ents = list(doc.ents)
        if not any(e.label_ == self.label for e in ents):
            return doc
        text = doc.text
        starts = [e.start_char for e in ents]
        ends = {}  # ORG start -> extended end, where the head is free (no other span starts in it)
        for ent in ents:
            m = self._suffix.match(text, ent.end_char) if ent.label_ == self.label else None
            if m and not any(ent.end_char <= s < m.end() for s in starts):
                ends[ent.start_char] = m.end()
        if not ends:
            return doc
        split_at(doc, ends.values())  # only where a span is extended (split tokens get zero vectors)
        new = []
        for ent in doc.ents:
            span = doc.char_span(ent.start_char, ends[ent.start_char], label=self.label) if ent.start_char in ends else None
            new.append(span if span is not None else ent)
        doc.ents = new
        return doc


_TITLE = re.compile(r"《[^《》]*》")


@Language.factory("dangjian_title_filter", default_config={}, assigns=["doc.ents"])
def make_title_filter(nlp: Language, name: str) -> "TitleFilter":
    return TitleFilter(name)


class TitleFilter(StatelessComponent):
    """Removes entities inside a 《》 title: the guideline tags nothing there (the corpus has no such
    span), while the model and the patterns see names in 《“五型”模范机关建设活动实施方案》."""

    def __init__(self, name: str = "dangjian_title_filter"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        if not doc.ents:
            return doc
        text = doc.text
        if "《" not in text:
            return doc
        titles = [(m.start(), m.end()) for m in _TITLE.finditer(text)]
        keep = [e for e in doc.ents if not any(a < e.start_char and e.end_char < b for a, b in titles)]
        if len(keep) != len(doc.ents):
            doc.ents = keep
        return doc


_TRIM_CATEGORIES = frozenset({"Ps", "Pe", "Pi", "Pf", "Po"})
_PAIRS = {")": "(", "）": "（", "”": "“", "’": "‘", "」": "「", "』": "『", "]": "[", "】": "【"}


@Language.factory("dangjian_span_trimmer", default_config={"labels": ["ORG", "INITIATIVE"]}, assigns=["doc.ents"])
def make_span_trimmer(nlp: Language, name: str, labels: List[str]) -> "SpanTrimmer":
    return SpanTrimmer(name, labels=labels)


class SpanTrimmer(StatelessComponent):
    """Cuts punctuation tokens off the edges of names (阿拉善高新技术产业开发区( -> …开发区): the guideline
    leaves a bracketed qualifier out and quotes around a name are not part of it, and no gold
    ORG / INITIATIVE starts or ends with a bracket, quote or comma. A closing bracket or quote
    whose opening partner is inside the span stays."""

    def __init__(self, name: str = "dangjian_span_trimmer", *, labels: Sequence[str] = ("ORG", "INITIATIVE")):
        self.name = name
        self.labels = frozenset(labels)

    def __call__(self, doc: Doc) -> Doc:
        ents, changed = [], False
        for e in doc.ents:
            start, end = e.start, e.end
            if e.label_ in self.labels:
                while start < end and _is_punct(doc[start].text):
                    start += 1
                while start < end and _is_punct(doc[end - 1].text) and not _closes_inside(doc[end - 1].text, doc[start:end - 1].text):
                    end -= 1
            if (start, end) == (e.start, e.end):
                ents.append(e)
            else:
                changed = True
                if start < end:
                    ents.append(Span(doc, start, end, label=e.label))
        if changed:
            doc.ents = ents
        return doc


def _is_punct(token_text: str) -> bool:
    return all(unicodedata.category(c) in _TRIM_CATEGORIES for c in token_text)


def _closes_inside(token_text: str, before: str) -> bool:
    """Whether a closing bracket or quote pairs with an opening one earlier in the span."""
    return len(token_text) == 1 and token_text in _PAIRS and before.count(_PAIRS[token_text]) > before.count(token_text)


# ---------------------------------------------------------------- guideline patterns

GUIDELINE_PATTERNS = Path(__file__).parent / "resources" / "guideline_patterns.jsonl"


@registry.misc("dangjian.guideline_patterns.v1")
def guideline_patterns(path: Optional[str] = None) -> List[dict]:
    """Patterns for the guideline's hard cases that small data does not teach: organ short forms
    (厅党组, 区党工委 also as pkuseg splits it, 区党 | 工委: ORG) and a bare 学习教育 / 主题教育 standing
    for a named campaign (INITIATIVE). entity_ruler's JSONL format, token patterns of ORTH only."""
    return list(srsly.read_jsonl(Path(path) if path else GUIDELINE_PATTERNS))


@Language.factory(
    "dangjian_guideline_ruler",
    default_config={"patterns": {"@misc": "dangjian.guideline_patterns.v1"}},
    assigns=["doc.ents"],
)
def make_guideline_ruler(nlp: Language, name: str, patterns: List[dict]) -> "GuidelineRuler":
    return GuidelineRuler(name, patterns)


class GuidelineRuler:
    """Adds pattern matches as entities where the model found nothing (leftmost-longest, never over
    an existing span). Like spaCy's entity_ruler with ORTH patterns, but a dictionary lookup per
    token: the Matcher's cost grows with the pattern count and took 5% of the pipeline's time."""

    def __init__(self, name: str = "dangjian_guideline_ruler", patterns: Sequence[dict] = ()):
        self.name = name
        self.set_patterns(patterns)

    def set_patterns(self, patterns: Sequence[dict]) -> None:
        table: dict = {}
        for i, p in enumerate(patterns):
            spec = p.get("pattern")
            if not p.get("label") or not isinstance(spec, list) or not spec or any(set(t) != {"ORTH"} or not isinstance(t["ORTH"], str) for t in spec):
                raise ValueError(f"{self.name}: pattern {i + 1} must be {{'label': ..., 'pattern': [{{'ORTH': str}}, ...]}}, got {p!r}")
            table[tuple(t["ORTH"] for t in spec)] = p["label"]
        self.patterns = [dict(p) for p in patterns]
        self._table = table
        self._longest = max((len(k) for k in table), default=0)

    def __call__(self, doc: Doc) -> Doc:
        words = [t.text for t in doc]
        old = list(doc.ents)
        taken = {i for e in old for i in range(e.start, e.end)}
        new, i = [], 0
        while i < len(words):
            for n in range(min(self._longest, len(words) - i), 0, -1):
                label = self._table.get(tuple(words[i:i + n]))
                if label and not any(j in taken for j in range(i, i + n)):
                    new.append(Span(doc, i, i + n, label=label))
                    i += n - 1
                    break
            i += 1
        if new:
            doc.ents = sorted(old + new, key=lambda s: s.start)
        return doc

    def to_bytes(self, **kwargs) -> bytes:
        return srsly.msgpack_dumps({"patterns": self.patterns})

    def from_bytes(self, data: bytes, **kwargs) -> "GuidelineRuler":
        self.set_patterns(srsly.msgpack_loads(data)["patterns"])
        return self

    def to_disk(self, path, **kwargs) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_jsonl(path / "patterns.jsonl", self.patterns)

    def from_disk(self, path, **kwargs) -> "GuidelineRuler":
        self.set_patterns(list(srsly.read_jsonl(Path(path) / "patterns.jsonl")))
        return self
