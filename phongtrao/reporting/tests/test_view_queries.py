"""A cell save runs a fixed number of queries, whatever the subtree and the totals above it."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from phongtrao.catalog.models import Indicator
from phongtrao.reporting.models import DataValue

pytestmark = pytest.mark.django_db


def _save(client, form, unit, value: str, version: str = "") -> int:
    url = reverse("reporting:cell", args=[form.code, unit.pk, "2024", "SCHEMES_NEW"])
    with CaptureQueriesContext(connection) as captured:
        assert client.post(url, {"value": value, "version": version}).status_code == 200
    return len(captured)


def test_a_cell_save_costs_the_same_queries_with_one_village_or_eight(
    client, form, bo_y, clerk, make_area
):
    # given Bờ Y with one village holding values, saved once to warm Django's caches
    client.force_login(clerk)
    indicators = list(Indicator.objects.filter(code__in=["SCHEMES_NEW", "SEMINARS"]))
    _save(client, form, bo_y, "1")
    villages = [make_area(bo_y, "Thôn 0")]

    def fill(village):
        for indicator in indicators:
            DataValue.objects.create(
                indicator=indicator, unit=village, period="2024", value="2", number=Decimal(2)
            )

    fill(villages[0])
    one = _save(client, form, bo_y, "3", "1")
    # when seven more villages hold values
    for n in range(1, 8):
        villages.append(make_area(bo_y, f"Thôn {n}"))
        fill(villages[-1])
    eight = _save(client, form, bo_y, "4", "2")
    # then the save costs the same, and the commune's total took it
    assert one == eight
    assert DataValue.objects.get(unit=bo_y).number == Decimal(4)
