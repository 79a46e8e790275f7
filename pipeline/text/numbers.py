"""OUTCOME values: '近60万毫升' -> value 600000.0, unit '毫升', qualifier 'approx'.

Handles Arabic and full-width digits, decimals, thousands separators, Chinese numerals
(七, 十二, 两万, 千, 上百), the multipliers 万 and 亿 anywhere after the number, 百分之X, and the
approximation markers of ANNOTATION.md: 近 约 before (approx), 超 超过 逾 上 before, 余 多 inside,
以上 after (lower_bound), 左右 after (approx), 不到 不足 before, 以下 以内 after (upper_bound).
A number given by its magnitude (几百, 数万) is that magnitude as a lower bound; a middle dot
between digits is a decimal point, as older news writes it (63·5％).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation
from typing import Dict, Optional

EXACT, APPROX, LOWER, UPPER = "exact", "approx", "lower_bound", "upper_bound"

PREFIXES: Dict[str, str] = {
    "将近": APPROX,
    "接近": APPROX,
    "大约": APPROX,
    "近": APPROX,
    "约": APPROX,
    "超过": LOWER,
    "超": LOWER,
    "逾": LOWER,
    "上": LOWER,
    "多达": LOWER,
    "几": LOWER,  # 几百元: a few hundred, at least a hundred
    "数": LOWER,  # 数十名, 数万元
    "不到": UPPER,
    "不足": UPPER,
}
SUFFIXES: Dict[str, str] = {"以上": LOWER, "左右": APPROX, "以下": UPPER, "以内": UPPER}
INFIXES: Dict[str, str] = {"余": LOWER, "多": LOWER}

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_BIG = {"万": 10**4, "亿": 10**8}
CN_CHARS = "".join(CN_DIGITS) + "".join(CN_UNITS) + "".join(CN_BIG)

_NUMBER = re.compile(
    rf"^(?P<num>\d[\d,]*(?:\.\d+)?|[{CN_CHARS}]+)(?P<inf1>[余多])?(?P<mult>[万亿]*)(?P<inf2>[余多])?(?P<unit>.*)$"
)


_DOT_DECIMAL = re.compile(r"(\d)[·・•](\d)")


@dataclass(frozen=True)
class Quantity:
    value: Optional[float]
    unit: str
    qualifier: str

    def to_dict(self) -> Dict[str, object]:
        return asdict(self)


def chinese_to_int(text: str) -> Optional[int]:
    """Chinese numerals to an int: 七 -> 7, 十二 -> 12, 三千五百 -> 3500, 两万 -> 20000, 千 -> 1000."""
    if not text or any(ch not in CN_CHARS for ch in text):
        return None
    if all(ch in CN_DIGITS for ch in text) and len(text) > 1:  # digit by digit: 二〇二三
        return int("".join(str(CN_DIGITS[ch]) for ch in text))
    total, section, number = 0, 0, 0
    for ch in text:
        if ch in CN_DIGITS:
            number = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            section += (number or 1) * CN_UNITS[ch]
            number = 0
        else:  # 万 or 亿
            section += number
            if total == 0 and section == 0:
                section = 1
            if ch == "亿":
                total = (total + section) * CN_BIG[ch]
            else:
                total += section * CN_BIG[ch]
            section, number = 0, 0
    return total + section + number


def _to_decimal(num: str) -> Optional[Decimal]:
    if num[0].isdigit():
        try:
            return Decimal(num.replace(",", ""))
        except InvalidOperation:
            return None
    value = chinese_to_int(num)
    return Decimal(value) if value is not None else None


def parse_quantity(surface: str) -> Quantity:
    """Value, unit and qualifier of an OUTCOME surface; value is None if no number is found."""
    text = _DOT_DECIMAL.sub(r"\1.\2", unicodedata.normalize("NFKC", surface).strip())
    qualifier = EXACT
    for prefix in sorted(PREFIXES, key=len, reverse=True):
        if (
            text.startswith(prefix)
            and len(text) > len(prefix)
            and (text[len(prefix)].isdigit() or text[len(prefix)] in CN_CHARS)
        ):
            qualifier, text = PREFIXES[prefix], text[len(prefix) :]
            break
    for suffix, qual in SUFFIXES.items():
        if text.endswith(suffix) and len(text) > len(suffix):
            qualifier, text = qual, text[: -len(suffix)]
            break
    percent = text.startswith("百分之")
    if percent:
        text = text[3:]
    m = _NUMBER.match(text)
    if not m:
        return Quantity(None, text, qualifier)
    value = _to_decimal(m.group("num"))
    for mult in m.group("mult"):
        value = value * CN_BIG[mult] if value is not None else None
    for inf in (m.group("inf1"), m.group("inf2")):
        if inf:
            qualifier = INFIXES[inf] if qualifier == EXACT else qualifier
    unit = m.group("unit").strip()
    if percent:
        unit = "%"
    if unit.startswith("半") and value is not None:  # 一半, 两个半 ...
        value, unit = value * Decimal("0.5"), unit[1:]
    return Quantity(float(value) if value is not None else None, unit, qualifier)
