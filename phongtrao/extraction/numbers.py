"""Numbers as Vietnamese reports write them: 2.150, 1.234.567, 2,5, "gần 35 tỷ", "mười hai".

Everything here works on the *matching text* (`matching_text`): the NFC text in lower case
with the old tone placement ("hoà", "toạ") moved to the new one ("hòa", "tọa"). It has exactly
the length of the text, so every offset found here is an offset into the text people read.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

# In open syllables the old tone placement marks the second vowel of oa/oe/uy ("hoà", "toạ",
# "thuỷ"), the new one the first ("hòa"); with a final consonant both agree ("hoạch").
# Officials' Word files use both, so both must match the same phrase. Lengths are kept.
_TONES = {"à": "ò", "á": "ó", "ả": "ỏ", "ã": "õ", "ạ": "ọ"}
_TONES_E = {"è": "ò", "é": "ó", "ẻ": "ỏ", "ẽ": "õ", "ẹ": "ọ"}
_TONES_Y = {"ỳ": "ù", "ý": "ú", "ỷ": "ủ", "ỹ": "ũ", "ỵ": "ụ"}
_OLD_STYLE = re.compile(r"(?<!q)(o[àáảãạ]|o[èéẻẽẹ]|u[ỳýỷỹỵ])(?!\w)")


def _new_style(match: re.Match[str]) -> str:
    first, second = match.group(1)
    if first == "o" and second in _TONES:
        return _TONES[second] + "a"
    if first == "o" and second in _TONES_E:
        return _TONES_E[second] + "e"
    return _TONES_Y[second] + "y"


def matching_text(text: str) -> str:
    """Lower case, new tone placement, same length as `text` (offsets stay valid)."""
    lowered = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
    return _OLD_STYLE.sub(_new_style, lowered)


SCALES = {"nghìn": 1000, "ngàn": 1000, "triệu": 10**6, "tỷ": 10**9, "tỉ": 10**9}
_SCALE = r"(?:nghìn|ngàn|triệu|tỷ|tỉ)"
# 1.234.567 (dots group thousands), 2,5 (comma for decimals). A comma before exactly three
# digits is left alone: "45,120" may be a list without its space, and guessing is worse.
_DIGITS = r"(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d{1,2}(?!\d))?"
DIGITS_RE = re.compile(rf"(?<![\w./,\-–])({_DIGITS})(?![\w/%]|[.,]\d|\s?[/%])")
# "tại 9/9 khu dân cư", "1.042/1.165 khu dân cư": a part out of a whole, before a word.
# Dates ("sáng 16/8, …", "16/8/2025") are told apart by the reader: only a fraction that a
# phrase reads as a figure is kept.
FRACTION_RE = re.compile(rf"(?<![\w./,\-–])({_DIGITS})/({_DIGITS})(?=[ \t]+[^\W\d_])")
_SCALE_RE = re.compile(rf"\s+({_SCALE})\b(?:\s+({_DIGITS})\s+({_SCALE})\b)?")

_UNITS = {
    "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5,
    "sáu": 6, "bảy": 7, "tám": 8, "chín": 9,
}  # fmt: skip
_HEAD = r"một|hai|ba|bốn|năm|sáu|bảy|tám|chín"
WORDS_RE = re.compile(
    rf"\b(?:(mười)(?:\s+(một|hai|ba|bốn|lăm|năm|sáu|bảy|tám|chín))?"
    rf"|({_HEAD})\s+mươi(?:\s+(mốt|hai|ba|bốn|tư|lăm|sáu|bảy|tám|chín))?"
    rf"|({_HEAD}))\b(?!\s*\d)"  # "năm 2019" is a year, not five
)
QUALIFIER_RE = re.compile(
    r"(?:\b(?:hơn|trên|gần|khoảng|xấp xỉ|tới|lên đến|lên tới|tổng cộng|tổng số|gần như)\s+)+$"
)
# The word right before a number that makes it a date, an ordinal, a rank or a reference.
_NOT_A_COUNT_BEFORE = re.compile(
    r"(?:\b(?:ngày|tháng|năm|thứ|điều|khoản|mục|điểm|khóa|kỳ|lúc|tầng|phòng|đường|quốc lộ"
    r"|tỉnh lộ|phường|quận|tổ|khu phố|thôn|ấp|km|lần|hạng|top)|(?<!tổng )\bsố:?)\s*$"
)


@dataclass(frozen=True)
class Number:
    value: Decimal
    start: int  # where the qualifier ("hơn", "gần") or the number starts
    number_start: int
    end: int  # after the number and its scale word ("35 tỷ")
    is_word: bool = False
    # "1.042/1.165 khu dân cư": the part achieved out of all; the value is the first number.
    is_fraction: bool = False


def _digits_value(raw: str) -> Decimal:
    whole, _, decimals = raw.partition(",")
    return Decimal(whole.replace(".", "") + (f".{decimals}" if decimals else ""))


def _word_value(match: re.Match[str]) -> int:
    ten, ten_unit, tens, tens_unit, single = match.groups()
    if ten:
        return 10 + (_UNITS[ten_unit] if ten_unit else 0)
    if tens:
        return _UNITS[tens] * 10 + (_UNITS[tens_unit] if tens_unit else 0)
    return _UNITS[single]


def _with_scale(low: str, value: Decimal, end: int) -> tuple[Decimal, int]:
    scale = _SCALE_RE.match(low, end)
    if not scale:
        return value, end
    value *= SCALES[scale.group(1)]
    if scale.group(2):
        value += _digits_value(scale.group(2)) * SCALES[scale.group(3)]
    return value, scale.end()


def _qualified_start(low: str, start: int) -> int:
    qualifier = QUALIFIER_RE.search(low, max(0, start - 30), start)
    return qualifier.start() if qualifier else start


def find_numbers(low: str) -> list[Number]:
    """Every count-like number in the matching text, in order; dates and references left out."""
    found: list[Number] = []
    for match in DIGITS_RE.finditer(low):
        if _NOT_A_COUNT_BEFORE.search(low, max(0, match.start() - 20), match.start()):
            continue
        value, end = _with_scale(low, _digits_value(match.group(1)), match.end())
        found.append(Number(value, _qualified_start(low, match.start()), match.start(), end))
    for match in FRACTION_RE.finditer(low):
        part, whole = _digits_value(match.group(1)), _digits_value(match.group(2))
        if part > whole or _NOT_A_COUNT_BEFORE.search(
            low, max(0, match.start() - 20), match.start()
        ):
            continue
        start = _qualified_start(low, match.start())
        found.append(Number(part, start, match.start(), match.end(), is_fraction=True))
    for match in WORDS_RE.finditer(low):
        if _NOT_A_COUNT_BEFORE.search(low, max(0, match.start() - 20), match.start()):
            continue
        value = Decimal(_word_value(match))
        start = _qualified_start(low, match.start())
        found.append(Number(value, start, match.start(), match.end(), is_word=True))
    found.sort(key=lambda n: n.number_start)
    # "1 tỷ 250 triệu" is one number: the 250 inside it is not another.
    kept: list[Number] = []
    for number in found:
        if not kept or number.number_start >= kept[-1].end:
            kept.append(number)
    return kept
