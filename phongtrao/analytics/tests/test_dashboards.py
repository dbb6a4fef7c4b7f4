from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from phongtrao.analytics import dashboards
from phongtrao.analytics.dashboard_tables import dashboard_tables
from phongtrao.analytics.dashboards import (
    DashboardQuery,
    completeness_by_year,
    dashboard_get,
    default_year,
    key_indicators,
    ranked,
    units_below,
)
from phongtrao.analytics.selectors import coverage
from phongtrao.analytics.states import DataState
from phongtrao.catalog.models import Indicator, ReportForm
from phongtrao.core.text import search_key
from phongtrao.reporting.models import DataValue, Submission, SubmissionStatus, ValueState
from phongtrao.reporting.selectors import Boundaries
from phongtrao.units.models import REFORM_DATE, Unit, UnitKind

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 7)


def put(code: str, unit: Unit, period: str, number, state=ValueState.SUBMITTED) -> None:
    DataValue.objects.create(
        indicator=Indicator.objects.get(code=code), unit=unit, period=period,
        value=str(number), number=Decimal(number), state=state,
    )  # fmt: skip


def make_commune(province: Unit, name: str) -> Unit:
    """A commune of today's boundaries under the province (the services create no communes:
    they come from the official lists)."""
    unit = Unit.objects.create(
        code=f"T{Unit.objects.count()}", kind=UnitKind.COMMUNE, type_name="Xã", name=name,
        short_name=name, parent=province, depth=province.depth + 1, search_key=search_key(name),
        valid_from=REFORM_DATE,
    )  # fmt: skip
    unit.path = f"{province.path}{unit.pk}/"
    unit.save(update_fields=["path"])
    return unit


def query(unit: Unit, year: int = 2026, **changes) -> DashboardQuery:
    values = {
        "unit": unit,
        "year": year,
        "state": DataState.SUBMITTED,
        "boundaries": Boundaries.CURRENT,
        "indicator": Indicator.objects.get(code="FESTIVAL_EVENTS"),
    }
    return DashboardQuery(**(values | changes))


def test_a_key_figure_says_the_change_from_last_year(quang_ngai, bo_y, cam_thanh):
    # given festival events in two communes, 2025 and 2026
    put("FESTIVAL_EVENTS", bo_y, "2025", 8)
    put("FESTIVAL_EVENTS", cam_thanh, "2025", 4)
    put("FESTIVAL_EVENTS", bo_y, "2026", 5)
    put("FESTIVAL_EVENTS", cam_thanh, "2026", 4)
    # when the province's dashboard of 2026 is read
    found = dashboard_get(query=query(quang_ngai), today=TODAY)
    # then the figure is the province's total, with last year's beside it
    events = found.key[0]
    assert (events.indicator.code, events.value, events.previous) == (
        "FESTIVAL_EVENTS", Decimal(9), Decimal(12)
    )  # fmt: skip
    assert (events.delta, events.percent) == (Decimal(-3), Decimal("-25.0"))


def test_a_key_figure_without_last_year_has_no_change(quang_ngai, bo_y):
    put("SCHEMES_NEW", bo_y, "2026", 3)
    found = dashboard_get(query=query(quang_ngai), today=TODAY)
    schemes = next(k for k in found.key if k.indicator.code == "SCHEMES_NEW")
    assert (schemes.value, schemes.previous, schemes.delta, schemes.percent) == (
        Decimal(3), None, None, None
    )  # fmt: skip


def test_the_trend_runs_eight_years_through_the_reform_in_current_boundaries(
    quang_ngai, plei_kan, bo_y
):
    # given Plei Kần (now in Bờ Y) reported in 2019 and Bờ Y in 2026
    put("FESTIVAL_EVENTS", plei_kan, "2019", 2)
    put("FESTIVAL_EVENTS", bo_y, "2026", 5)
    # when the province's trend is read in today's and in historical boundaries
    current = dashboard_get(query=query(quang_ngai), today=TODAY).trend
    historical = dashboard_get(
        query=query(quang_ngai, boundaries=Boundaries.HISTORICAL), today=TODAY
    ).trend
    # then today's Quảng Ngãi carries the old town's 2019; the 2025 province did not exist then
    assert [(p.year, p.value) for p in current] == [
        (2019, Decimal(2)), (2020, None), (2021, None), (2022, None), (2023, None),
        (2024, None), (2025, None), (2026, Decimal(5)),
    ]  # fmt: skip
    assert [p.value for p in historical] == [None] * 7 + [Decimal(5)]


def test_the_trend_is_of_the_chosen_indicator(quang_ngai, bo_y):
    put("TIPS_RECEIVED", bo_y, "2025", 7)
    tips = Indicator.objects.get(code="TIPS_RECEIVED")
    found = dashboard_get(query=query(quang_ngai, indicator=tips), today=TODAY)
    assert [(p.year, p.value) for p in found.trend][-2:] == [(2025, Decimal(7)), (2026, None)]


