from decimal import Decimal

import pytest

from phongtrao.analytics.rollup import own_values, rollup, unit_total
from phongtrao.analytics.selectors import value_get
from phongtrao.analytics.states import DataState
from phongtrao.catalog.models import Aggregation, Indicator
from phongtrao.reporting.models import DataValue, ValueState
from phongtrao.reporting.selectors import Boundaries
from phongtrao.units.selectors import unit_get

pytestmark = pytest.mark.django_db

ALL = DataState.ALL


def _put(code, unit, period, number, state=ValueState.DRAFT):
    DataValue.objects.create(
        indicator=Indicator.objects.get(code=code), unit=unit, period=period,
        value=str(number), number=Decimal(number), state=state,
    )  # fmt: skip


def test_a_value_rolls_up_over_the_subtree_below_a_commune(plei_kan, make_area):
    # given a residential area of Plei Kần and the town itself reporting for 2019
    area = make_area(plei_kan, "Tổ dân phố 9")
    _put("SCHEMES_NEW", plei_kan, "2019", 3)
    _put("SCHEMES_NEW", area, "2019", 2)
    # when rolling up Kon Tum province in 2019 boundaries
    kon_tum = unit_get(code="62", on=plei_kan.valid_to)
    total = unit_total(
        indicator=Indicator.objects.get(code="SCHEMES_NEW"), unit=kon_tum, period="2019",
        state=ALL,
    )  # fmt: skip
    # then
    assert total == Decimal(5)


def test_values_get_in_current_boundaries_carries_old_data_to_the_new_unit(plei_kan):
    # given Plei Kần (now part of Xã Bờ Y) reported 1.240 maintained models in 2019
    _put("SCHEMES_MAINTAINED", plei_kan, "2019", 1240, ValueState.APPROVED)
    # when asking for Bờ Y (23377 today) and for Quảng Ngãi in today's boundaries
    commune = value_get(
        indicator_code="SCHEMES_MAINTAINED", unit_code="23377", period="2019",
        boundaries=Boundaries.CURRENT,
    )  # fmt: skip
    province = value_get(
        indicator_code="SCHEMES_MAINTAINED", unit_code="51", period="2019",
        boundaries=Boundaries.CURRENT,
    )  # fmt: skip
    historical = value_get(indicator_code="SCHEMES_MAINTAINED", unit_code="51", period="2019")
    # then both carry it, while Quảng Ngãi of 2019 did not have it
    assert (commune, province, historical) == (Decimal(1240), Decimal(1240), None)


def test_a_divided_commune_passes_on_its_share(db):
    from phongtrao.units.models import UnitSuccession

    # given an old commune split between two new ones
    succession = (
        (UnitSuccession.objects.filter(share__lt=1).select_related("predecessor", "successor"))
        .order_by("predecessor__code", "successor__code")
        .first()
    )
    old, new = succession.predecessor, succession.successor
    _put("OUTREACH_SESSIONS", old, "2020", 10)
    # when rolling the new commune up in current boundaries
    total = unit_total(
        indicator=Indicator.objects.get(code="OUTREACH_SESSIONS"), unit=new, period="2020",
        boundaries=Boundaries.CURRENT, state=ALL,
    )  # fmt: skip
    # then it gets its share of the old value
    assert total == (Decimal(10) * succession.share).normalize()


@pytest.mark.parametrize(
    ("state", "expected"),
    [(DataState.APPROVED, Decimal(1)), (DataState.SUBMITTED, Decimal(11)), (ALL, Decimal(111))],
)
def test_each_data_state_includes_its_own_values(plei_kan, make_area, state, expected):
    # given an approved, a submitted and a draft value under Plei Kần
    _put("SCHEMES_NEW", plei_kan, "2019", 1, ValueState.APPROVED)
    _put("SCHEMES_NEW", make_area(plei_kan, "Thôn A"), "2019", 10, ValueState.SUBMITTED)
    _put("SCHEMES_NEW", make_area(plei_kan, "Thôn B"), "2019", 100, ValueState.DRAFT)
    # when the commune is rolled up in the state
    total = unit_total(
        indicator=Indicator.objects.get(code="SCHEMES_NEW"), unit=plei_kan, period="2019",
        state=state,
    )  # fmt: skip
    # then only the values the state includes count
    assert total == expected


