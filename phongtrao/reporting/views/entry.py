"""The data entry screen: one unit, one form, one period; each cell saves itself."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.decorators.cache import cache_control

from phongtrao.catalog.models import Indicator, ReportForm
from phongtrao.catalog.selectors import (
    form_due_date,
    form_for_unit,
    form_lock_date,
    form_period_get,
)
from phongtrao.core.errors import AppError
from phongtrao.core.mixins import RefusalMixin, RoleRequiredMixin
from phongtrao.core.roles import Role
from phongtrao.core.text import format_number
from phongtrao.reporting import workflow
from phongtrao.reporting.forms import (
    CellForm,
    EntryStartForm,
    SubmissionActionForm,
)
from phongtrao.reporting.models import Submission
from phongtrao.reporting.selectors import entry_cell, entry_grid
from phongtrao.reporting.services import (
    EDITABLE_STATUSES,
    check_entry_open,
    data_value_save,
    derived_values_fill,
)
from phongtrao.reporting.views.unit_pick import kept, picker_context
from phongtrao.units.models import Unit


def entry_objects(
    request: HttpRequest, form_code: str, unit_pk: int, period: str
) -> tuple[ReportForm, Unit]:
    """Form and unit of an entry screen's URL (also of the totals analytics serves beside it);
    a unit outside the user's scope, a form of another province than the unit's, or a period
    the form does not have, is a 404."""
    unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=unit_pk)
    form = form_for_unit(code=form_code, unit=unit)
    try:
        form_period_get(form=form, period_id=period)
    except AppError:
        raise Http404 from None
    return form, unit


def _entry_url(form: ReportForm, unit: Unit, period: str) -> str:
    return reverse("reporting:entry", args=[form.code, unit.pk, period])


# The screen is the user's and changes with every save: a browser may keep it but asks again
# each time, and no shared cache keeps it. Its scripts and styles are static files (base.html),
# cached apart; no ETag here, as each page carries a fresh CSRF token.
@method_decorator(cache_control(private=True, no_cache=True), name="get")
class EntryView(RoleRequiredMixin, View):
    def get(self, request: HttpRequest, form_code: str, unit_pk: int, period: str) -> HttpResponse:
        form, unit = entry_objects(request, form_code, unit_pk, period)
        submission = (
            Submission.objects.filter(form=form, unit=unit, period=period)
            .select_related("submitted_by", "approved_by", "returned_by", "unit")
            .first()
        )
        errors, warnings = (
            workflow.submission_check(submission=submission) if submission else ([], [])
        )
        try:
            check_entry_open(form=form, unit=unit, period=period)
            closed_reason = ""
        except AppError as exc:
            closed_reason = exc.message
        editable = request.user.has_role(Role.DATA_ENTRY) and not closed_reason
        sections = entry_grid(form=form, unit=unit, period=period)
        locked_by_date = bool(closed_reason) and (
            submission is None or submission.status in EDITABLE_STATUSES
        )
        context = {
            "form": form,
            "unit": unit,
            "period": form_period_get(form=form, period_id=period),
            "sections": sections,
            "has_derived": any(c.derived for section in sections for c in section.cells),
            "submission": submission,
            "editable": editable,
            "closed_reason": closed_reason,
            "locked_by_date": locked_by_date,
            "rule_errors": errors,
            "rule_warnings": warnings,
            "due_date": form_due_date(form, period),
            "lock_date": form_lock_date(form, period),
            "actions": workflow.submission_actions(
                actor=request.user, unit=unit, submission=submission
            ),
        }
        return render(request, "reporting/entry.html", context)


class CellView(RefusalMixin, RoleRequiredMixin, View):
    """Saves one cell and answers with the cell redrawn, saved or refused.

    The entry screen posts to analytics' `EntryCellView`, built on this one, whose answer
    carries the total under the cell as well: totals over a subtree are analytics', a floor
    above reporting, which gives them through `cell_context` and its own template."""

    required_role = Role.DATA_ENTRY
    template_name = "reporting/_cell.html"

    def cell_context(self, *, unit: Unit, period: str, indicator: Indicator) -> dict:
        """What the cell's template needs besides the cell; nothing more here."""
        return {}

    def post(
        self, request: HttpRequest, form_code: str, unit_pk: int, period: str, indicator_code: str
    ) -> HttpResponse:
        form, unit = entry_objects(request, form_code, unit_pk, period)
        indicator = get_object_or_404(Indicator, code=indicator_code, items__form=form)
        cell_form = CellForm(request.POST)
        cell_form.is_valid()
        data = cell_form.cleaned_data
        context = {
            "form": form,
            "unit": unit,
            "period_id": period,
            "editable": True,
        }
        try:
            saved = data_value_save(
                actor=request.user,
                form=form,
                unit=unit,
                period=period,
                indicator=indicator,
                raw_value=data.get("value") or "",
                comment=data.get("comment") or "",
                expected_version=data.get("version") or None,
            )
        except AppError as exc:
            error = self.refusal_message(exc)
            context |= {
                "cell": entry_cell(form=form, indicator=indicator, unit=unit, period=period),
                "error": error,
                "typed": data.get("value") or "",
                "typed_comment": data.get("comment") or "",
                "conflict": getattr(exc, "conflict", None),
                **self.cell_context(unit=unit, period=period, indicator=indicator),
            }
            return render(request, self.template_name, context)
        # Redrawn as the screen draws it, so the outlier warning and the registries' figure
        # show against what was just typed.
        cell = entry_cell(form=form, indicator=indicator, unit=unit, period=period, value=saved)
        context |= {
            "cell": cell,
            "saved": True,
            **self.cell_context(unit=unit, period=period, indicator=indicator),
        }
        return render(request, self.template_name, context)