def test_a_province_ranks_its_communes_highest_first_ties_sharing_a_rank(quang_ngai):
    # given three new communes with 5, 5 and 9 events in 2026, and one with none
    a, b, c, d = (make_commune(quang_ngai, f"Xã Thử {n}") for n in "ABCD")
    put("FESTIVAL_EVENTS", a, "2026", 5)
    put("FESTIVAL_EVENTS", b, "2026", 5)
    put("FESTIVAL_EVENTS", c, "2026", 9)
    put("FESTIVAL_EVENTS", c, "2025", 4)
    # when the province's dashboard is read
    ranking = dashboard_get(query=query(quang_ngai), today=TODAY).ranking
    # then the communes with a figure come first, ranked; the others follow without a rank
    top = [(r.rank, r.unit.name, r.value, r.previous, r.delta) for r in ranking[:3]]
    assert top == [
        (1, "Xã Thử C", Decimal(9), Decimal(4), Decimal(5)),
        (2, "Xã Thử A", Decimal(5), None, None),
        (2, "Xã Thử B", Decimal(5), None, None),
    ]
    assert d in [r.unit for r in ranking if r.rank is None]
    assert len(ranking) == Unit.objects.filter(parent=quang_ngai, kind="commune").count()


def test_ranked_puts_units_without_a_figure_last_in_their_order():
    units = [Unit(pk=1, name="A"), Unit(pk=2, name="B"), Unit(pk=3, name="C")]
    rows = ranked(units, {1: None, 2: Decimal(1), 3: None}, {})
    assert [(r.rank, r.unit.pk) for r in rows] == [(1, 2), (None, 1), (None, 3)]


def test_the_units_below_a_province_are_its_communes_in_force_on_the_day(quang_ngai, reform_eve):
    # given a commune of today's Quảng Ngãi and the day before the reform
    today = units_below(unit=quang_ngai, day=TODAY)
    before = units_below(unit=quang_ngai, day=reform_eve)
    # then today it has its 96 communes (not its police, an agency); before, it did not exist
    assert (len(today), {u.kind for u in today}, before) == (96, {"commune"}, [])


def test_the_units_below_a_commune_are_its_children(bo_y, make_area):
    area = make_area(bo_y, "Thôn Thử")
    assert units_below(unit=bo_y, day=TODAY) == [area]


def _sent(form, unit, period, status, at=None):
    return Submission.objects.create(
        form=form, unit=unit, period=period, status=status, submitted_at=at
    )


def test_completeness_by_year_counts_as_coverage_does_in_every_state(bo_y, make_area):
    # given Bờ Y, approved but late, and three villages: submitted on time, draft, never begun
    form = ReportForm.objects.get(code="FESTIVAL")
    areas = [make_area(bo_y, f"Thôn {n}") for n in "ABC"]
    on_time = timezone.make_aware(timezone.datetime(2026, 8, 20, 9))
    late = timezone.make_aware(timezone.datetime(2026, 9, 3, 9))
    _sent(form, bo_y, "2026", SubmissionStatus.APPROVED, late)
    _sent(form, areas[0], "2026", SubmissionStatus.SUBMITTED, on_time)
    _sent(form, areas[1], "2026", SubmissionStatus.DRAFT)
    # when its completeness over 2025 and 2026 is read
    years = completeness_by_year(
        form=form, unit=bo_y, years=[2025, 2026], boundaries=Boundaries.HISTORICAL
    )
    # then each year counts the units that had to report, and what they did (the villages
    # have no start date, so they had to report 2025 too)
    assert [(y.year, y.expected, y.submitted, y.on_time, y.approved, y.opened) for y in years] == [
        (2025, 4, 0, 0, 0, 0),
        (2026, 4, 2, 1, 1, 3),
    ]
    # and the figures covered in each state are coverage's own
    for state in DataState:
        expected = coverage(form=form, unit=bo_y, period="2026", state=state)
        assert (years[1].covered(state), years[1].expected) == (
            expected.covered,
            expected.expected,
        )


def test_the_dashboard_says_its_coverage_in_its_state(bo_y, make_area):
    form = ReportForm.objects.get(code="FESTIVAL")
    area = make_area(bo_y, "Thôn A")
    _sent(form, area, "2026", SubmissionStatus.SUBMITTED)
    found = dashboard_get(query=query(bo_y, state=DataState.APPROVED), today=TODAY)
    assert found.coverage.label == "Số liệu của 0/2 đơn vị có báo cáo đã được duyệt"


def test_a_commune_shows_its_own_figures_each_unit_below_and_its_total(bo_y, make_area):
    # given Bờ Y's own report and one village's, in 2026
    area = make_area(bo_y, "Thôn A")
    put("FESTIVAL_EVENTS", bo_y, "2026", 2)
    put("FESTIVAL_EVENTS", area, "2026", 1)
    put("SCHEMES_NEW", area, "2026", 3)
    # when its dashboard is read
    found = dashboard_get(query=query(bo_y), today=TODAY)
    # then its own report, the village and the total stand in the table, key indicators across
    rows = [(r.unit.name, r.is_own, r.is_total, r.values[0], r.values[2])
            for r in found.units_table]  # fmt: skip
    assert [i.code for i in found.indicators][:3] == [
        "FESTIVAL_EVENTS", "FESTIVAL_PARTICIPANTS", "SCHEMES_NEW"
    ]  # fmt: skip
    assert rows == [
        ("Xã Bờ Y", True, False, Decimal(2), None),
        ("Thôn A", False, False, Decimal(1), Decimal(3)),
        ("Xã Bờ Y", False, True, Decimal(3), Decimal(3)),
    ]


