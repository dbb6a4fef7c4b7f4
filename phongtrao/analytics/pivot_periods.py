"""The periods of a pivot table: a run of periods of one type, the one period they make up,
and the same period a year earlier."""

from django.utils.translation import gettext as _

from phongtrao.catalog.periods import (
    MONTHS_IN,
    Period,
    PeriodType,
    period_containing,
    period_parse,
    periods_between,
)
from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.text import format_number

MAX_PERIODS = 60


def period_range(first: str, last: str = "") -> list[Period]:
    """The periods from `first` to `last` (both included, of one type): "2019".."2024"."""
    start = period_parse(first)
    end = period_parse(last) if last and last.strip() else start
    if end.type != start.type:
        raise AppError(
            ErrorCode.INVALID,
            _("The first and last periods must be of the same kind (%(first)s, %(last)s).")
            % {"first": start.label, "last": end.label},
        )
    if end.start < start.start:
        raise AppError(
            ErrorCode.INVALID,
            _("The last period %(last)s is before the first %(first)s.")
            % {"first": start.label, "last": end.label},
        )
    periods = periods_between(start.start, end.end, start.type)
    if len(periods) > MAX_PERIODS:
        raise AppError(
            ErrorCode.INVALID,
            _("At most %(max)s periods at once; %(count)s were asked for.")
            % {"max": MAX_PERIODS, "count": format_number(len(periods))},
        )
    return periods


def enclosing_period(periods: list[Period]) -> Period | None:
    """The one period the listed ones make up exactly (the four quarters of 2019: 2019)."""
    if len(periods) == 1:
        return periods[0]
    first, last = periods[0], periods[-1]
    longer = [t for t in PeriodType if MONTHS_IN[t] > MONTHS_IN[first.type]]
    for period_type in sorted(longer, key=MONTHS_IN.get):
        candidate = period_containing(first.start, period_type)
        if candidate.contains(last.end):
            whole = periods_between(candidate.start, candidate.end, first.type)
            return candidate if whole == periods else None
    return None


def year_before(period: Period, years: int = 1) -> Period:
    return Period(period.type, period.year - years, period.index)