class DerivedFillView(RefusalMixin, RoleRequiredMixin, View):
    required_role = Role.DATA_ENTRY

    def post(self, request: HttpRequest, form_code: str, unit_pk: int, period: str) -> HttpResponse:
        form, unit = entry_objects(request, form_code, unit_pk, period)
        try:
            changed = derived_values_fill(actor=request.user, form=form, unit=unit, period=period)
        except AppError as exc:
            messages.error(request, self.refusal_message(exc))
        else:
            message = ngettext(
                "%(n)s cell filled from the registries.",
                "%(n)s cells filled from the registries.",
                changed,
            )
            messages.success(request, message % {"n": format_number(changed)})
        return redirect(_entry_url(form, unit, period))


class SubmissionActionView(RefusalMixin, RoleRequiredMixin, View):
    def post(self, request: HttpRequest, form_code: str, unit_pk: int, period: str) -> HttpResponse:
        form, unit = entry_objects(request, form_code, unit_pk, period)
        action_form = SubmissionActionForm(request.POST)
        if not action_form.is_valid():
            messages.error(request, _("The request was incomplete; reload the page."))
            return redirect(_entry_url(form, unit, period))
        data = action_form.cleaned_data
        try:
            submission = workflow.submission_open(
                actor=request.user, form=form, unit=unit, period=period
            ) if data["action"] in ("submit", "reopen") else get_object_or_404(
                Submission, form=form, unit=unit, period=period
            )  # fmt: skip
            self._act(request, submission, data)
        except AppError as exc:
            messages.error(request, " ".join([self.refusal_message(exc), *exc.details]))
        return redirect(_entry_url(form, unit, period))

    def _act(self, request: HttpRequest, submission: Submission, data: dict) -> None:
        version, text, user = data["version"], data.get("text") or "", request.user
        action = data["action"]
        if action == "submit":
            workflow.submission_submit(
                actor=user, submission=submission, expected_version=version, warning_comment=text
            )
            messages.success(request, _("The report has been submitted."))
        elif action == "withdraw":
            workflow.submission_withdraw(
                actor=user, submission=submission, expected_version=version
            )
            messages.success(request, _("The report has been withdrawn: it is a draft again."))
        elif action == "approve":
            workflow.submission_approve(
                actor=user, submission=submission, expected_version=version, comment=text
            )
            messages.success(request, _("The report has been approved."))
        elif action == "return":
            workflow.submission_return(
                actor=user, submission=submission, expected_version=version, reason=text
            )
            messages.success(request, _("The report has been returned to the unit."))
        elif action == "unapprove":
            workflow.submission_unapprove(
                actor=user, submission=submission, expected_version=version, reason=text
            )
            messages.success(request, _("The approval has been withdrawn."))
        elif action == "reopen" and data.get("until"):
            workflow.submission_reopen(
                actor=user, submission=submission, expected_version=version, until=data["until"]
            )
            messages.success(request, _("Entry has been reopened."))


class EntryStartView(RoleRequiredMixin, View):
    """Pick a form, a period and a unit of the user's tree, then open the entry screen.

    One GET form: "Open" (`open`) checks the choice and opens the screen; the picker's buttons
    (a level, a page, a search) only redraw the page, keeping the form and period chosen."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if "open" in request.GET:
            start = EntryStartForm(request.GET, user=user)
            if start.is_valid():
                data = start.cleaned_data
                return redirect(_entry_url(data["form"], data["unit"], data["period"]))
        else:
            start = EntryStartForm(initial=kept(request, ("form", "period")), user=user)
        context = {
            "start": start,
            **picker_context(request),
            "perms_data_entry": user.has_role(Role.DATA_ENTRY),
        }
        return render(request, "reporting/entry_start.html", context)
