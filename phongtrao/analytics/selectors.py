"""Reads ready for the API: plain functions returning data, over the one roll-up engine."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone

from phongtrao.analytics.models import ACTIVE_STATUSES, RecountJob
from phongtrao.analytics.rollup import rollup, rollup_roots, unit_total
from phongtrao.analytics.states import COVERAGE_LABELS, DEFAULT_STATE, DataState
from phongtrao.catalog.models import Indicator, ReportForm, ReportFormUnitKind
from phongtrao.catalog.periods import period_parse
from phongtrao.catalog.selectors import form_indicators, indicator_get
from phongtrao.core.text import format_number
from phongtrao.reporting.models import Submission, SubmissionStatus
from phongtrao.reporting.selectors import Boundaries
from phongtrao.units.models import Unit, valid_on
from phongtrao.units.selectors import unit_get


def value_get(
    *,
    indicator_code: str,
    unit_code: str,
    period: str,
    boundaries: Boundaries | str = Boundaries.HISTORICAL,
    state: DataState | str = DEFAULT_STATE,
) -> Decimal | None:
    """`values get`: the unit is looked up on the period's end (historical) or today (current)."""
    parsed = period_parse(period)
    boundaries = Boundaries(boundaries)
    on = parsed.end if boundaries == Boundaries.HISTORICAL else timezone.localdate()
    unit = unit_get(code=unit_code, on=on)
    indicator = indicator_get(code=indicator_code)
    return unit_total(
        indicator=indicator, unit=unit, period=parsed.id, boundaries=boundaries, state=state
    )


@dataclass(frozen=True)
class Coverage:
    """How many of the units that must report a form are in a total, in its data state."""

    covered: int
    expected: int
    state: DataState

    @property
    def label(self) -> str:
        return str(COVERAGE_LABELS[self.state]) % {
            "covered": format_number(self.covered),
            "expected": format_number(self.expected),
        }


COVERED_STATUSES = {
    DataState.APPROVED: (SubmissionStatus.APPROVED,),
    DataState.SUBMITTED: (SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED),
    DataState.ALL: tuple(SubmissionStatus),
}


def coverage(
    *,
    form: ReportForm,
    unit: Unit,
    period: str,
    state: DataState | str = DEFAULT_STATE,
    boundaries: Boundaries | str = Boundaries.HISTORICAL,
) -> Coverage:
    """The units of the subtree (in today's boundaries, of the old units it took over too) that
    had to report the form for the period, and how many did in the state: `coverages` of the
    one pair, so that one count and many counts cannot drift apart.

    Drafts included (`all`) counts every unit that opened its report.
    """
    [found] = coverages(pairs=[(form, period)], unit=unit, state=state, boundaries=boundaries)
    return found


@dataclass(frozen=True)
class EntryTotal:
    indicator: Indicator
    total: Decimal | None  # None: nothing entered anywhere in the subtree


# The entry screen shows a unit's work in progress: its own drafts and those below it.
ENTRY_STATE = DataState.ALL


def entry_totals(*, form: ReportForm, unit: Unit, period: str) -> list[EntryTotal]:
    """The total of each numeric indicator of the form over the unit's subtree (its own value
    plus every unit's below it), as the entry screen shows it beside the unit's own cells.

    Everything entered counts, drafts included (`ENTRY_STATE`); the unit as it was in the
    period (historical boundaries), as its entry screen is. One query for the form's indicators
    and one `rollup` for all of them: a fixed number of queries, whatever the number of
    indicators and of units below.
    """
    indicators = [i for i in form_indicators(form=form) if i.is_numeric]
    return _entry_totals(indicators, unit=unit, period=period)


def entry_total(*, indicator: Indicator, unit: Unit, period: str) -> EntryTotal | None:
    """The total under one cell, as `entry_totals` gives it (None for a text indicator), for
    the answer to a saved cell: two queries whatever the form (three for an indicator
    aggregated by maximum, whose subtree's largest value is read apart)."""
    if not indicator.is_numeric:
        return None
    return _entry_totals([indicator], unit=unit, period=period)[0]


def _entry_totals(indicators: list[Indicator], *, unit: Unit, period: str) -> list[EntryTotal]:
    totals = rollup(
        indicators=indicators, units=[unit], periods=[period], boundaries=Boundaries.HISTORICAL,
        state=ENTRY_STATE,
    )  # fmt: skip
    return [EntryTotal(i, totals.get((i.pk, unit.pk, period))) for i in indicators]


def coverages(
    *,
    pairs: Sequence[tuple[ReportForm, str]],
    unit: Unit | None,
    state: DataState | str = DEFAULT_STATE,
    boundaries: Boundaries | str = Boundaries.HISTORICAL,
) -> list[Coverage]:
    """`coverage` of each (form, period) in `pairs`, in their order, in a fixed number of
    queries however many pairs: the forms' unit kinds, the subtree's roots (today's
    boundaries), the expected units and the covered reports. `unit=None` is the whole country.
    """
    state = DataState(state)
    if not pairs:
        return []
    kinds: dict[int, list[str]] = {}
    for form_id, kind in ReportFormUnitKind.objects.filter(
        form__in={form.pk for form, _ in pairs}
    ).values_list("form_id", "kind"):
        kinds.setdefault(form_id, []).append(kind)
    roots = rollup_roots([unit], Boundaries(boundaries))[unit.pk] if unit is not None else []

    def under(prefix: str = "") -> Q:
        found = Q()
        for root in roots:
            found |= Q(**{f"{prefix}path__startswith": root.unit.path})
        return found

    # A form no unit kind reports expects nobody (and an empty IN cannot filter a Count).
    asked = [
        (f"n{i}", form, period_parse(period))
        for i, (form, period) in enumerate(pairs)
        if kinds.get(form.pk)
    ]
    expected = Unit.objects.filter(under()).aggregate(**{
        name: Count("pk", filter=Q(kind__in=kinds[form.pk]) & valid_on(period.end))
        for name, form, period in asked
    }) if asked else {}  # fmt: skip
    covered = Submission.objects.filter(
        under("unit__"), status__in=COVERED_STATUSES[state]
    ).aggregate(**{
        name: Count("pk", filter=Q(
            form=form, period=period.id, unit__kind__in=kinds[form.pk],
        ) & valid_on(period.end, "unit__"))
        for name, form, period in asked
    }) if asked else {}  # fmt: skip
    return [
        Coverage(covered=covered.get(f"n{i}", 0), expected=expected.get(f"n{i}", 0), state=state)
        for i in range(len(pairs))
    ]


def recount_jobs_recent(
    *, status: str | None = None, page: int = 1, per_page: int = 20
) -> list[RecountJob]:
    """Recount jobs, newest first, one page of them, with who asked (one query)."""
    qs = RecountJob.objects.select_related("actor").order_by("-created_at", "-pk")
    if status:
        qs = qs.filter(status=status)
    start = (max(page, 1) - 1) * per_page
    return list(qs[start : start + per_page])


def recount_job_active() -> RecountJob | None:
    """The recount waiting or running, if any (there is at most one)."""
    return RecountJob.objects.filter(status__in=ACTIVE_STATUSES).first()
