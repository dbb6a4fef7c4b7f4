"""Property-based: for random trees, values, states and successions, every roll-up equals a
direct sum of the values, each counted once, for its nearest root and by that root's share."""

from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from phongtrao.analytics.rollup import rollup
from phongtrao.analytics.states import STORED_STATES, DataState
from phongtrao.analytics.totals import totals_differences
from phongtrao.catalog.models import Indicator
from phongtrao.catalog.periods import period_parse
from phongtrao.reporting.models import DataValue, ValueState
from phongtrao.reporting.selectors import Boundaries, period_ids_within
from phongtrao.units.models import Unit, UnitKind, UnitSuccession

pytestmark = pytest.mark.django_db

PERIODS = ["2019", "2019S2", "2019Q3", "201908", "2020"]
ASKED = ["2019", "2019S2", "2020"]

trees = st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=12)
values = st.lists(
    st.tuples(
        st.integers(0, 12),  # unit (index, wrapped)
        st.integers(0, 1),  # indicator
        st.sampled_from(PERIODS),
        st.integers(0, 999),
        st.sampled_from(list(ValueState)),
    ),
    max_size=25,
)
successions = st.lists(
    st.tuples(st.integers(0, 12), st.integers(0, 1), st.sampled_from(["1", "0.5", "0.25"])),
    max_size=4,
)


def _unit(parent: Unit, n: int, kind: str = UnitKind.RESIDENTIAL_AREA) -> Unit:
    unit = Unit.objects.create(
        code=f"T{parent.pk}-{n}", kind=kind, name=f"Thôn {n}", short_name=f"Thôn {n}",
        parent=parent, depth=parent.depth + 1, path="",
    )  # fmt: skip
    unit.path = f"{parent.path}{unit.pk}/"
    Unit.objects.filter(pk=unit.pk).update(path=unit.path)
    return unit


def _direct(unit, indicator, asked, state, roots_of, stored) -> Decimal | None:
    """The total computed the slow, obvious way, from every value stored."""
    inside = set(period_ids_within(period_parse(asked)))
    found, total = False, Decimal(0)
    for value in stored:
        if value.indicator_id != indicator.pk or value.period not in inside:
            continue
        if value.state not in STORED_STATES[state]:
            continue
        holding = [r for r in roots_of(unit) if value.unit.path.startswith(r[0].path)]
        if holding:
            nearest = max(holding, key=lambda r: len(r[0].path))
            found, total = True, total + value.number * nearest[1]
    return total.normalize() if found else None


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(tree=trees, data=values, moves=successions)
def test_every_rollup_equals_a_direct_sum(plei_kan, bo_y, tree, data, moves):
    with transaction.atomic():
        # given a random tree under Plei Kần (each new unit under an earlier one) ...
        units = [plei_kan]
        for n, parent_index in enumerate(tree):
            units.append(_unit(units[parent_index % len(units)], n))
        # ... two new units today, each taking over random old ones by a share
        new = [bo_y, _unit(bo_y, 99)]
        for old_index, new_index, share in moves:
            UnitSuccession.objects.get_or_create(
                predecessor=units[old_index % len(units)], successor=new[new_index],
                defaults={"share": Decimal(share)},
            )  # fmt: skip
        indicators = list(Indicator.objects.filter(code__in=["SCHEMES_NEW", "SEMINARS"]))
        for unit_index, indicator_index, period, number, state in data:
            DataValue.objects.update_or_create(
                indicator=indicators[indicator_index], unit=units[unit_index % len(units)],
                period=period,
                defaults={"value": str(number), "number": Decimal(number), "state": state},
            )  # fmt: skip

        # Read once: the obvious sum below walks them for every total it checks.
        stored = list(DataValue.objects.select_related("unit"))
        taken_over = list(UnitSuccession.objects.select_related("predecessor"))

        def roots_of(unit, boundaries):
            roots = [(unit, Decimal(1))]
            if boundaries == Boundaries.CURRENT:
                roots += [(s.predecessor, s.share) for s in taken_over if s.successor_id == unit.pk]
            return roots

        # when every unit is rolled up in every state and both boundaries
        for boundaries in Boundaries:
            asked_units = units + new
            for state in DataState:
                found = rollup(
                    indicators=indicators, units=asked_units, periods=ASKED,
                    boundaries=boundaries, state=state,
                )  # fmt: skip
                # then each total is the direct sum
                for unit in asked_units:
                    for indicator in indicators:
                        for asked in ASKED:
                            expected = _direct(
                                unit, indicator, asked, state,
                                lambda u, b=boundaries: roots_of(u, b), stored,
                            )  # fmt: skip
                            assert found.get((indicator.pk, unit.pk, asked)) == expected, (
                                unit.name, indicator.code, asked, state, boundaries,
                            )  # fmt: skip
        assert totals_differences() == []
        transaction.set_rollback(True)
