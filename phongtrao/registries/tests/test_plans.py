from datetime import date

import pytest

from phongtrao.registries.registry import PLANS
from phongtrao.registries.tests.base import RegistryTestBase

pytestmark = pytest.mark.django_db


class TestPlans(RegistryTestBase):
    registry = PLANS
    search = "title"
    changes = {"number": "46/KH-CAX"}

    def data(self, unit, area):
        return {
            "unit": unit, "number": "45/KH-CAX", "issued_on": date(2025, 7, 15),
            "title": "Tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc năm 2025",
            "directed_units": [area],
        }  # fmt: skip

    def variant(self, data, n):
        # The natural key is the unit and the number: another number, another plan.
        return super().variant(data, n) | {"number": f"{50 + n}/KH-CAX"}