def test_a_commune_lists_the_reports_of_its_units_that_must_report(bo_y, make_area):
    form = ReportForm.objects.get(code="FESTIVAL")
    area = make_area(bo_y, "Thôn A")
    make_area(bo_y, "Công an xã", kind=UnitKind.POLICE_UNIT)
    _sent(form, area, "2026", SubmissionStatus.RETURNED)
    found = dashboard_get(query=query(bo_y), today=TODAY)
    # the police unit does not report the festival form, so it is not listed
    assert [(s.unit.name, s.status) for s in found.statuses] == [
        ("Xã Bờ Y", None),
        ("Thôn A", "returned"),
    ]


def test_a_unit_that_did_not_exist_that_year_says_so(quang_ngai):
    historical = dashboard_get(
        query=query(quang_ngai, year=2024, boundaries=Boundaries.HISTORICAL), today=TODAY
    )
    current = dashboard_get(query=query(quang_ngai, year=2024), today=TODAY)
    assert (historical.unit_in_force, current.unit_in_force) == (False, False)
    assert (historical.ranking, len(current.ranking)) == ([], 96)


def _count_queries(q: DashboardQuery) -> int:
    with CaptureQueriesContext(connection) as captured:
        dashboard_get(query=q, today=TODAY)
    return len(captured.captured_queries)


@pytest.mark.parametrize("boundaries", list(Boundaries))
def test_a_province_dashboard_runs_the_same_queries_for_2_or_10_communes_and_more_years(
    quang_ngai, monkeypatch, boundaries
):
    # given two communes that reported every year, each with a village that did too
    key_indicators()  # the catalogue's rows are read once per test, outside the count
    communes = []

    def add_communes(n: int) -> None:
        for _ in range(n):
            commune = make_commune(quang_ngai, f"Xã Thử {len(communes)}")
            communes.append(commune)
            for year in range(2019, 2027):
                put("FESTIVAL_EVENTS", commune, str(year), 1)
                put("SCHEMES_NEW", commune, str(year), 2)

    add_communes(2)
    q = query(quang_ngai, boundaries=boundaries)
    with_two = _count_queries(q)
    # when eight more communes report, and when the trend covers twelve years
    add_communes(8)
    with_ten = _count_queries(q)
    monkeypatch.setattr(dashboards, "TREND_YEARS", 12)
    twelve_years = _count_queries(q)
    # then the dashboard reads the same number of queries each time
    assert (with_two, with_ten, twelve_years) == (with_two, with_two, with_two)
    assert with_two == {Boundaries.HISTORICAL: 9, Boundaries.CURRENT: 12}[boundaries]


def test_a_commune_dashboard_runs_the_same_queries_for_2_or_10_villages(bo_y, make_area):
    key_indicators()

    def add_areas(n: int) -> None:
        for i in range(n):
            area = make_area(bo_y, f"Thôn {bo_y.children.count()}-{i}")
            put("FESTIVAL_EVENTS", area, "2026", 1)

    add_areas(2)
    with_two = _count_queries(query(bo_y))
    add_areas(8)
    assert (with_two, _count_queries(query(bo_y))) == (18, 18)


def test_default_year_is_this_year_once_its_report_is_due():
    form = ReportForm.objects.get(code="FESTIVAL")  # due on 31 August
    assert default_year(form=form, today=date(2026, 9, 1)) == 2026
    assert default_year(form=form, today=date(2026, 8, 31)) == 2025
    assert default_year(form=None, today=date(2026, 2, 1)) == 2026


def test_the_tables_of_a_province_dashboard_hold_what_its_charts_draw(quang_ngai, bo_y):
    put("FESTIVAL_EVENTS", bo_y, "2025", 8)
    put("FESTIVAL_EVENTS", bo_y, "2026", 5)
    tables = dashboard_tables(dashboard_get(query=query(quang_ngai), today=TODAY))
    # a province has no table of its own report and its villages
    assert list(tables) == ["key", "trend", "ranking", "completeness"]
    trend = tables["trend"]
    assert [c.header for c in trend.columns] == ["Năm", "Số điểm tổ chức Ngày hội (điểm)"]
    assert [r.cells for r in trend.rows][-2:] == [["2025", Decimal(8)], ["2026", Decimal(5)]]
    assert (trend.chart.type, trend.chart.labels, trend.chart.series) == ("line", 0, [1])
    key = tables["key"].rows[0].cells
    assert key == ["Số điểm tổ chức Ngày hội", "điểm", Decimal(8), Decimal(5), Decimal(-3),
                   Decimal("-37.5")]  # fmt: skip
