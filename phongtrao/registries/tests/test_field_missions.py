from datetime import date, timedelta

import pytest

from phongtrao.registries.registry import FIELD_MISSIONS
from phongtrao.registries.tests.base import RegistryTestBase

pytestmark = pytest.mark.django_db


class TestFieldMissions(RegistryTestBase):
    registry = FIELD_MISSIONS
    search = "activities"
    changes = {"officer_visits": 6}
    number_column = "Số lượt cán bộ"

    def data(self, unit, area):
        return {
            "unit": unit, "key_area": area, "started_on": date(2025, 9, 1),
            "ended_on": date(2025, 9, 30), "officer_visits": 4,
            "activities": "Nắm tình hình, vận động quần chúng", "households_visited": 40,
        }  # fmt: skip

    def variant(self, data, n):
        # The natural key is the unit, the key area and the start: another start, another entry.
        return super().variant(data, n) | {"started_on": date(2025, 9, 2) + timedelta(days=n)}
