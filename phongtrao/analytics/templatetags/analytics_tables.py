"""How the dashboards' and the map's table cells read: `{% load analytics_tables %}`, then
`{{ value|cell:column.kind }}` for the text and `{{ value|cell_value:column.kind }}` for the
machine number a chart draws (empty when the cell has none)."""

from datetime import date, datetime
from decimal import Decimal

from django import template
from django.utils import timezone

from phongtrao.analytics.dashboard_tables import STATUS_LABELS
from phongtrao.analytics.tables import NUMERIC, Kind
from phongtrao.catalog.periods import period_parse
from phongtrao.core.errors import AppError
from phongtrao.core.text import format_date, format_number
from phongtrao.units.models import Unit

register = template.Library()

EMPTY = "—"


def _signed(value: Decimal | int | float) -> str:
    if value > 0:
        return f"+{format_number(value)}"
    if value < 0:
        return f"-{format_number(-value)}"
    return format_number(value)


@register.filter
def cell(value: object, kind: str) -> str:
    """2150 -> "2.150"; a change +5 or -3; 85.7 -> "85,7%"; None -> "—"."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, Unit):
        return value.name
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y")
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return str(value)
    kind = Kind(kind)
    if kind == Kind.CHANGE:
        return _signed(value)
    if kind == Kind.PERCENT:
        return f"{format_number(value)}%"
    if kind == Kind.PERCENT_CHANGE:
        return f"{_signed(value)}%"
    return format_number(value)


@register.filter
def cell_value(value: object, kind: str) -> str:
    """The number as a chart reads it ("1240", "12.5"); empty for text and missing cells."""
    if Kind(kind) not in NUMERIC or isinstance(value, bool):
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, int | float):
        return str(value)
    return ""


@register.filter
def period_label(period_id: str) -> str:
    """ "2026" -> "Năm 2026", as officials write a period."""
    try:
        return period_parse(period_id).label
    except AppError:
        return period_id


@register.filter
def report_status(status: str | None) -> str:
    """A report's state as the dashboards name it; None: not begun."""
    return str(STATUS_LABELS.get(status, status))
