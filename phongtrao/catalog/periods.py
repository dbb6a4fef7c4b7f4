"""Reporting periods named by DHIS2 identifiers: `2019`, `2019S2`, `2019Q3`, `201908`.

Pure Python (no database), so imports, exports and the API parse periods the same way.
The identifiers are DHIS2's own, so a DHIS2 dataValueSet names our periods unchanged.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from django.utils.translation import gettext as _

from phongtrao.core.errors import AppError, ErrorCode

# Years outside this window are typing mistakes ("0219", "20199"), not real reports.
MIN_YEAR = 1900
MAX_YEAR = 2999


class PeriodType(StrEnum):
    YEARLY = "yearly"
    SIX_MONTHLY = "six_monthly"
    QUARTERLY = "quarterly"
    MONTHLY = "monthly"


MONTHS_IN = {
    PeriodType.YEARLY: 12,
    PeriodType.SIX_MONTHLY: 6,
    PeriodType.QUARTERLY: 3,
    PeriodType.MONTHLY: 1,
}

_PATTERNS = (
    (re.compile(r"(\d{4})"), PeriodType.YEARLY),
    (re.compile(r"(\d{4})S(\d)"), PeriodType.SIX_MONTHLY),
    (re.compile(r"(\d{4})Q(\d)"), PeriodType.QUARTERLY),
    (re.compile(r"(\d{4})(\d{2})"), PeriodType.MONTHLY),
)
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class Period:
    """One period: its type, its year and its number within the year (1 for a year)."""

    type: PeriodType
    year: int
    index: int = 1

    def __post_init__(self) -> None:
        per_year = 12 // MONTHS_IN[self.type]
        if not (MIN_YEAR <= self.year <= MAX_YEAR and 1 <= self.index <= per_year):
            raise ValueError(f"{self.type} {self.year}/{self.index}")

    def __str__(self) -> str:
        return self.id

    @property
    def id(self) -> str:
        if self.type == PeriodType.YEARLY:
            return f"{self.year}"
        if self.type == PeriodType.SIX_MONTHLY:
            return f"{self.year}S{self.index}"
        if self.type == PeriodType.QUARTERLY:
            return f"{self.year}Q{self.index}"
        return f"{self.year}{self.index:02d}"

    @property
    def first_month(self) -> int:
        return (self.index - 1) * MONTHS_IN[self.type] + 1

    @property
    def start(self) -> date:
        return date(self.year, self.first_month, 1)

    @property
    def end(self) -> date:
        last_month = self.first_month + MONTHS_IN[self.type] - 1
        return date(self.year, last_month, calendar.monthrange(self.year, last_month)[1])

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def previous(self) -> "Period":
        return period_containing(self.start - timedelta(days=1), self.type)

    def next(self) -> "Period":
        return period_containing(self.end + timedelta(days=1), self.type)

    @property
    def label(self) -> str:
        """How officials write the period: "Năm 2019", "Quý III/2019", "Tháng 8/2019"."""
        if self.type == PeriodType.YEARLY:
            return _("Year %(year)s") % {"year": self.year}
        if self.type == PeriodType.SIX_MONTHLY:
            if self.index == 1:
                return _("First six months of %(year)s") % {"year": self.year}
            return _("Last six months of %(year)s") % {"year": self.year}
        if self.type == PeriodType.QUARTERLY:
            return _("Quarter %(roman)s/%(year)s") % {
                "roman": _ROMAN[self.index],
                "year": self.year,
            }
        return _("Month %(month)s/%(year)s") % {"month": self.index, "year": self.year}


def period_parse(value: str) -> Period:
    """A period from its identifier; raises AppError(INVALID) with a message for people."""
    text = (value or "").strip().upper()
    for pattern, period_type in _PATTERNS:
        match = pattern.fullmatch(text)
        if not match:
            continue
        year = int(match.group(1))
        index = int(match.group(2)) if match.lastindex == 2 else 1
        try:
            return Period(period_type, year, index)
        except ValueError:
            break
    raise AppError(
        ErrorCode.INVALID,
        _(
            '"%(value)s" is not a period identifier: write a year (2019), six months (2019S2), '
            "a quarter (2019Q3) or a month (201908)."
        )
        % {"value": value},
    )


def period_type_of(value: str) -> PeriodType:
    return period_parse(value).type


def period_containing(day: date, period_type: PeriodType | str) -> Period:
    period_type = PeriodType(period_type)
    index = (day.month - 1) // MONTHS_IN[period_type] + 1
    return Period(period_type, day.year, index)


def periods_between(start: date, end: date, period_type: PeriodType | str) -> list[Period]:
    """Every period from the one containing `start` to the one containing `end`, in order."""
    if end < start:
        raise AppError(
            ErrorCode.INVALID,
            _("The end date %(end)s is before the start date %(start)s.")
            % {"end": f"{end:%d/%m/%Y}", "start": f"{start:%d/%m/%Y}"},
        )
    period = period_containing(start, period_type)
    last = period_containing(end, period_type)
    result = [period]
    while period != last:
        period = period.next()
        result.append(period)
    return result
