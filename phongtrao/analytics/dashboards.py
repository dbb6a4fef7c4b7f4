"""Dashboards of a province and of a commune: plain data for the pages, the CSV downloads and
the API, every figure from the one roll-up engine (`rollup`).

A dashboard is read in a fixed number of queries, whatever the number of communes under the
unit or of years in its trends: one `rollup` per block of figures (each many indicators x
units x years at once), two grouped counts for the completeness of every year, and one list of
the units below. Nothing here loops over units or years with a query inside.

What the dashboard compares:
- a province (or an old district) ranks its communes; a commune (or any unit below) lists the
  units directly below it, its villages, schools and agencies, with its own report beside them;
- the units below are those in force at the end of the year (historical boundaries) or today
  (current boundaries, each carrying the old units it took over).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.utils import timezone

from phongtrao.analytics.rollup import own_values, rollup, rollup_roots
from phongtrao.analytics.selectors import COVERED_STATUSES, Coverage
from phongtrao.analytics.states import DataState
from phongtrao.catalog.models import (
    Indicator,
    ReportForm,
    ReportFormItem,
    ReportFormUnitKind,
    ValueType,
)
from phongtrao.catalog.periods import period_parse
from phongtrao.catalog.selectors import form_due_date
from phongtrao.reporting.completeness import (
    SENT_STATUSES,
    Figures,
    percent,
    submission_deadline,
)
from phongtrao.reporting.models import Submission, SubmissionStatus
from phongtrao.reporting.selectors import Boundaries
from phongtrao.units.models import Unit, UnitKind, in_force, valid_on

# The festival form: its completeness is the dashboard's, its indicators may be charted.
FORM_CODE = "FESTIVAL"
# Figures every dashboard opens with, in this order (those missing from the catalogue are left
# out); the first is charted until the user picks another indicator.
KEY_CODES = (
    "FESTIVAL_EVENTS",
    "FESTIVAL_PARTICIPANTS",
    "SCHEMES_NEW",
    "SCHEMES_REPLICATED",
    "SCHEMES_MAINTAINED",
    "SECURITY_TEAMS",
    "OUTREACH_SESSIONS",
    "TIPS_RECEIVED",
)
# How many years a trend shows, the chosen one last.
TREND_YEARS = 8
# Units that compare the communes below them; every other unit lists its own children.
PROVINCE_LEVEL = (UnitKind.PROVINCE, UnitKind.DISTRICT)


@dataclass(frozen=True)
class Change:
    """A figure of the year beside last year's."""

    value: Decimal | None
    previous: Decimal | None

    @property
    def delta(self) -> Decimal | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def percent(self) -> Decimal | None:
        """The change in percent of last year's figure; None when last year had none (or 0)."""
        if self.delta is None or not self.previous:
            return None
        return percent(self.delta, self.previous)


@dataclass(frozen=True)
class KeyFigure(Change):
    indicator: Indicator | None = None


@dataclass(frozen=True)
class TrendPoint:
    year: int
    value: Decimal | None


@dataclass(frozen=True)
class RankedUnit(Change):
    unit: Unit | None = None
    # 1 for the highest figure; equal figures share a rank (1, 2, 2, 4); None without a figure.
    rank: int | None = None


@dataclass(frozen=True)
class YearCompleteness(Figures):
    """Reporting's completeness figures for one year; `opened` counts every report begun,
    drafts included."""

    year: int = 0
    opened: int = 0

    def covered(self, state: DataState) -> int:
        return {
            DataState.APPROVED: self.approved,
            DataState.SUBMITTED: self.submitted,
            DataState.ALL: self.opened,
        }[DataState(state)]


@dataclass(frozen=True)
class UnitFigures:
    """One row of a commune's table: the commune's own report, a unit below it, or the total."""

    unit: Unit
    values: list[Decimal | None]
    is_own: bool = False
    is_total: bool = False


@dataclass(frozen=True)
class ReportStatus:
    """Where a unit below stands with its report of the year; status None: not begun."""

    unit: Unit
    status: str | None
    submitted_at: datetime | None = None


@dataclass(frozen=True)
class DashboardQuery:
    unit: Unit
    year: int
    state: DataState
    boundaries: Boundaries
    # The indicator of the trend, the ranking and the map.
    indicator: Indicator


@dataclass(frozen=True)
class Dashboard:
    query: DashboardQuery
    is_province: bool
    indicators: list[Indicator]
    key: list[KeyFigure]
    trend: list[TrendPoint]
    ranking: list[RankedUnit]
    completeness: list[YearCompleteness]
    coverage: Coverage | None
    # The units below were taken as they stood on this day.
    units_on: date
    # Whether the unit itself existed at the end of the year (in historical boundaries it has
    # no figures otherwise).
    unit_in_force: bool
    # A commune's own figures and those of each unit below it, for the key indicators.
    units_table: list[UnitFigures]
    statuses: list[ReportStatus]


