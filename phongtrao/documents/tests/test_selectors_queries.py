"""A report reads every figure in a fixed number of queries, whatever the subtree."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from phongtrao.catalog.models import Indicator
from phongtrao.documents.selectors import report_data
from phongtrao.reporting.models import DataValue, ValueState

pytestmark = pytest.mark.django_db


def _queries(unit, boundaries: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        report_data(unit=unit, year=2024, boundaries=boundaries)
    return len(captured)


@pytest.mark.parametrize("boundaries", ["historical", "current"])
def test_a_province_report_costs_the_same_queries_for_one_village_or_ten(
    quang_ngai, bo_y, make_area, boundaries
):
    # given one village of Bờ Y with approved figures of every festival indicator
    indicators = list(Indicator.objects.filter(code__startswith="FESTIVAL_"))

    def village(n: int) -> None:
        area = make_area(bo_y, f"Thôn {n}")
        DataValue.objects.bulk_create(
            DataValue(indicator=i, unit=area, period="2024", value="5", number=Decimal(5),
                      state=ValueState.APPROVED)
            for i in indicators
        )  # fmt: skip

    village(0)
    _queries(quang_ngai, boundaries)  # warms Django's caches
    one = _queries(quang_ngai, boundaries)
    # when nine more villages report
    for n in range(1, 10):
        village(n)
    ten = _queries(quang_ngai, boundaries)
    # then the province's report reads them in as many queries (153 before the engine)
    assert one == ten
    assert ten <= 25
