from datetime import date

import pytest

from phongtrao.registries.registry import FESTIVALS
from phongtrao.registries.tests.base import RegistryTestBase

pytestmark = pytest.mark.django_db


class TestFestivalEvents(RegistryTestBase):
    registry = FESTIVALS
    search = "venue"
    changes = {"participants": 320}
    number_column = "Số người tham dự"

    def data(self, unit, area):
        return {
            "unit": unit, "held_on": date(2025, 8, 19), "venue": "Nhà văn hóa thôn Iệc",
            "participants": 250, "has_rally": True, "has_gifts": True, "gifts_value_vnd": 5_000_000,
        }  # fmt: skip