def key_indicators() -> list[Indicator]:
    """The dashboard's key indicators that the catalogue has, in KEY_CODES order; one query."""
    found = {i.code: i for i in Indicator.objects.filter(code__in=KEY_CODES)}
    return [found[code] for code in KEY_CODES if code in found]


def chart_indicators() -> list[Indicator]:
    """Indicators a dashboard or a map may chart: the festival form's numbers; one query."""
    items = (
        ReportFormItem.objects.filter(
            form__code=FORM_CODE, indicator__value_type__in=(ValueType.WHOLE, ValueType.DECIMAL)
        )
        .select_related("indicator")
        .order_by("section__order", "section_id", "order", "id")
    )
    return [item.indicator for item in items]


def default_year(*, form: ReportForm | None, today: date | None = None) -> int:
    """The latest year whose report is due: this year once its due day has passed, else last
    year (in February the new year's reports have not come in yet)."""
    today = today or timezone.localdate()
    if form is None or today > form_due_date(form, str(today.year)):
        return today.year
    return today.year - 1


def is_province_level(unit: Unit) -> bool:
    return unit.kind in PROVINCE_LEVEL


def units_day(*, year: int, boundaries: Boundaries, today: date | None = None) -> date:
    """The day the units below are taken on: the year's end, or today in current boundaries."""
    if Boundaries(boundaries) == Boundaries.CURRENT:
        return today or timezone.localdate()
    return period_parse(str(year)).end


def units_below(*, unit: Unit, day: date) -> list[Unit]:
    """What a dashboard compares: a province's communes, or a commune's own children; one query.

    The diacritic-free key sorts "Đăk Bla" among the D's, as Vietnamese readers expect.
    """
    if not unit.is_valid_on(day):
        return []
    below = Unit.objects.filter(valid_on(day))
    if is_province_level(unit):
        below = below.filter(path__startswith=unit.path, kind=UnitKind.COMMUNE)
    else:
        below = below.filter(parent=unit)
    return list(below.order_by("search_key", "code"))


def ranked(
    units: Sequence[Unit], values: dict[int, Decimal | None], previous: dict[int, Decimal | None]
) -> list[RankedUnit]:
    """Highest figure first; equal figures share a rank, units without one come last, unranked."""
    with_value = sorted(
        (u for u in units if values.get(u.pk) is not None), key=lambda u: -values[u.pk]
    )
    rows: list[RankedUnit] = []
    for position, unit in enumerate(with_value, start=1):
        tied = rows and rows[-1].value == values[unit.pk]
        rank = rows[-1].rank if tied else position
        rows.append(RankedUnit(values[unit.pk], previous.get(unit.pk), unit=unit, rank=rank))
    rows += [
        RankedUnit(None, previous.get(u.pk), unit=u) for u in units if values.get(u.pk) is None
    ]
    return rows


def completeness_by_year(
    *, form: ReportForm, unit: Unit, years: Sequence[int], boundaries: Boundaries
) -> list[YearCompleteness]:
    """The form's completeness over the unit's subtree for each year, in two grouped counts (and
    one for the old units it took over in current boundaries), as `coverage` counts it.

    The counts are grouped by the units' dates of force, of which a province has a handful, and
    sorted into years here: one FILTER clause per year and figure made the query cost more to
    build than to run."""
    roots = rollup_roots([unit], Boundaries(boundaries))[unit.pk]
    within = Q()
    for root in roots:
        within |= Q(path__startswith=root.unit.path)
    kinds = ReportFormUnitKind.objects.filter(form=form).values("kind")
    ends = {y: period_parse(str(y)).end for y in years}
    forces = Unit.objects.filter(within, kind__in=kinds).values_list("valid_from", "valid_to")
    expected = dict.fromkeys(years, 0)
    for valid_from, valid_to, count in forces.annotate(count=Count("pk")).order_by():
        for y in years:
            expected[y] += count if in_force(valid_from, valid_to, ends[y]) else 0
    on_time = Q(pk__in=[])
    for y in years:
        deadline = submission_deadline(form=form, period=period_parse(str(y)))
        on_time |= Q(period=str(y), submitted_at__lt=deadline)
    sent = (
        Submission.objects.filter(
            form=form,
            period__in=[str(y) for y in years],
            unit__in=Unit.objects.filter(within, kind__in=kinds),
        )
        .annotate(on_time=ExpressionWrapper(on_time, output_field=BooleanField()))
        .values_list("period", "status", "on_time", "unit__valid_from", "unit__valid_to")
        .annotate(count=Count("pk"))
        .order_by()
    )
    # Per year: submitted, on time, approved, opened.
    found = {y: [0, 0, 0, 0] for y in years}
    for period, status, in_time, valid_from, valid_to, count in sent:
        year = int(period)
        if not in_force(valid_from, valid_to, ends[year]):
            continue
        figures = found[year]
        if status in SENT_STATUSES:
            figures[0] += count
            figures[1] += count if in_time else 0
        figures[2] += count if status == SubmissionStatus.APPROVED else 0
        figures[3] += count if status in COVERED_STATUSES[DataState.ALL] else 0
    return [
        YearCompleteness(
            year=y,
            expected=expected[y],
            submitted=found[y][0],
            on_time=found[y][1],
            approved=found[y][2],
            opened=found[y][3],
        )
        for y in years
    ]


