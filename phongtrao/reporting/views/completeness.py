"""The completeness page: who reported a form for a period, in time, and who must be chased."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from phongtrao.catalog.models import ReportForm
from phongtrao.catalog.periods import PeriodType, period_containing, period_parse
from phongtrao.catalog.selectors import form_choices, form_lock_date, form_period_get
from phongtrao.core.errors import AppError
from phongtrao.core.forms import DateInput
from phongtrao.core.mixins import RefusalMixin, RoleRequiredMixin
from phongtrao.core.roles import Role
from phongtrao.core.text import format_date, format_number
from phongtrao.reporting.approval_bulk import submissions_approve_many
from phongtrao.reporting.completeness import (
    Figures,
    approvable_submissions,
    completeness_get,
    late_units,
)
from phongtrao.reporting.reopening import period_reopen_subtree
from phongtrao.units.forms import UnitChoiceField, unit_in_tree
from phongtrao.units.models import ADMINISTRATIVE_KINDS, Unit

LATE_PER_PAGE = 50
DEFAULT_FORM = "FESTIVAL"


class CompletenessFilterForm(forms.Form):
    form = forms.ModelChoiceField(
        label=_("Form"),
        queryset=ReportForm.objects.none(),
        to_field_name="code",
    )
    period = forms.CharField(label=_("Period"), max_length=8)
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none(), labelled_by=unit_in_tree)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # National forms and those of the user's provinces.
        self.fields["form"].queryset = form_choices(user=user)
        # Units are those in force when the period ends: for 2019, Kon Tum and its communes.
        self.day = self._period_end() or timezone.localdate()
        self.fields["unit"].queryset = (
            Unit.objects.visible_to(user)
            .valid_on(self.day)
            .filter(kind__in=ADMINISTRATIVE_KINDS)
            .order_by("path")
        )

    def _period_end(self) -> date | None:
        try:
            return period_parse(self.data.get("period", "")).end
        except AppError:
            return None

    def clean(self) -> dict:
        data = super().clean()
        if data.get("form") and data.get("period"):
            try:
                data["period"] = form_period_get(form=data["form"], period_id=data["period"])
            except AppError as exc:
                self.add_error("period", exc.message)
        return data


def _defaults(request: HttpRequest) -> dict[str, str]:
    """What the page shows when opened from the menu: the festival form, this year, my unit."""
    choices = form_choices(user=request.user)
    form = choices.filter(code=DEFAULT_FORM).first() or choices.first()
    data = dict(request.GET.items())
    if form and not data.get("form"):
        data["form"] = form.code
    if form and not data.get("period"):
        data["period"] = period_containing(timezone.localdate(), PeriodType(form.period_type)).id
    if not data.get("unit"):
        try:
            day = period_parse(data.get("period", "")).end
        except AppError:
            day = timezone.localdate()
        visible = Unit.objects.visible_to(request.user).valid_on(day)
        unit = (
            visible.filter(users=request.user).order_by("depth", "path").first()
            or visible.filter(kind__in=ADMINISTRATIVE_KINDS).order_by("depth", "path").first()
        )
        if unit:
            data["unit"] = str(unit.pk)
    return data


@dataclass(frozen=True)
class FiguresDisplay:
    """Figures as officials write them: 1.240 units, 85,7%."""

    expected: str
    submitted: str
    on_time: str
    approved: str
    submitted_pct: str
    on_time_pct: str
    approved_pct: str


def _percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{format_number(value)}%"


def figures_display(figures: Figures) -> FiguresDisplay:
    return FiguresDisplay(
        expected=format_number(figures.expected),
        submitted=format_number(figures.submitted),
        on_time=format_number(figures.on_time),
        approved=format_number(figures.approved),
        submitted_pct=_percent(figures.submitted_pct),
        on_time_pct=_percent(figures.on_time_pct),
        approved_pct=_percent(figures.approved_pct),
    )


# The day a reopening offered on the page runs to, counted from today.
REOPEN_DAYS = 14


class CompletenessView(RoleRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        filters = CompletenessFilterForm(_defaults(request), user=request.user)
        context: dict[str, Any] = {"filters": filters}
        if filters.is_valid():
            form, period, unit = (filters.cleaned_data[k] for k in ("form", "period", "unit"))
            report = completeness_get(form=form, period=period, unit=unit, user=request.user)
            late = late_units(form=form, period=period, unit=unit, user=request.user)
            lock = form_lock_date(form, period)
            today = timezone.localdate()
            if lock and today > lock and request.user.has_role(Role.APPROVER):
                # Entry has closed: an approver reopens it for the whole subtree at once.
                context["reopen"] = {
                    "lock": lock, "until": today + timedelta(days=REOPEN_DAYS),
                    "form": ReopenSubtreeForm(
                        initial={"form": form.code, "period": period.id, "unit": unit.pk,
                                 "until": today + timedelta(days=REOPEN_DAYS)},
                        user=request.user,
                    ),
                }  # fmt: skip
            approvable = approvable_submissions(
                form=form, period=period, units=[row.unit for row in report.rows],
                user=request.user,
            )  # fmt: skip
            context |= {
                "report": report,
                "totals": figures_display(report.totals),
                "rows": [
                    (row, figures_display(row.figures), approvable.get(row.unit.pk))
                    for row in report.rows
                ],
                "approvable": bool(approvable),
                "late_page": Paginator(late, LATE_PER_PAGE).get_page(request.GET.get("page")),
                "drill_kinds": ADMINISTRATIVE_KINDS,
                # Links carry the filters explicitly: the page may have been opened bare.
                "filter_query": urlencode({"form": form.code, "period": period.id}),
                "page_query": urlencode({"form": form.code, "period": period.id, "unit": unit.pk}),
            }
        return render(request, "reporting/completeness.html", context)


class ReopenSubtreeForm(forms.Form):
    form = forms.ModelChoiceField(
        label=_("Form"), queryset=ReportForm.objects.none(), to_field_name="code",
        widget=forms.HiddenInput,
    )  # fmt: skip
    period = forms.CharField(label=_("Period"), max_length=8, widget=forms.HiddenInput)
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), widget=forms.HiddenInput
    )
    until = forms.DateField(label=_("Reopen until"), widget=DateInput)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["form"].queryset = form_choices(user=user)
        self.fields["unit"].queryset = Unit.objects.visible_to(user)


class ReopenSubtreeView(RoleRequiredMixin, RefusalMixin, View):
    """An approver reopens a closed period for every unit of a subtree, from the completeness
    page, and comes back to it."""

    required_role = Role.APPROVER

    def post(self, request: HttpRequest) -> HttpResponse:
        data = ReopenSubtreeForm(request.POST, user=request.user)
        query = urlencode({k: request.POST.get(k, "") for k in ("form", "period", "unit")})
        back = redirect(f"{reverse('reporting:completeness')}?{query}")
        if not data.is_valid():
            errors = [e for field in data.errors.values() for e in field]
            messages.error(request, " ".join(errors))
            return back
        form, unit, until = (data.cleaned_data[k] for k in ("form", "unit", "until"))
        period = data.cleaned_data["period"]
        try:
            count = period_reopen_subtree(
                actor=request.user, form=form, unit=unit, period=period, until=until
            )
        except AppError as exc:
            messages.error(request, self.refusal_message(exc))
            return back
        # The period as officials write it ("Quý III/2019"), as the page and the notifications
        # name it, not its identifier ("2019Q3").
        messages.success(
            request,
            gettext("Entry for %(period)s reopened until %(date)s for %(n)s reports of %(unit)s.")
            % {"period": period_parse(period).label, "date": format_date(until),
               "n": format_number(count), "unit": unit.name},
        )  # fmt: skip
        return back


class ApproveManyForm(forms.Form):
    submission = forms.TypedMultipleChoiceField(
        label=_("Reports"), coerce=int, required=False, choices=(),
    )  # fmt: skip
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any id is let through here: the service decides what each one may be.
        ids = [v for v in self.data.getlist("submission") if v.isdigit()]
        self.fields["submission"].choices = [(v, v) for v in ids]


class ApproveManyView(RoleRequiredMixin, RefusalMixin, View):
    """Approve the reports ticked on the completeness page, then come back to it."""

    required_role = Role.APPROVER

    def post(self, request: HttpRequest) -> HttpResponse:
        query = urlencode({k: request.POST.get(k, "") for k in ("form", "period", "unit")})
        back = redirect(f"{reverse('reporting:completeness')}?{query}")
        data = ApproveManyForm(request.POST)
        if not data.is_valid():
            messages.error(request, gettext("Choose at least one report to approve."))
            return back
        try:
            approved = submissions_approve_many(
                actor=request.user,
                submission_ids=data.cleaned_data["submission"],
                comment=data.cleaned_data["comment"],
            )
        except AppError as exc:
            messages.error(request, " ".join([self.refusal_message(exc), *exc.details]))
            return back
        messages.success(
            request,
            gettext("%(n)s reports approved: %(units)s.")
            % {"n": format_number(len(approved)),
               "units": ", ".join(s.unit.name for s in approved)},
        )  # fmt: skip
        return back
