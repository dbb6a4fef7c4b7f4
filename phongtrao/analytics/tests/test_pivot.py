from decimal import Decimal

import pytest

from phongtrao.analytics import pivot
from phongtrao.analytics.pivot import (
    Dimension,
    PivotQuery,
    Role,
    pivot_table,
)
from phongtrao.analytics.pivot_periods import period_range
from phongtrao.analytics.pivot_units import CHILDREN
from phongtrao.analytics.states import DataState
from phongtrao.catalog.models import Aggregation, Indicator
from phongtrao.core.errors import AppError
from phongtrao.core.roles import Role as UserRole
from phongtrao.reporting.models import DataValue, ValueState
from phongtrao.reporting.selectors import Boundaries

pytestmark = pytest.mark.django_db

EVENTS = "FESTIVAL_EVENTS"


def _put(code, unit, period, number, state=ValueState.SUBMITTED):
    DataValue.objects.create(
        indicator=Indicator.objects.get(code=code), unit=unit, period=period,
        value=str(number), number=Decimal(number), state=state,
    )  # fmt: skip


def _indicators(*codes):
    return tuple(Indicator.objects.get(code=code) for code in codes)


def _average():
    return Indicator.objects.create(
        code="TEST_AVERAGE", name="Tỷ lệ thử", aggregation=Aggregation.AVERAGE
    )


def _query(unit, periods=("2026",), codes=(EVENTS,), **changes):
    fields = {
        "rows": Dimension.UNIT, "columns": Dimension.INDICATOR, "indicators": _indicators(*codes),
        "unit": unit, "level": CHILDREN, "periods": tuple(period_range(periods[0], periods[-1])),
    } | changes  # fmt: skip
    return PivotQuery(**fields)


@pytest.fixture
def user(make_user, quang_ngai):
    return make_user("qn_approver", UserRole.APPROVER, (quang_ngai,))


@pytest.fixture
def areas(bo_y, make_area):
    return [make_area(bo_y, "Thôn A"), make_area(bo_y, "Thôn B")]


def _values(table):
    return [(line.member.label, [cell.value for cell in line.cells]) for line in table.lines]


def test_units_by_indicators_give_each_units_total_and_their_sum(bo_y, areas, user):
    # given two villages of Bờ Y reporting festival events for 2026
    _put(EVENTS, areas[0], "2026", 3)
    _put(EVENTS, areas[1], "2026", 5)
    # when
    table = pivot_table(query=_query(bo_y), user=user)
    # then each village has its row, and the total adds them (Bờ Y has no figure of its own)
    assert _values(table) == [
        ("Thôn A", [Decimal(3)]), ("Thôn B", [Decimal(5)]), ("Tổng cộng", [Decimal(8)]),
    ]  # fmt: skip
    assert [c.label for c in table.columns] == ["Số điểm tổ chức Ngày hội"]


def test_the_parents_own_figures_show_on_a_line_of_their_own(bo_y, areas, user):
    # given two villages and Bờ Y itself reporting
    _put(EVENTS, areas[0], "2026", 3)
    _put(EVENTS, areas[1], "2026", 5)
    _put(EVENTS, bo_y, "2026", 2)
    # when
    table = pivot_table(query=_query(bo_y), user=user)
    # then the villages add up to 8, and the whole commune, its own 2 included, to 10
    assert _values(table)[2:] == [
        ("Tổng cộng", [Decimal(8)]),
        ("Toàn Xã Bờ Y (kể cả số liệu của riêng đơn vị)", [Decimal(10)]),
    ]


def test_an_average_is_totalled_by_the_engine_on_the_parent_not_by_adding(bo_y, areas, user):
    # given an averaged indicator: 2 and 4 in the villages, 9 for the commune itself
    indicator = _average()
    for unit, number in ((areas[0], 2), (areas[1], 4), (bo_y, 9)):
        _put(indicator.code, unit, "2026", number)
    # when
    table = pivot_table(query=_query(bo_y, codes=(indicator.code,)), user=user)
    # then the total is the commune's average (2 + 4 + 9) / 3, not 2 + 4
    assert _values(table) == [
        ("Thôn A", [Decimal(2)]), ("Thôn B", [Decimal(4)]), ("Tổng cộng", [Decimal(5)]),
    ]  # fmt: skip