def report_statuses(
    *, form: ReportForm, unit: Unit, units: Sequence[Unit], year: int
) -> list[ReportStatus]:
    """The year's report of the unit itself and of each unit below that must report the form;
    two queries."""
    kinds = set(ReportFormUnitKind.objects.filter(form=form).values_list("kind", flat=True))
    reporting = [u for u in [unit, *units] if u.kind in kinds]
    found = {
        s.unit_id: s
        for s in Submission.objects.filter(
            form=form, period=str(year), unit__in=[u.pk for u in reporting]
        ).only("unit_id", "status", "submitted_at")
    }
    return [
        ReportStatus(
            unit=u,
            status=found[u.pk].status if u.pk in found else None,
            submitted_at=found[u.pk].submitted_at if u.pk in found else None,
        )
        for u in reporting
    ]


def dashboard_get(
    *, query: DashboardQuery, indicators: list[Indicator] | None = None, today: date | None = None
) -> Dashboard:
    """Everything a dashboard shows, in a fixed number of queries (see the module's docstring)."""
    unit, year = query.unit, query.year
    indicators = key_indicators() if indicators is None else indicators
    years = list(range(year - TREND_YEARS + 1, year + 1))
    periods = [str(y) for y in years]
    this, last = str(year), str(year - 1)
    common = {"boundaries": query.boundaries, "state": query.state}

    # The unit's own totals: key indicators and the charted one, every year of the trend.
    charted = [*indicators, *([query.indicator] if query.indicator not in indicators else [])]
    totals = rollup(indicators=charted, units=[unit], periods=periods, **common)
    key = [
        KeyFigure(totals.get((i.pk, unit.pk, this)), totals.get((i.pk, unit.pk, last)), indicator=i)
        for i in indicators
    ]
    trend = [TrendPoint(y, totals.get((query.indicator.pk, unit.pk, str(y)))) for y in years]

    # The units below, ranked by the charted indicator, with last year's figure.
    day = units_day(year=year, boundaries=query.boundaries, today=today)
    below = units_below(unit=unit, day=day)
    found = rollup(indicators=[query.indicator], units=below, periods=[this, last], **common)
    ranking = ranked(
        below,
        {u.pk: found.get((query.indicator.pk, u.pk, this)) for u in below},
        {u.pk: found.get((query.indicator.pk, u.pk, last)) for u in below},
    )

    form = ReportForm.objects.filter(code=FORM_CODE).first()
    completeness = (
        completeness_by_year(form=form, unit=unit, years=years, boundaries=query.boundaries)
        if form
        else []
    )
    coverage = None
    if completeness:
        latest = completeness[-1]
        coverage = Coverage(latest.covered(query.state), latest.expected, query.state)

    units_table: list[UnitFigures] = []
    statuses: list[ReportStatus] = []
    if not is_province_level(unit):
        units_table = _units_table(query=query, indicators=indicators, below=below, totals=totals)
        if form:
            statuses = report_statuses(form=form, unit=unit, units=below, year=year)
    return Dashboard(
        query=query,
        is_province=is_province_level(unit),
        indicators=indicators,
        key=key,
        trend=trend,
        ranking=ranking,
        completeness=completeness,
        coverage=coverage,
        units_on=day,
        unit_in_force=unit.is_valid_on(period_parse(this).end),
        units_table=units_table,
        statuses=statuses,
    )


def _units_table(
    *, query: DashboardQuery, indicators: list[Indicator], below: list[Unit], totals: dict
) -> list[UnitFigures]:
    """A commune's own figures, each unit's below it, then its total (which in current
    boundaries also carries the old units it took over)."""
    unit, this = query.unit, str(query.year)
    own = own_values(indicators=indicators, units=[unit], periods=[this], state=query.state)
    found = rollup(
        indicators=indicators, units=below, periods=[this],
        boundaries=query.boundaries, state=query.state,
    )  # fmt: skip
    rows = [UnitFigures(unit, [own.get((i.pk, unit.pk, this)) for i in indicators], is_own=True)]
    rows += [UnitFigures(u, [found.get((i.pk, u.pk, this)) for i in indicators]) for u in below]
    rows.append(
        UnitFigures(unit, [totals.get((i.pk, unit.pk, this)) for i in indicators], is_total=True)
    )
    return rows
