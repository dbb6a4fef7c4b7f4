"""What a user must do now, for the home page: reports of their units to enter or send, and
reports of the units below them to approve; plain data, read with reporting's own rules.

- To send (data entry and above): for each of the user's units and each form it reports, the
  period under way and the one before it while entry is still open for them (the form's lock
  date, or a reopening), unless the report is sent or approved; and any draft or returned
  report of the unit that can still be sent. Each says its due day and whether it is late.
- To approve (approvers): submitted reports of units standing below one of the user's units,
  by the workflow's rule (`reporting.workflow`): anything strictly below the unit itself, and
  below an old unit it took over in 2025 only from a higher level (a commune does not approve
  the commune it succeeded). Nearest units first.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from phongtrao.catalog.models import ReportForm
from phongtrao.catalog.periods import Period, PeriodType, period_containing, period_parse
from phongtrao.catalog.selectors import (
    form_due_date,
    form_has_period,
    form_lock_date,
    forms_for_unit,
)
from phongtrao.core.roles import Role
from phongtrao.reporting.approvers import GRASSROOTS_LEVEL, LEVELS
from phongtrao.reporting.models import Submission, SubmissionStatus
from phongtrao.reporting.services import EDITABLE_STATUSES, value_period_problem
from phongtrao.units.models import Unit, UnitKind, UnitSuccession

# How many reports to approve the home page lists; the rest are counted.
APPROVALS_SHOWN = 20


@dataclass(frozen=True)
class ReportTask:
    form: ReportForm
    unit: Unit
    period: Period
    due: date
    # None: not begun; else draft or returned.
    status: str | None
    returned_reason: str
    is_late: bool


@dataclass(frozen=True)
class Worklist:
    to_send: list[ReportTask]
    to_approve: list[Submission]
    # Every report waiting for the user's approval; `to_approve` holds the first of them.
    to_approve_count: int

    @property
    def is_empty(self) -> bool:
        return not (self.to_send or self.to_approve_count)


def _open_for_entry(form: ReportForm, unit: Unit, period: Period, today: date, reopened) -> bool:
    problem = value_period_problem(
        unit_name=unit.name, unit_valid_to=unit.valid_to, period=period, today=today
    )
    if problem or not unit.is_valid_on(period.end):
        return False
    lock = form_lock_date(form, period)
    return lock is None or today <= lock or (reopened is not None and today <= reopened)


def reports_to_send(*, units: list[Unit], today: date | None = None) -> list[ReportTask]:
    """Reports of these units to enter or send, earliest due first; one query per unit for its
    forms and one for the reports."""
    today = today or timezone.localdate()
    candidates: dict[tuple[int, int, str], tuple[ReportForm, Unit, Period]] = {}
    for unit in units:
        for form in forms_for_unit(unit=unit):
            current = period_containing(today, PeriodType(form.period_type))
            for period in (current.previous(), current):
                if form_has_period(form, period.id):
                    candidates[(form.pk, unit.pk, period.id)] = (form, unit, period)
    forms = {form.pk: form for form, _, _ in candidates.values()}
    by_unit = {u.pk: u for u in units}
    reports = Submission.objects.filter(unit__in=list(by_unit)).filter(
        Q(status__in=EDITABLE_STATUSES)
        | Q(form__in=list(forms), period__in={p.id for _, _, p in candidates.values()})
    )
    found = {(s.form_id, s.unit_id, s.period): s for s in reports.select_related("form")}
    tasks = []
    for key in {*candidates, *found}:
        submission = found.get(key)
        if submission is not None and submission.status not in EDITABLE_STATUSES:
            continue
        form = submission.form if submission else candidates[key][0]
        unit = by_unit[key[1]]
        period = period_parse(key[2])
        reopened = submission.reopened_until if submission else None
        if not _open_for_entry(form, unit, period, today, reopened):
            continue
        due = form_due_date(form, period)
        tasks.append(
            ReportTask(
                form=form,
                unit=unit,
                period=period,
                due=due,
                status=submission.status if submission else None,
                returned_reason=submission.returned_reason if submission else "",
                is_late=today > due,
            )
        )
    return sorted(tasks, key=lambda t: (t.due, t.unit.path, t.form.code))


def _level(kind: str) -> int:
    return LEVELS.get(kind, GRASSROOTS_LEVEL)


def _kinds_below(level: int) -> list[str]:
    return [k for k in UnitKind.values if _level(k) > level]


def approvable_q(units: list[Unit]) -> Q:
    """Submissions of units these units stand above (approvers.stands_above, as a filter)."""
    condition = Q(pk__in=[])
    for unit in units:
        condition |= Q(unit__path__startswith=unit.path) & ~Q(unit__path=unit.path)
    inherited = UnitSuccession.objects.filter(successor__in=units).select_related("predecessor")
    levels = {u.pk: _level(u.kind) for u in units}
    for succession in inherited:
        path = succession.predecessor.path
        condition |= (
            Q(unit__path__startswith=path)
            & ~Q(unit__path=path)
            & Q(unit__kind__in=_kinds_below(levels[succession.successor_id]))
        )
    return condition


def reports_to_approve(*, user: Any) -> QuerySet[Submission]:
    """Submitted reports the user may approve, nearest units first, then the earliest sent."""
    if not user.has_role(Role.APPROVER):
        return Submission.objects.none()
    submitted = Submission.objects.filter(status=SubmissionStatus.SUBMITTED)
    if not user.is_superuser:
        submitted = submitted.filter(approvable_q(list(user.units.all())))
    return submitted.select_related("form", "unit", "unit__parent", "submitted_by").order_by(
        "unit__depth", "submitted_at", "unit__path"
    )


def worklist_get(*, user: Any, today: date | None = None) -> Worklist:
    """Reports to send (data entry and above) and to approve (approvers) for the home page."""
    units = list(user.units.order_by("depth", "path"))
    to_send = reports_to_send(units=units, today=today) if user.has_role(Role.DATA_ENTRY) else []
    waiting = reports_to_approve(user=user)
    shown = list(waiting[:APPROVALS_SHOWN])
    count = len(shown) if len(shown) < APPROVALS_SHOWN else waiting.count()
    return Worklist(to_send=to_send, to_approve=shown, to_approve_count=count)
