from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from phongtrao.analytics.maps import (
    EMPTY_RADIUS,
    MAX_RADIUS,
    MIN_RADIUS,
    WIDTH,
    map_table,
    project,
    unit_map_get,
)
from phongtrao.analytics.states import DataState
from phongtrao.analytics.tests.test_dashboards import make_commune, put
from phongtrao.catalog.models import Indicator
from phongtrao.core.roles import Role
from phongtrao.reporting.selectors import Boundaries
from phongtrao.units.models import Unit

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 7)


def test_project_fits_the_units_box_north_up_with_longitude_squeezed_by_latitude():
    # given a 2-by-2-degree box around the equator: its south-west, south-east and north points
    xy, width, height = project([(-1.0, 100.0), (-1.0, 102.0), (1.0, 101.0)])
    # then x runs west to east over the width, y north to south, with a 24-unit margin
    assert (width, height) == (WIDTH, WIDTH)
    assert xy == [(24.0, 576.0), (576.0, 576.0), (300.0, 24.0)]


def test_project_draws_one_unit_in_the_middle():
    assert project([(0.0, 108.0)]) == ([(300.0, 300.0)], WIDTH, WIDTH)


def test_project_keeps_close_units_apart_from_the_edges():
    # given two units a tenth of a degree apart, at the equator
    xy, width, height = project([(0.0, 108.0), (0.1, 108.1)])
    # then they are drawn within a one-degree box about their middle, not in its corners
    assert (xy, height) == ([(272.4, 327.6), (327.6, 272.4)], 600)


def test_project_narrows_longitude_away_from_the_equator():
    # at 60 degrees north a degree of longitude is half a degree of latitude
    xy, width, height = project([(59.0, 10.0), (61.0, 14.0)])
    assert (xy, height) == ([(24.0, 576.0), (576.0, 24.0)], 600)


def test_project_keeps_a_tall_country_within_the_height():
    # given Vietnam's extent, 15 degrees tall and 8 wide
    xy, width, height = project([(8.6, 104.8), (23.4, 105.3), (16.0, 109.5), (21.0, 102.1)])
    # then it is drawn at most 1000 units tall, narrower than the width and centred across it
    assert (width, height) == (600, 1000)
    xs = [x for x, _ in xy]
    assert round(min(xs) + max(xs)) == WIDTH


def _events() -> Indicator:
    return Indicator.objects.get(code="FESTIVAL_EVENTS")


def _map(unit, user=None, **changes):
    options = {
        "year": 2026, "state": DataState.SUBMITTED, "boundaries": Boundaries.CURRENT,
        "today": TODAY,
    } | changes  # fmt: skip
    if "indicator" not in options:
        options["indicator"] = _events()
    return unit_map_get(unit=unit, user=user, **options)


def test_a_circles_area_grows_with_the_figure_and_a_unit_without_one_is_small(quang_ngai):
    # given two communes with 4 and 16 events, and one with none
    small, large, none = (make_commune(quang_ngai, f"Xã Thử {n}") for n in "ABC")
    places = ((15.0, 108.0), (15.2, 108.4), (15.1, 108.1))
    for unit, (lat, lon) in zip((small, large, none), places, strict=True):
        Unit.objects.filter(pk=unit.pk).update(latitude=lat, longitude=lon)
    put("FESTIVAL_EVENTS", small, "2026", 4)
    put("FESTIVAL_EVENTS", large, "2026", 16)
    # when the province's map is read
    found = {p.unit.name: p for p in _map(quang_ngai).points}
    # then the largest figure has the largest circle; a quarter of it, half the radius's way
    assert found["Xã Thử B"].r == MAX_RADIUS
    assert found["Xã Thử A"].r == MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) / 2
    assert (found["Xã Thử C"].value, found["Xã Thử C"].r) == (None, EMPTY_RADIUS)


def test_units_without_coordinates_are_listed_apart_with_their_figures(quang_ngai):
    commune = make_commune(quang_ngai, "Xã Không Tọa Độ")
    put("FESTIVAL_EVENTS", commune, "2026", 3)
    found = _map(quang_ngai)
    assert found.missing == [(commune, Decimal(3))]
    assert commune not in [p.unit for p in found.points]
    # the 96 communes of the official list all have coordinates
    assert len(found.points) == 96


def test_the_country_map_draws_the_provinces_the_user_sees(make_user, quang_ngai):
    user = make_user("qn_viewer", Role.VIEWER, (quang_ngai,))
    found = _map(None, user)
    assert [p.unit.name for p in found.points] == ["Tỉnh Quảng Ngãi"]
    # before the reform, the two old provinces it carries on
    old = _map(None, user, year=2024, boundaries=Boundaries.HISTORICAL)
    assert sorted(p.unit.name for p in old.points) == ["Tỉnh Kon Tum", "Tỉnh Quảng Ngãi"]


def test_the_map_of_a_province_runs_the_same_queries_for_2_or_10_communes(quang_ngai):
    events = _events()

    def counted() -> int:
        with CaptureQueriesContext(connection) as captured:
            _map(quang_ngai, indicator=events)
        return len(captured.captured_queries)

    for n in range(2):
        put("FESTIVAL_EVENTS", make_commune(quang_ngai, f"Xã Thử {n}"), "2026", 1)
    with_two = counted()
    for n in range(8):
        put("FESTIVAL_EVENTS", make_commune(quang_ngai, f"Xã Thêm {n}"), "2026", 1)
    assert (with_two, counted()) == (4, 4)


def test_the_maps_table_lists_every_unit_with_its_coordinates(quang_ngai, bo_y):
    put("FESTIVAL_EVENTS", bo_y, "2026", 2)
    table = map_table(_map(quang_ngai))
    row = next(r.cells for r in table.rows if r.cells[0] == bo_y)
    assert [c.header for c in table.columns] == ["Đơn vị", "Mã", "2026", "Vĩ độ", "Kinh độ"]
    assert row == [bo_y, "23377", Decimal(2), bo_y.latitude, bo_y.longitude]
    assert table.title == "Số điểm tổ chức Ngày hội năm 2026 theo đơn vị"
