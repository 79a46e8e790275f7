"""OUTCOME quantities by rule: number + measure word (ANNOTATION.md), with the guideline's exclusions
(dates and durations, ordinals, formulas such as 两个维护, numbers inside names and titles).

The word lists come from resources/ and can be replaced in the config (`dangjian.quantity_rules.v1`).
"""

import re
from functools import lru_cache
from typing import Dict, List, Optional, Sequence, Tuple

from spacy.util import registry

from ..resources import read_json, word_list
from .numbers import CN_CHARS, PREFIXES
from .quotes import protected_ranges

Offsets = Tuple[Tuple[int, int], ...]
_PREFIX = "(?:" + "|".join(sorted(PREFIXES, key=len, reverse=True)) + ")?"
_PREFIX_CHARS = "".join(sorted(set("".join(PREFIXES))))
# Digits (ASCII or full-width) with decimal points and thousands separators (a full-width comma
# only before a group of three digits), or Chinese numerals.
_NUMBER = rf"(?:\d+(?:(?:[.,．·]|，(?=\d{{3}}(?!\d)))\d+)*|[{CN_CHARS}]+)"
_CACHE_SIZE = 4096


class QuantityFinder:
    """Finds OUTCOME-like quantities in a text. Results are cached per text: the token splitter and
    the OUTCOME ruler ask for the same text, and share one finder per set of rules."""

    def __init__(
        self,
        units: Sequence[str],
        formulas: Sequence[str],
        duration_after: Sequence[str],
        not_unit_after: Dict[str, str],
    ):
        self.units = sorted(units, key=len, reverse=True)  # longest first: 人次 wins over 人
        self.formulas = tuple(formulas)
        self.duration_after = tuple(duration_after)
        self.not_unit_after = dict(not_unit_after)
        unit_re = "|".join(map(re.escape, self.units))
        self._pattern = re.compile(
            rf"{_PREFIX}(?:百分之{_NUMBER}|一半|{_NUMBER}(?:[余多])?(?:[万亿])?(?:[余多])?(?:{unit_re})"
            r"(?:[(（][次人个项][)）])?)(?:以上|左右)?"
        )
        self.find = lru_cache(maxsize=_CACHE_SIZE)(self._find)

    def state(self) -> Dict[str, object]:
        """The rules as JSON-ready data (what a saved pipeline keeps)."""
        return {
            "units": list(self.units),
            "formulas": list(self.formulas),
            "duration_after": list(self.duration_after),
            "not_unit_after": dict(self.not_unit_after),
        }

    def _find(self, text: str) -> Offsets:
        """(start, end) character offsets of the quantities in `text`."""
        protected = protected_ranges(text)
        return tuple(
            m.span()
            for m in self._pattern.finditer(text)
            if self._keep(text, m.start(), m.end(), m.group()) and not _inside(m.span(), protected)
        )

    def _keep(self, text: str, start: int, end: int, surface: str) -> bool:
        core = surface.lstrip(_PREFIX_CHARS)
        if not core:
            return False
        before, after = text[max(0, start - 1) : start], text[end : end + 3]
        if before in {"第", "前", "每"} or (before and (before.isdigit() or before in ".．")):
            return False  # ordinals, ranks, rates, and the tail of a longer number
        if after.startswith(self.duration_after):
            return False
        if after[:1] and after[:1] in self.not_unit_after.get(surface[-1], ""):
            return False  # 万人民, 5部门: the unit starts a word
        if core[0] in CN_CHARS and not core[0].isdigit():
            return self._keep_chinese_numeral(text, start + len(surface) - len(core), core, surface, after)
        return True

    def _keep_chinese_numeral(self, text: str, core_start: int, core: str, surface: str, after: str) -> bool:
        if core[0] == "一" and len(core) <= 3 and not surface.startswith(("近", "约", "超")):
            return False  # 一个, 一场, 一次: an article, not a count
        if any(text.startswith(f, core_start) for f in self.formulas):
            return False
        return not (len(core) >= 2 and core[:2] in {"一二", "十九", "二十"} and "大" in after[:1])


def _inside(span: Tuple[int, int], ranges: List[Tuple[int, int]]) -> bool:
    return any(a <= span[0] and span[1] <= b for a, b in ranges)


@lru_cache(maxsize=16)
def _finder(
    units: Tuple[str, ...], formulas: Tuple[str, ...], duration_after: Tuple[str, ...], not_unit_after: Tuple
) -> QuantityFinder:
    return QuantityFinder(units, formulas, duration_after, dict(not_unit_after))


@registry.misc("dangjian.quantity_rules.v1")
def quantity_rules(
    units: Optional[List[str]] = None,
    formulas: Optional[List[str]] = None,
    duration_after: Optional[List[str]] = None,
    not_unit_after: Optional[Dict[str, str]] = None,
) -> QuantityFinder:
    """The quantity rules; a list left out is the packaged one (resources/units.txt, formulas.txt,
    duration_after.txt, not_unit_after.json). Equal rules give the same (cached) finder."""
    return _finder(
        tuple(word_list("units") if units is None else units),
        tuple(word_list("formulas") if formulas is None else formulas),
        tuple(word_list("duration_after") if duration_after is None else duration_after),
        tuple(sorted((read_json("not_unit_after.json") if not_unit_after is None else not_unit_after).items())),
    )


def finder_from_state(state: Dict[str, object]) -> QuantityFinder:
    """The finder a saved pipeline's rules describe."""
    return quantity_rules(**state)  # type: ignore[arg-type]


def find_outcomes(text: str) -> Offsets:
    """Quantities in `text` under the packaged rules (for code outside a pipeline, e.g. MSRA)."""
    return quantity_rules().find(text)
