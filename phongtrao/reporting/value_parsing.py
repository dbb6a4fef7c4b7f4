"""Turning what a person typed (or a file held) into a stored value, per indicator type.

Shared by the entry screen and every import format, so "2.150", "2150" and "2150,0" mean the
same thing everywhere and are refused for the same reasons.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from phongtrao.catalog.models import Indicator, ValueType
from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.text import (
    AmbiguousNumber,
    ScientificNotation,
    clean_text,
    format_number,
    parse_machine_number,
    parse_number,
    search_key,
)

YES = {"1", "true", "yes", "co", "x", "dung", "dat"}
NO = {"0", "false", "no", "khong", "sai", "khong dat"}
MAX_TEXT = 1000


@dataclass(frozen=True)
class ParsedValue:
    value: str
    number: Decimal | None


def _invalid(message: str) -> AppError:
    return AppError(ErrorCode.INVALID, message)


def _canonical(number: Decimal) -> str:
    """The stored form: no grouping, a dot, no trailing zeros ("2150", "2.5")."""
    return format(number.normalize(), "f")


def value_parse(
    indicator: Indicator, raw: object, *, machine: bool = False, ambiguous_dots: bool = False
) -> ParsedValue:
    """Raise AppError(INVALID) with a Vietnamese reason the caller places on a row or cell.

    `machine` is for DHIS2 files and our own CSV, whose numbers are written "2150.5";
    people and spreadsheets write "2.150,5". `ambiguous_dots` (our CSV) refuses "1.200",
    which a spreadsheet may have written for 1.200 as much as for 1,2.
    """
    if indicator.value_type == ValueType.TEXT:
        text = clean_text(str(raw))
        if len(text) > MAX_TEXT:
            raise _invalid(_("The text is longer than %(n)s characters.") % {"n": MAX_TEXT})
        return ParsedValue(text, None)
    if indicator.value_type == ValueType.YES_NO:
        key = search_key(str(raw))
        if key in YES:
            return ParsedValue("true", Decimal(1))
        if key in NO:
            return ParsedValue("false", Decimal(0))
        raise _invalid(_('"%(value)s" is not yes or no.') % {"value": clean_text(str(raw))})
    try:
        if machine and isinstance(raw, str):
            number = parse_machine_number(raw, ambiguous_dots=ambiguous_dots)
        else:
            number = parse_number(raw if not isinstance(raw, str) else raw.strip())
    except ScientificNotation:
        raise _invalid(
            _('"%(value)s" is in scientific notation; write the number in full.')
            % {"value": clean_text(str(raw))}
        ) from None
    except AmbiguousNumber:
        raise _invalid(
            _(
                '"%(value)s" could be a whole number with thousands or a decimal: in this file '
                "write thousands without separators (1200) and decimals with a dot (1.2)."
            )
            % {"value": clean_text(str(raw))}
        ) from None
    except ValueError:
        raise _invalid(
            _('"%(value)s" is not a number.') % {"value": clean_text(str(raw))}
        ) from None
    if not number.is_finite():
        raise _invalid(_('"%(value)s" is not a number.') % {"value": clean_text(str(raw))})
    if number < 0 and not indicator.allow_negative:
        raise _invalid(
            _("A count cannot be negative (%(value)s).") % {"value": format_number(number)}
        )
    if indicator.value_type == ValueType.WHOLE and number != number.to_integral_value():
        raise _invalid(_("%(value)s is not a whole number.") % {"value": format_number(number)})
    if abs(number) >= Decimal(10) ** 18:
        raise _invalid(_("%(value)s is too large.") % {"value": format_number(number)})
    return ParsedValue(_canonical(number), number)


def value_display(indicator: Indicator, value: str | None) -> str:
    """The stored value as a Vietnamese reader expects it: 2.150, 2,5, Có/Không."""
    if value is None or value == "":
        return ""
    if indicator.value_type == ValueType.YES_NO:
        return _("Yes") if value == "true" else _("No")
    if indicator.value_type == ValueType.TEXT:
        return value
    return format_number(Decimal(value))