def test_own_values_leave_out_the_units_below(plei_kan, make_area):
    # given a commune and its village both reporting
    _put("FESTIVAL_EVENTS", plei_kan, "2019", 2)
    _put("FESTIVAL_EVENTS", make_area(plei_kan, "Thôn A"), "2019", 3)
    indicator = Indicator.objects.get(code="FESTIVAL_EVENTS")
    # when reading the commune's own value and its total
    own = own_values(indicators=[indicator], units=[plei_kan], periods=["2019"], state=ALL)
    total = unit_total(indicator=indicator, unit=plei_kan, period="2019", state=ALL)
    # then the own value is the commune's alone, the total both
    assert (own, total) == ({(indicator.pk, plei_kan.pk, "2019"): Decimal(2)}, Decimal(5))


def test_each_value_counts_for_its_nearest_root_only(bo_y, plei_kan, make_area):
    # given Bờ Y, a village of it, and Plei Kần (carried by Bờ Y in today's boundaries)
    village = make_area(bo_y, "Thôn Một")
    _put("FESTIVAL_PARTICIPANTS", bo_y, "2019", 100)
    _put("FESTIVAL_PARTICIPANTS", village, "2019S2", 40)
    _put("FESTIVAL_PARTICIPANTS", plei_kan, "201908", 300)
    _put("FESTIVAL_PARTICIPANTS", bo_y, "2020", 999)
    indicator = Indicator.objects.get(code="FESTIVAL_PARTICIPANTS")
    # when Bờ Y and its village are rolled up together in today's boundaries
    totals = rollup(
        indicators=[indicator], units=[bo_y, village], periods=["2019", "2020"],
        boundaries=Boundaries.CURRENT, state=ALL,
    )  # fmt: skip
    # then Bờ Y carries the village and Plei Kần once, the village only its own
    assert totals == {
        (indicator.pk, bo_y.pk, "2019"): Decimal(440),
        (indicator.pk, village.pk, "2019"): Decimal(40),
        (indicator.pk, bo_y.pk, "2020"): Decimal(999),
    }


def test_an_average_indicator_averages_every_value_of_the_subtree(plei_kan, make_area):
    # given an indicator averaged over the values of a commune and two villages
    indicator = Indicator.objects.get(code="SEMINARS")
    Indicator.objects.filter(pk=indicator.pk).update(aggregation=Aggregation.AVERAGE)
    indicator.refresh_from_db()
    _put("SEMINARS", plei_kan, "2019", 1)
    _put("SEMINARS", make_area(plei_kan, "Thôn A"), "2019", 2)
    _put("SEMINARS", make_area(plei_kan, "Thôn B"), "2019", 6)
    # when rolled up, then the mean of the three
    assert unit_total(indicator=indicator, unit=plei_kan, period="2019", state=ALL) == Decimal(3)


def test_a_rollup_of_many_cells_is_a_fixed_number_of_queries(
    plei_kan, make_area, django_assert_num_queries
):
    # given villages, indicators and periods
    villages = [make_area(plei_kan, f"Thôn {n}") for n in range(6)]
    indicators = list(Indicator.objects.filter(code__in=["SCHEMES_NEW", "SEMINARS"]))
    for village in villages:
        _put("SCHEMES_NEW", village, "2019", 1)
    # when rolling up every village and the commune for two years, in both boundaries
    for boundaries, queries in ((Boundaries.HISTORICAL, 2), (Boundaries.CURRENT, 3)):
        with django_assert_num_queries(queries):
            totals = rollup(
                indicators=indicators, units=[plei_kan, *villages], periods=["2019", "2018"],
                boundaries=boundaries, state=ALL,
            )  # fmt: skip
        assert totals[(indicators[0].pk, plei_kan.pk, "2019")] == Decimal(6)


def test_values_get_command_prints_the_machine_number_in_the_state_asked(plei_kan, capsys):
    from django.core.management import call_command

    # given a draft value
    _put("EXPLOSIVES_SURRENDERED_KG", plei_kan, "2019", "2.5")
    args = ["values", "get", "--indicator", "EXPLOSIVES_SURRENDERED_KG", "--unit", "62",
            "--period", "2019"]  # fmt: skip
    # when printed by default (sent reports) and with --state all
    call_command(*args)
    call_command(*args, "--state", "all")
    # then the draft counts only in the second
    assert capsys.readouterr().out == "\n2.5\n"