def test_quarters_in_columns_are_added_up_for_a_sum(bo_y, user):
    # given Bờ Y's events in three quarters of 2026
    for quarter, number in (("2026Q1", 1), ("2026Q2", 2), ("2026Q4", 4)):
        _put(EVENTS, bo_y, quarter, number)
    query = _query(
        bo_y, periods=("2026Q1", "2026Q4"), rows=Dimension.INDICATOR, columns=Dimension.PERIOD
    )
    # when
    table = pivot_table(query=query, user=user)
    # then
    assert [c.label for c in table.columns] == [
        "Quý I/2026", "Quý II/2026", "Quý III/2026", "Quý IV/2026", "Tổng cộng",
    ]  # fmt: skip
    assert _values(table) == [
        ("Số điểm tổ chức Ngày hội", [Decimal(1), Decimal(2), None, Decimal(4), Decimal(7)])
    ]


def test_an_average_over_the_quarters_of_a_year_is_the_years_own(bo_y, user):
    # given an averaged indicator: 2 in the first quarter, 3 and 7 in the second
    indicator = _average()
    _put(indicator.code, bo_y, "2026Q1", 2)
    _put(indicator.code, bo_y, "2026Q2", 3)
    _put(indicator.code, bo_y, "202605", 7)
    query = _query(
        bo_y, periods=("2026Q1", "2026Q4"), codes=(indicator.code,),
        rows=Dimension.INDICATOR, columns=Dimension.PERIOD,
    )  # fmt: skip
    # when
    table = pivot_table(query=query, user=user)
    # then the total column is the average over 2026 of the three values, (2 + 3 + 7) / 3
    assert _values(table)[0][1] == [Decimal(2), Decimal(5), None, None, Decimal(4)]


def test_an_average_over_several_years_is_left_empty_and_says_why(bo_y, user):
    # given an averaged indicator reported in 2025 and 2026
    indicator = _average()
    _put(indicator.code, bo_y, "2025", 2)
    _put(indicator.code, bo_y, "2026", 4)
    query = _query(
        bo_y, periods=("2025", "2026"), codes=(indicator.code,),
        rows=Dimension.INDICATOR, columns=Dimension.PERIOD,
    )  # fmt: skip
    # when
    table = pivot_table(query=query, user=user)
    # then
    assert _values(table)[0][1] == [Decimal(2), Decimal(4), None]
    assert table.notes == [
        "Tỷ lệ thử không cộng dồn được: tổng chỉ tính được cho một đơn vị hoặc trọn một năm, "
        "sáu tháng, một quý; các ô tổng khác để trống."
    ]


def test_a_range_of_years_as_the_filter_adds_up_each_cell(plei_kan, make_area, user):
    # given Plei Kần's village reporting in 2019, 2020 and 2022
    area = make_area(plei_kan, "Thôn Iệc")
    for year, number in (("2019", 10), ("2020", 20), ("2022", 40)):
        _put(EVENTS, area, year, number)
    # when the table of Plei Kần's units is asked for 2019 to 2022
    table = pivot_table(query=_query(plei_kan, periods=("2019", "2022")), user=user)
    # then the village's cell is the sum over the four years
    assert _values(table) == [("Thôn Iệc (đến 30/06/2025)", [Decimal(70)])]
    assert table.fixed[0] == "Kỳ báo cáo: từ Năm 2019 đến Năm 2022, cộng dồn"


def test_compare_gives_last_years_figure_the_change_and_the_percent(bo_y, areas, user):
    # given a village with 4 events in 2025 and 5 in 2026, another with 6 then 3
    _put(EVENTS, areas[0], "2025", 4)
    _put(EVENTS, areas[0], "2026", 5)
    _put(EVENTS, areas[1], "2025", 6)
    _put(EVENTS, areas[1], "2026", 3)
    # when
    table = pivot_table(query=_query(bo_y, compare=True), user=user)
    # then
    cells = [line.cells[0] for line in table.lines]
    assert [(c.value, c.previous, c.change, c.percent) for c in cells] == [
        (Decimal(5), Decimal(4), Decimal(1), Decimal("25.0")),
        (Decimal(3), Decimal(6), Decimal(-3), Decimal("-50.0")),
        (Decimal(8), Decimal(10), Decimal(-2), Decimal("-20.0")),
    ]


