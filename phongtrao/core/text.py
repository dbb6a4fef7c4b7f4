"""Vietnamese text and number helpers used at every boundary."""

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation

from babel.numbers import NumberFormatError, format_decimal, parse_decimal

_SPACES = re.compile(r"\s+")
# đ/Đ are letters of their own, not a base letter plus a mark, so NFD leaves them intact.
_STROKE = str.maketrans({"đ": "d", "Đ": "D"})


def nfc(value: str) -> str:
    """Text copied from old Word files arrives in NFD; store and compare everything in NFC."""
    return unicodedata.normalize("NFC", value)


def clean_text(value: str | None) -> str:
    if value is None:
        return ""
    return _SPACES.sub(" ", nfc(value)).strip()


def fold(value: str | None) -> str:
    """Case and diacritics dropped, nothing else: "ĐặngVăn" -> "dangvan", "an.le" stays."""
    decomposed = unicodedata.normalize("NFD", clean_text(value).translate(_STROKE))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def search_key(value: str | None) -> str:
    """A diacritic-free, lower-case key: "Thị trấn Plei Kần" -> "thi tran plei kan".

    Kept in its own column so search works the same on SQLite and PostgreSQL.
    """
    # `fold` drops the marks; a search key is also blind to punctuation and spacing.
    return _SPACES.sub(" ", re.sub(r"[^0-9a-z]+", " ", fold(value))).strip()


def format_number(value: int | float | Decimal | None) -> str:
    """2150 -> "2.150", 1234567.5 -> "1.234.567,5"."""
    if value is None:
        return ""
    return format_decimal(value, locale="vi_VN")


_SCIENTIFIC = re.compile(r"[+-]?[\d.,]*\d[\d.,]*[eE][+-]?\d+")


class ScientificNotation(ValueError):
    """ "1e5": nobody in a commune means 100.000 by it; refused everywhere, with its own reason."""


# A number that looks like Vietnamese thousands ("1.200", "15.000.000"): in a machine file,
# where the dot is the decimal point, it could also be 1,2; see `parse_machine_number`.
_DOT_GROUPS = re.compile(r"[+-]?\d{1,3}(\.\d{3})+")


class AmbiguousNumber(ValueError):
    """ "1.200" in a file whose numbers are written "2150.5": 1.200 or 1,2? Refused."""


def parse_number(value: str | int | float | Decimal) -> Decimal:
    """Accept "2.150", "2150", "1.234.567,5"; raise ValueError on anything else.

    The one parser of numbers people write: the entry grid, every form (`core.forms`), the
    spreadsheets. Scientific notation ("1e5") raises `ScientificNotation`.
    """
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    text = clean_text(value).replace(" ", "")
    if not text:
        raise ValueError("empty")
    if _SCIENTIFIC.fullmatch(text):
        raise ScientificNotation(text)
    try:
        return parse_decimal(text, locale="vi", strict=True)
    except (NumberFormatError, InvalidOperation) as exc:
        raise ValueError(text) from exc


def parse_machine_number(value: str, *, ambiguous_dots: bool = False) -> Decimal:
    """A number written by a program: "2150.5". Scientific notation raises
    `ScientificNotation`; with `ambiguous_dots` (our CSV, which people open and save in a
    spreadsheet) "1.200" raises `AmbiguousNumber` rather than being read as 1,2."""
    text = value.strip()
    if _SCIENTIFIC.fullmatch(text):
        raise ScientificNotation(text)
    if ambiguous_dots and _DOT_GROUPS.fullmatch(text):
        raise AmbiguousNumber(text)
    try:
        return Decimal(text)
    except ArithmeticError:
        raise ValueError(text) from None


def machine_text(value: str) -> str:
    """A stored number ("1.234") as our CSV writes it: "1.2340" when it would otherwise read
    as Vietnamese thousands, so that the file reads back the same (`parse_machine_number`)."""
    return value + "0" if _DOT_GROUPS.fullmatch(value) else value


def format_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""
