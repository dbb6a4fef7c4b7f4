from decimal import Decimal

import pytest

from phongtrao.catalog.models import Indicator
from phongtrao.reporting.models import DataValue
from phongtrao.reporting.selectors import (
    Boundaries,
    period_ids_within,
    value_get,
    value_rollup,
    value_sums_by_root,
)
from phongtrao.units.selectors import unit_get

pytestmark = pytest.mark.django_db


def _put(code, unit, period, number):
    DataValue.objects.create(
        indicator=Indicator.objects.get(code=code), unit=unit, period=period,
        value=str(number), number=Decimal(number),
    )  # fmt: skip


def test_a_year_holds_its_halves_quarters_and_months():
    from phongtrao.catalog.periods import period_parse

    ids = period_ids_within(period_parse("2019"))
    assert ids[:4] == ["2019", "2019S1", "2019S2", "2019Q1"]
    assert len(ids) == 1 + 2 + 4 + 12


def test_a_value_rolls_up_over_the_subtree_below_a_commune(plei_kan, make_area):
    # given a residential area of Plei Kần and the town itself reporting for 2019
    area = make_area(plei_kan, "Tổ dân phố 9")
    _put("SCHEMES_NEW", plei_kan, "2019", 3)
    _put("SCHEMES_NEW", area, "2019", 2)
    # when rolling up Kon Tum province in 2019 boundaries
    kon_tum = unit_get(code="62", on=plei_kan.valid_to)
    total = value_rollup(
        indicator=Indicator.objects.get(code="SCHEMES_NEW"), unit=kon_tum, period="2019"
    )
    # then
    assert total == Decimal(5)


def test_values_get_in_current_boundaries_carries_old_data_to_the_new_unit(plei_kan):
    # given Plei Kần (now part of Xã Bờ Y) reported 1.240 maintained models in 2019
    _put("SCHEMES_MAINTAINED", plei_kan, "2019", 1240)
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
    total = value_rollup(
        indicator=Indicator.objects.get(code="OUTREACH_SESSIONS"), unit=new, period="2020",
        boundaries=Boundaries.CURRENT,
    )  # fmt: skip
    # then it gets its share of the old value
    assert total == (Decimal(10) * succession.share).normalize()


def test_a_rollup_is_one_query_however_many_units(plei_kan, make_area, django_assert_num_queries):
    for n in range(5):
        _put("SCHEMES_NEW", make_area(plei_kan, f"Thôn {n}"), "2019", 1)
    indicator = Indicator.objects.get(code="SCHEMES_NEW")
    with django_assert_num_queries(1):
        assert value_rollup(indicator=indicator, unit=plei_kan, period="2019") == Decimal(5)


def test_values_get_command_prints_the_machine_number(plei_kan, capsys):
    from django.core.management import call_command

    _put("EXPLOSIVES_SURRENDERED_KG", plei_kan, "2019", "2.5")
    call_command(
        "values", "get", "--indicator", "EXPLOSIVES_SURRENDERED_KG", "--unit", "62",
        "--period", "2019",
    )  # fmt: skip
    assert capsys.readouterr().out == "2.5\n"


@pytest.mark.parametrize(
    ("entered", "derived", "mismatch"),
    [
        ("5", Decimal(3), True),
        ("3", Decimal(3), False),
        ("5", Decimal(0), False),
        ("5", None, False),
    ],
)
def test_a_figure_differing_from_a_kept_registry_is_flagged(entered, derived, mismatch):
    from phongtrao.reporting.selectors import EntryCell

    indicator = Indicator.objects.get(code="FESTIVAL_EVENTS")
    value = DataValue(indicator=indicator, value=entered, number=Decimal(entered))
    assert EntryCell(indicator, value, [], derived=derived).derived_mismatch is mismatch


def test_sums_by_root_weigh_each_value_for_its_nearest_root_only(bo_y, plei_kan, make_area):
    # given Bờ Y, a village of it, and Plei Kần (now carried by Bờ Y at a share of one half)
    village = make_area(bo_y, "Thôn Một")
    _put("FESTIVAL_PARTICIPANTS", bo_y, "2019", 100)
    _put("FESTIVAL_PARTICIPANTS", village, "2019S2", 40)
    _put("FESTIVAL_PARTICIPANTS", plei_kan, "201908", 300)
    _put("FESTIVAL_PARTICIPANTS", bo_y, "2020", 999)
    # when the village and Bờ Y (with Plei Kần) are two keys
    roots = [(bo_y.path, Decimal(1), 1), (plei_kan.path, Decimal("0.5"), 1), (village.path, 1, 2)]
    sums = value_sums_by_root(
        indicator=Indicator.objects.get(code="FESTIVAL_PARTICIPANTS"), period="2019",
        roots=roots, within=[(bo_y.path, 1), (plei_kan.path, 1)],
    )  # fmt: skip
    # then the village's value counts for the village alone, Plei Kần's at half
    assert sums == {1: Decimal(250), 2: Decimal(40)}
    # and nothing outside `within` counts
    assert value_sums_by_root(
        indicator=Indicator.objects.get(code="FESTIVAL_PARTICIPANTS"), period="2019",
        roots=roots, within=[(village.path, 1)],
    ) == {2: Decimal(40)}  # fmt: skip
