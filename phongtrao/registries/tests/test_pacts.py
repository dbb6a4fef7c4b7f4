from datetime import date

import pytest

from phongtrao.registries.registry import PACTS
from phongtrao.registries.tests.base import RegistryTestBase

pytestmark = pytest.mark.django_db


class TestPacts(RegistryTestBase):
    registry = PACTS
    search = "content"
    changes = {"evaluation": "Hoàn thành tốt các nội dung giao ước"}

    def data(self, unit, area):
        return {
            "unit": unit, "signed_on": date(2025, 8, 19), "partners": [area],
            "partner_names": "Hội Nông dân xã", "content": "Phối hợp giữ gìn an ninh nông thôn",
        }  # fmt: skip
