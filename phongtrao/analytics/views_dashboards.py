"""The home page (what to do now, over the user's unit's dashboard), the dashboards of a unit
and their CSV downloads, and the map. Thin: the filters are a form, the figures selectors."""

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View

from phongtrao.analytics.dashboard_tables import TABLE_FILES, dashboard_tables
from phongtrao.analytics.dashboards import (
    FORM_CODE,
    KEY_CODES,
    DashboardQuery,
    chart_indicators,
    dashboard_get,
    default_year,
)
from phongtrao.analytics.maps import map_table, unit_map_get
from phongtrao.analytics.states import DEFAULT_STATE, STATE_LABELS, DataState
from phongtrao.analytics.tables import Table, table_csv
from phongtrao.analytics.worklist import worklist_get
from phongtrao.catalog.models import Indicator, ReportForm
from phongtrao.catalog.periods import period_parse
from phongtrao.core.mixins import RoleRequiredMixin
from phongtrao.core.routers import replica_reads
from phongtrao.reporting.selectors import Boundaries
from phongtrao.units.models import Unit
from phongtrao.units.scope import in_scope

# The earliest year offered when the festival form does not say its first period.
FIRST_YEAR = 2005
BOUNDARY_CHOICES = [
    (Boundaries.CURRENT.value, _("today's units")),
    (Boundaries.HISTORICAL.value, _("as they were that year")),
]
# Trends cross the 2025 reform: in today's boundaries a commune's line goes on through it.
DEFAULT_BOUNDARIES = Boundaries.CURRENT


class IndicatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Indicator) -> str:
        return obj.name


class DashboardFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    indicator = IndicatorChoiceField(
        label=_("Indicator"), queryset=Indicator.objects.none(), to_field_name="code"
    )
    state = forms.ChoiceField(
        label=_("Data"), choices=[(s.value, STATE_LABELS[s]) for s in DataState]
    )
    boundaries = forms.ChoiceField(label=_("Boundaries"), choices=BOUNDARY_CHOICES)

    def __init__(self, data: dict[str, str], *, form: ReportForm | None, today: date) -> None:
        super().__init__(data)
        first = period_parse(form.first_period).year if form and form.first_period else FIRST_YEAR
        self.fields["year"].choices = [(y, str(y)) for y in range(today.year, first - 1, -1)]
        codes = [i.pk for i in chart_indicators()]
        self.fields["indicator"].queryset = Indicator.objects.filter(pk__in=codes)
        for name in self.fields:
            # Each choice shows at once (app.js sends the form); the button is for no script.
            self.fields[name].widget.attrs["data-autosubmit"] = ""


def _filters(request: HttpRequest) -> DashboardFilterForm:
    today = timezone.localdate()
    form = ReportForm.objects.filter(code=FORM_CODE).first()
    defaults = {
        "year": str(default_year(form=form, today=today)),
        "indicator": KEY_CODES[0],
        "state": DEFAULT_STATE.value,
        "boundaries": DEFAULT_BOUNDARIES.value,
    }
    given = {k: v for k, v in request.GET.items() if k in defaults and v}
    return DashboardFilterForm(defaults | given, form=form, today=today)


def _filter_query(data: dict[str, Any]) -> str:
    return urlencode(
        {
            "year": data["year"],
            "indicator": data["indicator"].code,
            "state": data["state"],
            "boundaries": data["boundaries"],
        }
    )


def _query(unit: Unit, data: dict[str, Any]) -> DashboardQuery:
    return DashboardQuery(
        unit=unit,
        year=data["year"],
        state=DataState(data["state"]),
        boundaries=Boundaries(data["boundaries"]),
        indicator=data["indicator"],
    )


def dashboard_context(request: HttpRequest, unit: Unit) -> dict[str, Any]:
    filters = _filters(request)
    context: dict[str, Any] = {"unit": unit, "filters": filters}
    parent = unit.parent if unit.parent_id and in_scope(request.user, unit.parent) else None
    context["parent"] = parent
    if filters.is_valid():
        dashboard = dashboard_get(query=_query(unit, filters.cleaned_data))
        context |= {
            "dashboard": dashboard,
            "tables": dashboard_tables(dashboard),
            "state_label": STATE_LABELS[dashboard.query.state],
            "filter_query": _filter_query(filters.cleaned_data),
        }
    return context


def home_unit(user: Any) -> Unit | None:
    """The unit whose dashboard the user's home page shows: the highest of their units."""
    today = timezone.localdate()
    units = user.units.order_by("depth", "path")
    return next((u for u in units if u.is_valid_on(today)), None) or units.first()


def home(request: HttpRequest) -> HttpResponse:
    """What to do now, then the dashboard of the user's unit."""
    context: dict[str, Any] = {"worklist": worklist_get(user=request.user)}
    unit = home_unit(request.user)
    if unit is not None:
        context |= dashboard_context(request, unit)
    return render(request, "analytics/home.html", context)


@method_decorator(replica_reads(), name="get")
class DashboardView(RoleRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=pk)
        return render(request, "analytics/dashboard.html", dashboard_context(request, unit))


def _csv_response(table: Table, name: str) -> HttpResponse:
    response = HttpResponse(table_csv(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@method_decorator(replica_reads(), name="get")
class DashboardCsvView(RoleRequiredMixin, View):
    """One table of a dashboard, as its chart draws it, for a spreadsheet."""

    def get(self, request: HttpRequest, pk: int, table: str) -> HttpResponse:
        unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=pk)
        if table not in TABLE_FILES:
            raise Http404
        filters = _filters(request)
        if not filters.is_valid():
            return HttpResponseBadRequest(filters.errors.as_text())
        tables = dashboard_tables(dashboard_get(query=_query(unit, filters.cleaned_data)))
        if table not in tables:
            raise Http404
        found = tables[table]
        return _csv_response(found, f"{unit.code}_{filters.cleaned_data['year']}_{found.file_stem}")


def _map_context(request: HttpRequest, unit: Unit | None) -> tuple[dict[str, Any], Any]:
    filters = _filters(request)
    context: dict[str, Any] = {"unit": unit, "filters": filters}
    if not filters.is_valid():
        return context, None
    data = filters.cleaned_data
    unit_map = unit_map_get(
        unit=unit,
        user=request.user,
        indicator=data["indicator"],
        year=data["year"],
        state=DataState(data["state"]),
        boundaries=Boundaries(data["boundaries"]),
    )
    context |= {
        "map": unit_map,
        "table": map_table(unit_map),
        "state_label": STATE_LABELS[unit_map.state],
        "filter_query": _filter_query(data),
    }
    return context, unit_map


@method_decorator(replica_reads(), name="get")
class MapView(RoleRequiredMixin, View):
    """The communes of a unit (or the country's provinces, without one) on a map."""

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=pk) if pk else None
        context, _found = _map_context(request, unit)
        return render(request, "analytics/map.html", context)


@method_decorator(replica_reads(), name="get")
class MapCsvView(RoleRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=pk) if pk else None
        context, unit_map = _map_context(request, unit)
        if unit_map is None:
            return HttpResponseBadRequest(context["filters"].errors.as_text())
        stem = f"{unit.code if unit else 'ca-nuoc'}_{unit_map.year}_{context['table'].file_stem}"
        return _csv_response(context["table"], stem)
