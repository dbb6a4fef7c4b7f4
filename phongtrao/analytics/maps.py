"""The map: units drawn at their centroids (Unit.latitude/longitude from the official lists),
as circles whose area grows with a chosen indicator; plain data that a template draws as SVG.

No boundary polygons: no maintained open data package that works offline has them for the
2025 units (vietnamadminunits has centroids, areas and, for the old units, bounding boxes;
see docs/dashboards.md). The projection is equirectangular around the units' mean latitude,
fitted to their bounding box, which is faithful enough at a province's or the country's size.
Every figure comes from one `rollup` over all the units drawn.
"""

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from phongtrao.analytics.dashboards import units_below, units_day
from phongtrao.analytics.rollup import rollup
from phongtrao.analytics.states import DataState
from phongtrao.analytics.tables import Column, Kind, Row, Table
from phongtrao.catalog.models import Indicator
from phongtrao.reporting.selectors import Boundaries
from phongtrao.units.models import Unit, UnitKind, valid_on

# The drawing's width in SVG units; its height follows the units' extent.
WIDTH = 600
MAX_HEIGHT = 1000
MARGIN = 24
# Circle radii: a unit without a figure, the smallest figure and the largest.
EMPTY_RADIUS = 3.0
MIN_RADIUS = 4.0
MAX_RADIUS = 22.0
# The smallest extent drawn, in degrees: two neighbouring provinces are not pushed into the
# corners of the drawing, and one unit stands in the middle.
MIN_SPAN = 1.0


@dataclass(frozen=True)
class MapPoint:
    unit: Unit
    value: Decimal | None
    x: float
    y: float
    r: float


@dataclass(frozen=True)
class LegendCircle:
    value: Decimal
    r: float


@dataclass(frozen=True)
class UnitMap:
    # The unit whose subtree is drawn; None for the provinces of the country.
    unit: Unit | None
    indicator: Indicator
    year: int
    state: DataState
    boundaries: Boundaries
    width: int
    height: int
    points: list[MapPoint]
    # Units without coordinates, with their figures: listed under the map.
    missing: list[tuple[Unit, Decimal | None]]
    legend: list[LegendCircle]


def _radius(value: Decimal | None, largest: Decimal | None) -> float:
    """Area proportional to the figure, so twice the events looks twice as big."""
    if value is None or largest is None or largest <= 0 or value <= 0:
        return EMPTY_RADIUS if value is None else MIN_RADIUS
    share = math.sqrt(float(value) / float(largest))
    return round(MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * share, 1)


def project(points: list[tuple[float, float]]) -> tuple[list[tuple[float, float]], int, int]:
    """(latitude, longitude) pairs to SVG (x, y) within WIDTH, north up, and the height."""
    if not points:
        return [], WIDTH, WIDTH // 2
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    # A degree of longitude is shorter than one of latitude away from the equator.
    squeeze = math.cos(math.radians((min(lats) + max(lats)) / 2))
    # The box to draw: the units' own, widened about its centre to MIN_SPAN where it is smaller.
    north = max(max(lats), (min(lats) + max(lats) + MIN_SPAN) / 2)
    south = min(min(lats), (min(lats) + max(lats) - MIN_SPAN) / 2)
    half = MIN_SPAN / squeeze / 2
    west = min(min(lons), (min(lons) + max(lons)) / 2 - half)
    east = max(max(lons), (min(lons) + max(lons)) / 2 + half)
    span_x = (east - west) * squeeze
    span_y = north - south
    inner = WIDTH - 2 * MARGIN
    # Fit the width; a tall extent (the country) is then narrowed to fit the height.
    scale = inner / span_x
    if span_y * scale > MAX_HEIGHT - 2 * MARGIN:
        scale = (MAX_HEIGHT - 2 * MARGIN) / span_y
    height = math.ceil(round(span_y * scale, 6)) + 2 * MARGIN
    # Centre the drawing across when it is narrower than the width.
    left = (WIDTH - span_x * scale) / 2
    projected = [
        (
            round(left + (lon - west) * squeeze * scale, 1),
            round(MARGIN + (north - lat) * scale, 1),
        )
        for lat, lon in points
    ]
    return projected, WIDTH, height


def _legend(largest: Decimal | None) -> list[LegendCircle]:
    if largest is None or largest <= 0:
        return []
    half = (largest / 2).quantize(Decimal(1)) if largest >= 2 else None
    values = [largest, *([half] if half and half != largest else [])]
    return [LegendCircle(v, _radius(v, largest)) for v in values]


def map_units(*, unit: Unit | None, user: Any, day: date) -> list[Unit]:
    """The units a map draws: the provinces the user sees, or what the unit's dashboard ranks."""
    if unit is not None:
        return units_below(unit=unit, day=day)
    provinces = Unit.objects.visible_to(user).filter(valid_on(day), kind=UnitKind.PROVINCE)
    return list(provinces.order_by("search_key", "code"))


def unit_map_get(
    *,
    unit: Unit | None,
    user: Any,
    indicator: Indicator,
    year: int,
    state: DataState,
    boundaries: Boundaries,
    today: date | None = None,
) -> UnitMap:
    """The map of a unit's communes (or units below), or of the country's provinces; a fixed
    number of queries: the units, and one roll-up over them all."""
    day = units_day(year=year, boundaries=boundaries, today=today)
    units = map_units(unit=unit, user=user, day=day)
    period = str(year)
    found = rollup(
        indicators=[indicator], units=units, periods=[period], boundaries=boundaries, state=state
    )
    values = {u.pk: found.get((indicator.pk, u.pk, period)) for u in units}
    placed = [u for u in units if u.latitude is not None and u.longitude is not None]
    xy, width, height = project([(u.latitude, u.longitude) for u in placed])
    largest = max((v for v in values.values() if v is not None), default=None)
    points = [
        MapPoint(u, values[u.pk], x, y, _radius(values[u.pk], largest))
        for u, (x, y) in zip(placed, xy, strict=True)
    ]
    # Large circles first, so the small ones on top of them can still be clicked.
    points.sort(key=lambda p: -p.r)
    return UnitMap(
        unit=unit,
        indicator=indicator,
        year=year,
        state=DataState(state),
        boundaries=Boundaries(boundaries),
        width=width,
        height=height,
        points=points,
        missing=[(u, values[u.pk]) for u in units if u not in placed],
        legend=_legend(largest),
    )


def map_table(unit_map: UnitMap) -> Table:
    """Every unit of the map with its figure and coordinates: the map's table and its CSV."""
    placed = sorted(unit_map.points, key=lambda p: (p.unit.search_key, p.unit.code))
    rows = [Row([p.unit, p.unit.code, p.value, p.unit.latitude, p.unit.longitude]) for p in placed]
    rows += [Row([u, u.code, value, None, None]) for u, value in unit_map.missing]
    return Table(
        name="map",
        file_stem="ban-do",
        title=_("%(indicator)s in %(year)s by unit")
        % {"indicator": unit_map.indicator.name, "year": unit_map.year},
        columns=[
            Column(_("Unit"), Kind.UNIT),
            Column(_("Code")),
            Column(str(unit_map.year), Kind.NUMBER),
            Column(_("Latitude"), Kind.NUMBER),
            Column(_("Longitude"), Kind.NUMBER),
        ],
        rows=rows,
    )
