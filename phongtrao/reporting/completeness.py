"""Completeness and timeliness: who had to report a form for a period, who did, and in time.

Every figure is counted in SQL. Units are grouped by the child of the chosen unit they sit
under, read from the materialised path, so a province with a hundred communes and thousands
of residential areas costs the same few queries as a commune with five.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import StrIndex, Substr
from django.utils import timezone

from phongtrao.catalog.models import ReportForm, ReportFormUnitKind
from phongtrao.catalog.periods import Period
from phongtrao.catalog.selectors import form_due_date
from phongtrao.core.roles import Role
from phongtrao.reporting.approvers import approver_reach_q
from phongtrao.reporting.models import Submission, SubmissionStatus
from phongtrao.units.models import Unit, valid_on
from phongtrao.units.scope import scope_q

# Deadlines are days in Vietnam, whatever the server's clock says.
REPORTING_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
SENT_STATUSES = (SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED)


def percent(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    """Part of whole in percent, one decimal, rounded half up; None for a whole of nothing."""
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Figures:
    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    approved: int = 0

    def __add__(self, other: "Figures") -> "Figures":
        return Figures(
            self.expected + other.expected,
            self.submitted + other.submitted,
            self.on_time + other.on_time,
            self.approved + other.approved,
        )

    @property
    def submitted_pct(self) -> Decimal | None:
        return percent(self.submitted, self.expected)

    @property
    def on_time_pct(self) -> Decimal | None:
        return percent(self.on_time, self.expected)

    @property
    def approved_pct(self) -> Decimal | None:
        return percent(self.approved, self.expected)


@dataclass(frozen=True)
class CompletenessRow:
    unit: Unit
    figures: Figures
    # The chosen unit's own report, as opposed to everything under one of its children.
    is_own: bool = False


@dataclass(frozen=True)
class Completeness:
    form: ReportForm
    period: Period
    unit: Unit
    due_date: date
    is_past_due: bool
    totals: Figures
    rows: list[CompletenessRow]


def submission_deadline(*, form: ReportForm, period: Period) -> datetime:
    """The first instant that is late: midnight after the due day, Vietnamese time."""
    due = form_due_date(form, period)
    return datetime.combine(due + timedelta(days=1), time.min, tzinfo=REPORTING_TZ)


def _child_path(root: Unit, field: str) -> Substr:
    """The path of the root's child a unit sits under ("85/12842/"); the root's own path for it.

    The rest of the path after the root's runs to the next "/", which ends the child's id; the
    root itself has no rest, so its position is 0 and the root's path comes back unchanged.
    """
    rest = Substr(field, len(root.path) + 1)
    return Substr(field, 1, Value(len(root.path)) + StrIndex(rest, Value("/")))


def _unit_filter(*, form: ReportForm, period: Period, root: Unit, user: Any, prefix: str = "") -> Q:
    kinds = ReportFormUnitKind.objects.filter(form=form).values("kind")
    return (
        Q(**{f"{prefix}path__startswith": root.path, f"{prefix}kind__in": kinds})
        & valid_on(period.end, prefix)
        & scope_q(user, f"{prefix}path")
    )


def expected_units(*, form: ReportForm, period: Period, unit: Unit, user: Any) -> QuerySet[Unit]:
    """Units in the subtree, in force on the period's end, of a kind that reports the form."""
    return Unit.objects.filter(_unit_filter(form=form, period=period, root=unit, user=user))


def completeness_get(
    *, form: ReportForm, period: Period, unit: Unit, user: Any, today: date | None = None
) -> Completeness:
    """Totals and one row per child of `unit` (plus its own report), in three queries."""
    deadline = submission_deadline(form=form, period=period)
    expected = (
        expected_units(form=form, period=period, unit=unit, user=user)
        .annotate(child=_child_path(unit, "path"))
        .values("child")
        .annotate(n=Count("pk"))
        .order_by()
    )
    sent = (
        Submission.objects.filter(
            _unit_filter(form=form, period=period, root=unit, user=user, prefix="unit__"),
            form=form,
            period=period.id,
            status__in=SENT_STATUSES,
        )
        .annotate(child=_child_path(unit, "unit__path"))
        .values("child")
        .annotate(
            submitted=Count("pk"),
            on_time=Count("pk", filter=Q(submitted_at__lt=deadline)),
            approved=Count("pk", filter=Q(status=SubmissionStatus.APPROVED)),
        )
        .order_by()
    )
    by_child = {row["child"]: Figures(expected=row["n"]) for row in expected}
    for row in sent:
        base = by_child.get(row["child"], Figures())
        by_child[row["child"]] = Figures(
            base.expected, row["submitted"], row["on_time"], row["approved"]
        )
    children = (
        Unit.objects.valid_on(period.end)
        .filter(scope_q(user), parent=unit)
        .filter(path__in=list(by_child))
        # The diacritic-free key sorts "Đăk Bla" among the D's, as Vietnamese readers expect.
        .order_by("search_key", "code")
    )
    rows = (
        [CompletenessRow(unit, by_child[unit.path], is_own=True)] if unit.path in by_child else []
    )
    rows += [CompletenessRow(child, by_child[child.path]) for child in children]
    due = form_due_date(form, period)
    return Completeness(
        form=form,
        period=period,
        unit=unit,
        due_date=due,
        is_past_due=(today or timezone.localdate()) > due,
        totals=sum(by_child.values(), Figures()),
        rows=rows,
    )


def late_units(*, form: ReportForm, period: Period, unit: Unit, user: Any) -> QuerySet[Unit]:
    """Expected units that have not submitted, with their parent and their report's status.

    `submission_status` is None when the unit never opened the report, else draft or returned.
    """
    submissions = Submission.objects.filter(form=form, period=period.id)
    status = submissions.filter(unit=OuterRef("pk")).values("status")[:1]
    return (
        expected_units(form=form, period=period, unit=unit, user=user)
        .exclude(pk__in=submissions.filter(status__in=SENT_STATUSES).values("unit_id"))
        .annotate(submission_status=Subquery(status))
        .select_related("parent")
        .order_by("path")
    )


def approvable_submissions(
    *, form: ReportForm, period: Period, units: list[Unit], user: Any
) -> dict[int, int]:
    """Unit id -> id of its own report of the form and period, for those of the units whose
    report is sent and waits for this user's approval (the workflow's approver rule, in SQL):
    the reports the completeness page lets them approve together. A few queries, whatever the
    number of units."""
    if not units or not user.has_role(Role.APPROVER):
        return {}
    return dict(
        Submission.objects.filter(
            form=form,
            period=period.id,
            status=SubmissionStatus.SUBMITTED,
            unit__in=Unit.objects.filter(approver_reach_q(user), pk__in=[u.pk for u in units]),
        ).values_list("unit_id", "pk")
    )
