"""How the dashboards' and the map's table cells read: `{% load analytics_tables %}`, then
`{{ value|cell:column.kind }}` for the text and `{{ value|cell_value:column.kind }}` for the
machine number a chart draws (empty when the cell has none); `{% table_cells cells link_name
filter_query %}` draws a whole row's cells, `{% pivot_figures row.figures %}` a pivot row's."""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django import template
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from phongtrao.analytics.dashboard_tables import STATUS_LABELS
from phongtrao.analytics.tables import NUMERIC, Kind
from phongtrao.catalog.periods import period_parse
from phongtrao.core.errors import AppError
from phongtrao.core.html import escaped as e
from phongtrao.core.text import format_date, format_number
from phongtrao.units.models import Unit

register = template.Library()

EMPTY = "—"
# A unit id no table holds, marking where each row's id goes in its link.
LINK_MARK = 987654321987


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


@lru_cache(maxsize=64)
def _link_parts(link_name: str, script_prefix: str) -> tuple[str, str]:
    """A unit's link before and after its id: one `reverse` per table, not one per row."""
    head, tail = reverse(link_name, args=[LINK_MARK]).split(str(LINK_MARK))
    return head, tail


@register.simple_tag
def table_cells(
    cells: Iterable[tuple[object, object]], link_name: str, filter_query: str
) -> SafeString:
    """A row's `<td>`s, drawn here rather than by a loop of template tags: a province's
    dashboard has thousands of cells, and the template loop was most of its time."""
    head, tail = _link_parts(link_name, get_script_prefix())
    query = e(filter_query)
    drawn = []
    for value, column in cells:
        kind = column.kind
        if kind == "unit":
            pk = getattr(value, "pk", None)
            drawn.append(
                f'<td><a href="{e(head)}{pk}{e(tail)}?{query}">{e(value.name)}</a></td>'
                if pk
                else f"<td>{e(value)}</td>"
            )
        elif kind == "text":
            drawn.append(f"<td>{e(cell(value, kind))}</td>")
        else:
            drawn.append(
                f'<td class="num" data-value="{e(cell_value(value, kind))}">'
                f"{e(cell(value, kind))}</td>"
            )
    return mark_safe("".join(drawn))  # every part escaped


@register.simple_tag
def pivot_figures(figures: Iterable[Any]) -> SafeString:
    """A pivot row's figures as `<td>`s (`analytics.pivot_views.Figure`: text and measure); a
    province's pivot has a thousand of them."""
    return mark_safe(  # every part escaped
        "".join(
            f'<td class="num" data-measure="{e(figure.measure)}">{e(figure.text)}</td>'
            for figure in figures
        )
    )
