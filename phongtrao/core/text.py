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


def search_key(value: str | None) -> str:
    """A diacritic-free, lower-case key: "Thị trấn Plei Kần" -> "thi tran plei kan".

    Kept in its own column so search works the same on SQLite and PostgreSQL.
    """
    decomposed = unicodedata.normalize("NFD", clean_text(value).translate(_STROKE))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", re.sub(r"[^0-9a-z]+", " ", bare.lower())).strip()


def format_number(value: int | float | Decimal | None) -> str:
    """2150 -> "2.150", 1234567.5 -> "1.234.567,5"."""
    if value is None:
        return ""
    return format_decimal(value, locale="vi_VN")


def parse_number(value: str | int | float | Decimal) -> Decimal:
    """Accept "2.150", "2150", "1.234.567,5"; raise ValueError on anything else."""
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    text = clean_text(value).replace(" ", "")
    if not text:
        raise ValueError("empty")
    try:
        return parse_decimal(text, locale="vi", strict=True)
    except (NumberFormatError, InvalidOperation) as exc:
        raise ValueError(text) from exc


def format_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""
