"""Reads ready for the API: plain functions returning data, over the one roll-up engine."""

from decimal import Decimal

from django.utils import timezone

from phongtrao.analytics.rollup import unit_total
from phongtrao.analytics.states import DEFAULT_STATE, DataState
from phongtrao.catalog.periods import period_parse
from phongtrao.catalog.selectors import indicator_get
from phongtrao.reporting.selectors import Boundaries
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