def test_equal_figures_share_a_rank_among_sibling_units(bo_y, areas, make_area, user):
    # given three villages with 5, 5 and 7 events, and a fourth with none
    third = make_area(bo_y, "Thôn C")
    make_area(bo_y, "Thôn D")
    for unit, number in ((areas[0], 5), (areas[1], 5), (third, 7)):
        _put(EVENTS, unit, "2026", number)
    # when
    table = pivot_table(query=_query(bo_y, rank=True), user=user)
    # then the tied villages are second, the one without figures and the total have no rank
    ranks = [(line.member.label, line.cells[0].rank) for line in table.lines]
    assert ranks == [
        ("Thôn A", 2), ("Thôn B", 2), ("Thôn C", 1), ("Thôn D", None), ("Tổng cộng", None),
    ]  # fmt: skip


def test_todays_boundaries_carry_an_old_communes_figures_into_its_successor(
    plei_kan, quang_ngai, bo_y, user
):
    # given Plei Kần (now in Xã Bờ Y) reported 1.240 events in 2019
    _put(EVENTS, plei_kan, "2019", 1240)
    # when Quảng Ngãi's communes are shown for 2019 in today's and in 2019's boundaries
    current = pivot_table(
        query=_query(quang_ngai, periods=("2019",), boundaries=Boundaries.CURRENT), user=user
    )
    historical = pivot_table(query=_query(quang_ngai, periods=("2019",)), user=user)
    # then today's Bờ Y carries it; the Quảng Ngãi of 2019 had no such commune
    bo_y_line = next(line for line in current.lines if line.member.item == bo_y)
    assert bo_y_line.cells[0].value == Decimal(1240)
    assert historical.lines == []
    assert historical.notes == ["Ngày 31/12/2019, Tỉnh Quảng Ngãi không có đơn vị trực thuộc nào."]


@pytest.mark.parametrize(
    ("state", "expected"),
    [(DataState.APPROVED, Decimal(1)), (DataState.SUBMITTED, Decimal(11)),
     (DataState.ALL, Decimal(111))],
)  # fmt: skip
def test_the_data_state_chooses_which_reports_count(bo_y, areas, user, state, expected):
    # given an approved, a submitted and a draft figure below Bờ Y
    _put(EVENTS, areas[0], "2026", 1, ValueState.APPROVED)
    _put(EVENTS, areas[1], "2026", 10, ValueState.SUBMITTED)
    _put(EVENTS, bo_y, "2026", 100, ValueState.DRAFT)
    query = _query(
        bo_y, rows=Dimension.INDICATOR, columns=Dimension.PERIOD, level=CHILDREN, state=state
    )
    # when
    table = pivot_table(query=query, user=user)
    # then
    assert _values(table) == [("Số điểm tổ chức Ngày hội", [expected])]


def test_two_indicators_as_the_filter_are_refused(bo_y, user):
    query = _query(bo_y, codes=(EVENTS, "SCHEMES_NEW"), columns=Dimension.PERIOD)
    with pytest.raises(AppError) as refused:
        pivot_table(query=query, user=user)
    assert refused.value.message == (
        "Chỉ tiêu không nằm ở hàng hay cột: hãy chọn đúng một chỉ tiêu, hoặc đặt chỉ tiêu vào "
        "hàng hoặc cột."
    )


def test_a_table_too_large_is_refused(bo_y, areas, user, monkeypatch):
    # given a limit of 2 cells and a table of 3 rows (two villages, the total)
    monkeypatch.setattr(pivot, "MAX_CELLS", 2)
    with pytest.raises(AppError) as refused:
        pivot_table(query=_query(bo_y), user=user)
    assert refused.value.message == (
        "Bảng sẽ có 3 ô, nhiều hơn 2: hãy chọn ít đơn vị, chỉ tiêu hoặc kỳ hơn, hoặc một đơn vị "
        "cấp dưới."
    )


def test_the_coverage_of_the_festival_form_is_said_for_each_period(bo_y, areas, user):
    # when the table of Bờ Y for 2026 counts festival events
    table = pivot_table(query=_query(bo_y), user=user)
    # then it says how many of the units that must report the festival form are in it
    assert table.coverage == [
        "Báo cáo kết quả tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc, Năm 2026: "
        "Số liệu của 0/3 đơn vị đã gửi báo cáo"
    ]


def test_the_member_roles_mark_the_total_lines(bo_y, areas, user):
    table = pivot_table(query=_query(bo_y), user=user)
    assert [line.member.role for line in table.lines] == [Role.ITEM, Role.ITEM, Role.TOTAL]
