"""The pivot table's query: a GET form, so the whole query lives in the URL and can be shared."""

from datetime import date
from typing import Any

from django import forms
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from phongtrao.analytics.pivot import Dimension, PivotQuery
from phongtrao.analytics.pivot_export import BOUNDARY_LABELS, DIMENSION_LABELS
from phongtrao.analytics.pivot_periods import period_range
from phongtrao.analytics.pivot_units import CHILDREN, LEVEL_LABELS
from phongtrao.analytics.states import DEFAULT_STATE, STATE_LABELS, DataState
from phongtrao.catalog.models import NUMERIC_VALUE_TYPES, Indicator
from phongtrao.catalog.ownership import visible_q
from phongtrao.catalog.periods import period_parse
from phongtrao.core.errors import AppError
from phongtrao.reporting.selectors import Boundaries
from phongtrao.units.forms import unit_in_tree
from phongtrao.units.models import ADMINISTRATIVE_KINDS, Unit, valid_on
from phongtrao.units.scope import scope_paths

FORMATS = ["", "xlsx", "csv"]
# The page opened from the menu: key figures of the festival report.
DEFAULT_INDICATORS = [
    "FESTIVAL_EVENTS", "FESTIVAL_PARTICIPANTS", "OUTREACH_SESSIONS", "SCHEMES_NEW",
    "SECURITY_TEAMS", "TIPS_RECEIVED",
]  # fmt: skip


def _choices(labels: dict) -> list[tuple[str, Any]]:
    return [(key.value, capfirst(label)) for key, label in labels.items()]


class PivotForm(forms.Form):
    rows = forms.ChoiceField(label=_("Rows"), choices=_choices(DIMENSION_LABELS))
    cols = forms.ChoiceField(label=_("Columns"), choices=_choices(DIMENSION_LABELS))
    indicator = forms.ModelMultipleChoiceField(
        label=_("Indicators"), queryset=Indicator.objects.none(), to_field_name="code",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )  # fmt: skip
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int, required=False, empty_value=None)
    level = forms.ChoiceField(label=_("Units listed"), required=False)
    period = forms.CharField(
        label=_("Period"), max_length=8, help_text=_("2019, 2019S1, 2019Q3 or 201908")
    )
    until = forms.CharField(label=_("To period"), max_length=8, required=False)
    state = forms.ChoiceField(label=_("Data"), choices=_choices(STATE_LABELS))
    boundaries = forms.ChoiceField(label=_("Boundaries"), choices=_choices(BOUNDARY_LABELS))
    compare = forms.BooleanField(label=_("Same period last year"), required=False)
    rank = forms.BooleanField(label=_("Rank among units"), required=False)
    # Set by the download links, not shown.
    format = forms.ChoiceField(
        choices=[(f, f) for f in FORMATS], required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.filter(
            visible_q(user), is_active=True, value_type__in=NUMERIC_VALUE_TYPES
        ).order_by("code")
        self.fields["indicator"].label_from_instance = lambda i: f"{i.name} ({i.code})"
        self.fields["level"].choices = [(k, capfirst(label)) for k, label in LEVEL_LABELS.items()]
        self.fields["unit"].choices = self._unit_choices(user)

    def _unit_choices(self, user: Any) -> list[tuple[Any, str]]:
        """Units in force at the period's end or today, old ones saying until when: Kon Tum
        and today's Quảng Ngãi for 2019. Any unit in scope is accepted (the view checks it)."""
        day, today = self._period_end() or timezone.localdate(), timezone.localdate()
        offered = Q(valid_on(day) | valid_on(today), kind__in=ADMINISTRATIVE_KINDS)
        # The unit asked for is kept in the list, whatever it is (the view checks it).
        asked = self.data.get("unit", "")
        # A number no id reaches (more than 11 digits) is refused as a choice, not looked up.
        pk = int(asked) if asked.isdigit() and len(asked) < 12 else None
        if pk is not None:
            offered |= Q(pk=pk)
        units = (
            Unit.objects.visible_to(user)
            .filter(offered)
            .only("pk", "name", "depth", "valid_to")
            .order_by("path")
        )
        choices: list[tuple[Any, str]] = [(u.pk, unit_in_tree(u)) for u in units]
        if "" in scope_paths(user):
            choices.insert(0, ("", capfirst(_("the whole country"))))
        if pk is not None and pk not in {value for value, _label in choices}:
            # Out of scope or missing: accepted here, not found by the view (404).
            choices.append((pk, asked))
        return choices

    def _period_end(self) -> date | None:
        try:
            return period_parse(self.data.get("until") or self.data.get("period", "")).end
        except AppError:
            return None

    def clean_indicator(self) -> list[Indicator]:
        """In the order the URL names them, not the catalogue's."""
        order = {code: i for i, code in enumerate(self.data.getlist("indicator"))}
        return sorted(self.cleaned_data["indicator"], key=lambda i: order.get(i.code, 0))

    def clean(self) -> dict:
        data = super().clean()
        if data.get("period"):
            try:
                data["periods"] = period_range(data["period"], data.get("until", ""))
            except AppError as exc:
                self.add_error("until" if data.get("until") else "period", exc.message)
        if data.get("rows") and data.get("rows") == data.get("cols"):
            self.add_error("cols", _("Rows and columns must be two different dimensions."))
        return data

    def pivot_query(self, unit: Unit | None) -> PivotQuery:
        data = self.cleaned_data
        return PivotQuery(
            rows=Dimension(data["rows"]), columns=Dimension(data["cols"]),
            indicators=tuple(data["indicator"]), unit=unit, level=data.get("level") or CHILDREN,
            periods=tuple(data["periods"]), state=DataState(data["state"]),
            boundaries=Boundaries(data["boundaries"]), compare=data["compare"], rank=data["rank"],
        )  # fmt: skip


def pivot_defaults(query: QueryDict, *, user: Any) -> QueryDict:
    """The page opened from the menu: the units below my unit by key indicators, this year,
    submitted and approved data in the boundaries of the time."""
    data = query.copy()
    rows = data.get("rows") or Dimension.UNIT
    defaults = {
        "rows": rows,
        # Anything but the rows: indicators beside units, else units.
        "cols": Dimension.INDICATOR if rows != Dimension.INDICATOR else Dimension.UNIT,
        "period": str(timezone.localdate().year), "state": DEFAULT_STATE,
        "boundaries": Boundaries.HISTORICAL,
    }  # fmt: skip
    for key, value in defaults.items():
        if not data.get(key):
            data[key] = value
    if not data.getlist("indicator"):
        found = set(
            Indicator.objects.filter(code__in=DEFAULT_INDICATORS, is_active=True).values_list(
                "code", flat=True
            )
        )
        codes = [code for code in DEFAULT_INDICATORS if code in found]
        on_axis = Dimension.INDICATOR in (data["rows"], data["cols"])
        data.setlist("indicator", codes if on_axis else codes[:1])
    if "unit" not in data and "" not in scope_paths(user):
        mine = user.units.order_by("depth", "path").first() if user.is_authenticated else None
        if mine is not None:
            data["unit"] = str(mine.pk)
    return data
