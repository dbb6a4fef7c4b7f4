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

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phongtrao.analytics.rollup import own_values, rollup, rollup_roots
from phongtrao.analytics.selectors import COVERED_STATUSES, Coverage
from phongtrao.analytics.states import DataState
from phongtrao.analytics.tables import Chart, ChartType, Column, Kind, Row, Table
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
from phongtrao.units.models import Unit, UnitKind, valid_on

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
    one for the old units it took over in current boundaries), as `coverage` counts it."""
    roots = rollup_roots([unit], Boundaries(boundaries))[unit.pk]
    within = Q()
    for root in roots:
        within |= Q(path__startswith=root.unit.path)
    kinds = ReportFormUnitKind.objects.filter(form=form).values("kind")
    ends = {y: period_parse(str(y)).end for y in years}
    expected = Unit.objects.filter(within, kind__in=kinds).aggregate(
        **{f"e{y}": Count("pk", filter=valid_on(ends[y])) for y in years}
    )
    sent = Submission.objects.filter(
        form=form,
        period__in=[str(y) for y in years],
        unit__in=Unit.objects.filter(within, kind__in=kinds),
    )
    counts = {}
    for y in years:
        this = Q(period=str(y)) & valid_on(ends[y], "unit__")
        deadline = submission_deadline(form=form, period=period_parse(str(y)))
        counts |= {
            f"s{y}": Count("pk", filter=this & Q(status__in=SENT_STATUSES)),
            f"t{y}": Count(
                "pk", filter=this & Q(status__in=SENT_STATUSES, submitted_at__lt=deadline)
            ),
            f"a{y}": Count("pk", filter=this & Q(status=SubmissionStatus.APPROVED)),
            f"o{y}": Count("pk", filter=this & Q(status__in=COVERED_STATUSES[DataState.ALL])),
        }
    found = sent.aggregate(**counts) if years else {}
    return [
        YearCompleteness(
            year=y,
            expected=expected[f"e{y}"],
            submitted=found[f"s{y}"],
            on_time=found[f"t{y}"],
            approved=found[f"a{y}"],
            opened=found[f"o{y}"],
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


STATUS_LABELS = {
    None: gettext_lazy("Not started"),
    SubmissionStatus.DRAFT: gettext_lazy("Draft"),
    SubmissionStatus.RETURNED: gettext_lazy("Returned"),
    SubmissionStatus.SUBMITTED: gettext_lazy("Submitted"),
    SubmissionStatus.APPROVED: gettext_lazy("Approved"),
}
# Tables of a dashboard: the name in the URL, and the stem of the CSV file's name.
TABLE_FILES = {
    "key": "chi-tieu-chinh",
    "trend": "xu-huong",
    "ranking": "xep-hang",
    "completeness": "muc-do-day-du",
    "units": "so-lieu-don-vi",
    "statuses": "tinh-trang-bao-cao",
}
# At most this many units with a figure are drawn in a ranking's chart (all are in its table).
RANKING_CHART_LIMIT = 20


def _indicator_label(indicator: Indicator) -> str:
    unit = f" ({indicator.unit_of_measure})" if indicator.unit_of_measure else ""
    return f"{indicator.name}{unit}"


def dashboard_tables(dashboard: Dashboard) -> dict[str, Table]:
    """The dashboard's tables, each drawn as a chart or shown as figures, and downloadable."""
    q = dashboard.query
    this, last = str(q.year), str(q.year - 1)
    chosen = _indicator_label(q.indicator)
    tables = [
        Table(
            name="key",
            file_stem=TABLE_FILES["key"],
            title=_("Key figures of %(year)s") % {"year": q.year},
            columns=[
                Column(_("Indicator")),
                Column(_("Unit of measure")),
                Column(last, Kind.NUMBER),
                Column(this, Kind.NUMBER),
                Column(_("Change"), Kind.CHANGE),
                Column(_("Change (%)"), Kind.PERCENT_CHANGE),
            ],
            rows=[
                Row(
                    [
                        k.indicator.name,
                        k.indicator.unit_of_measure,
                        k.previous,
                        k.value,
                        k.delta,
                        k.percent,
                    ]
                )
                for k in dashboard.key
            ],  # fmt: skip
        ),
        Table(
            name="trend",
            file_stem=TABLE_FILES["trend"],
            title=_("%(indicator)s over the years") % {"indicator": q.indicator.name},
            columns=[Column(_("Year")), Column(chosen, Kind.NUMBER)],
            rows=[Row([str(p.year), p.value]) for p in dashboard.trend],
            chart=Chart(ChartType.LINE, labels=0, series=[1]),
        ),
        Table(
            name="ranking",
            file_stem=TABLE_FILES["ranking"],
            title=(
                _("Communes ranked by %(indicator)s")
                if dashboard.is_province
                else _("Units below ranked by %(indicator)s")
            )
            % {"indicator": q.indicator.name},
            columns=[
                Column(_("Rank"), Kind.NUMBER),
                Column(_("Unit"), Kind.UNIT),
                Column(this, Kind.NUMBER),
                Column(last, Kind.NUMBER),
                Column(_("Change"), Kind.CHANGE),
            ],
            rows=[Row([r.rank, r.unit, r.value, r.previous, r.delta]) for r in dashboard.ranking],
            chart=Chart(ChartType.HBAR, labels=1, series=[2], limit=RANKING_CHART_LIMIT),
        ),
        Table(
            name="completeness",
            file_stem=TABLE_FILES["completeness"],
            title=_("Completeness of the festival report"),
            columns=[
                Column(_("Year")),
                Column(_("Expected"), Kind.NUMBER),
                Column(_("Submitted"), Kind.NUMBER),
                Column(_("On time"), Kind.NUMBER),
                Column(_("Approved"), Kind.NUMBER),
                Column(_("Submitted (%)"), Kind.PERCENT),
                Column(_("Approved (%)"), Kind.PERCENT),
            ],
            rows=[
                Row(
                    [
                        str(c.year),
                        c.expected,
                        c.submitted,
                        c.on_time,
                        c.approved,
                        c.submitted_pct,
                        c.approved_pct,
                    ]
                )
                for c in dashboard.completeness
            ],  # fmt: skip
            chart=Chart(ChartType.BAR, labels=0, series=[5, 6], maximum=100),
        ),
    ]
    if not dashboard.is_province:
        tables += [
            Table(
                name="units",
                file_stem=TABLE_FILES["units"],
                title=_("Figures of %(year)s by unit") % {"year": q.year},
                columns=[
                    Column(_("Unit"), Kind.UNIT),
                    *[Column(i.name, Kind.NUMBER) for i in dashboard.indicators],
                ],
                rows=[
                    Row(
                        [_units_row_label(r), *r.values],
                        role="own" if r.is_own else "total" if r.is_total else "",
                    )
                    for r in dashboard.units_table
                ],
            ),
            Table(
                name="statuses",
                file_stem=TABLE_FILES["statuses"],
                title=_("Festival reports of %(year)s") % {"year": q.year},
                columns=[
                    Column(_("Unit"), Kind.UNIT),
                    Column(_("State")),
                    Column(_("Submitted at"), Kind.DATE),
                ],
                rows=[
                    Row([s.unit, str(STATUS_LABELS[s.status]), s.submitted_at])
                    for s in dashboard.statuses
                ],
            ),
        ]
    return {t.name: t for t in tables}


def _units_row_label(row: UnitFigures) -> Unit | str:
    if row.is_own:
        return _("%(unit)s (own report)") % {"unit": row.unit.name}
    if row.is_total:
        return _("Total of %(unit)s") % {"unit": row.unit.name}
    return row.unit
