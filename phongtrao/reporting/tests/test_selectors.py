from decimal import Decimal

import pytest

from phongtrao.catalog.models import Indicator
from phongtrao.reporting.models import DataValue
from phongtrao.reporting.selectors import period_ids_within

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
