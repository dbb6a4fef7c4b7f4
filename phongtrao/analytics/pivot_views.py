"""The pivot table page and its XLSX and CSV downloads (the same URL with `format=`)."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View

from phongtrao.analytics.pivot import Dimension, Measure, Member, PivotTable, pivot_table
from phongtrao.analytics.pivot_export import (
    DIMENSION_LABELS,
    MEASURE_LABELS,
    shown,
    summary,
    write_csv,
    write_xlsx,
)
from phongtrao.analytics.pivot_forms import PivotForm, pivot_defaults
from phongtrao.analytics.pivot_units import current_successor, earlier_units, pivot_unit
from phongtrao.core.errors import AppError
from phongtrao.core.mixins import RefusalMixin, RoleRequiredMixin
from phongtrao.core.routers import replica_reads
from phongtrao.core.text import format_date
from phongtrao.reporting.selectors import Boundaries
from phongtrao.units.forms import unit_dated
from phongtrao.units.models import Unit

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


@dataclass(frozen=True)
class Header:
    label: str
    role: str
    href: str = ""
    unit: int | None = None


@dataclass(frozen=True)
class Figure:
    text: str
    measure: str


@dataclass(frozen=True)
class Row:
    header: Header
    figures: list[Figure]


def _link(query: QueryDict, **changes: Any) -> str:
    """The page's own URL with some parameters changed (None drops one)."""
    changed = query.copy()
    changed.pop("format", None)
    for key, value in changes.items():
        changed.pop(key, None)
        if value is not None:
            changed[key] = str(value)
    return f"?{changed.urlencode()}"


def _header(member: Member, query: QueryDict) -> Header:
    unit = member.item if member.dimension == Dimension.UNIT else None
    if member.drill:
        # Drill-down: the same table, opened on this unit's own units.
        return Header(member.label, member.role, _link(query, unit=unit.pk, level=None), unit.pk)
    return Header(member.label, member.role, unit=unit.pk if isinstance(unit, Unit) else None)


def _context(table: PivotTable, query: QueryDict) -> dict[str, Any]:
    measures = table.measures
    rows = [
        Row(
            _header(line.member, query),
            [Figure(shown(cell, m), m.value) for cell in line.cells for m in measures],
        )
        for line in table.lines
    ]
    unit = table.query.unit
    up = None
    if unit is not None and unit.parent_id:
        up = (unit_dated(unit.parent), _link(query, unit=unit.parent_id, level=None))
    return {
        "table": table,
        "summary": summary(table),
        "row_label": DIMENSION_LABELS[table.query.rows],
        "columns": [_header(member, query) for member in table.columns],
        "measures": [MEASURE_LABELS[m] for m in measures],
        "several_measures": len(measures) > 1,
        "rows": rows,
        "up": up,
        "downloads": [(f, _link(query, format=f)) for f in ("xlsx", "csv")],
        "ranked": Measure.RANK in measures,
    }


# Figures a moment old are right here: read from the replica when there is one.
@method_decorator(replica_reads(), name="get")
class PivotView(RoleRequiredMixin, RefusalMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        query = pivot_defaults(request.GET, user=request.user)
        form = PivotForm(query, user=request.user)
        context: dict[str, Any] = {"form": form}
        if not form.is_valid():
            return render(request, "analytics/pivot.html", context, status=400)
        try:
            # Out of scope or missing: 404, like everywhere (AppErrorMiddleware).
            unit = pivot_unit(user=request.user, pk=form.cleaned_data["unit"])
            moved = self._successor_redirect(request, form, unit, query)
            if moved is not None:
                return moved
            table = pivot_table(query=form.pivot_query(unit), user=request.user)
        except AppError as exc:
            context["refusal"] = self.refusal_message(exc)
            # Opened bare from the menu (an account given no unit): a page, not a bad request.
            return render(
                request, "analytics/pivot.html", context, status=400 if request.GET else 200
            )
        fmt = form.cleaned_data["format"]
        if fmt:
            return self._download(table, fmt)
        context |= _context(table, query)
        context["elsewhere"] = self._elsewhere(table, query)
        return render(request, "analytics/pivot.html", context)

    def _successor_redirect(
        self, request: HttpRequest, form: PivotForm, unit: Unit | None, query: QueryDict
    ) -> HttpResponse | None:
        """An old unit in today's boundaries: its figures are in today's unit that took it
        over; the table is opened there, saying so, rather than empty."""
        current = form.cleaned_data["boundaries"] == Boundaries.CURRENT
        if not current or unit is None or unit.is_valid_on(timezone.localdate()):
            return None
        successor = current_successor(unit=unit, user=request.user)
        if successor is None:
            return None
        messages.info(
            request,
            _(
                "%(old)s no longer exists: in today's boundaries its figures are counted in "
                "%(new)s, shown here."
            )
            % {"old": unit_dated(unit), "new": successor.name},
        )
        return redirect(request.path + _link(query, unit=successor.pk, level=None))

    def _elsewhere(self, table: PivotTable, query: QueryDict) -> dict[str, Any] | None:
        """In the boundaries of the time, a unit asked of before it existed (the old units that
        held those figures) or after it ended (the unit that took it over), offered as links."""
        unit, q = table.query.unit, table.query
        if unit is None or q.boundaries != Boundaries.HISTORICAL:
            return None
        if unit.valid_from is not None and unit.valid_from > q.periods[-1].end:
            message = _(
                "%(unit)s exists from %(date)s; before that its figures are those of the units "
                "it took over:"
            ) % {"unit": unit.name, "date": format_date(unit.valid_from)}
            units = earlier_units(unit=unit, user=self.request.user)
        elif unit.valid_to is not None and unit.valid_to < q.periods[0].start:
            message = _(
                "%(unit)s existed until %(date)s; after that its figures are those of the unit "
                "that took it over:"
            ) % {"unit": unit.name, "date": format_date(unit.valid_to)}
            successor = current_successor(unit=unit, user=self.request.user)
            units = [successor] if successor else []
        else:
            return None
        return {
            "message": message,
            "units": [(unit_dated(u), _link(query, unit=u.pk, level=None)) for u in units],
            "current": _link(query, boundaries=Boundaries.CURRENT.value),
        }

    def _download(self, table: PivotTable, fmt: str) -> HttpResponse:
        body = write_xlsx(table) if fmt == "xlsx" else write_csv(table)
        where = table.query.unit.code if table.query.unit is not None else "VN"
        periods = table.query.periods
        span = periods[0].id if len(periods) == 1 else f"{periods[0].id}-{periods[-1].id}"
        response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
        filename = f"bang-so-lieu-{where}-{span}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
