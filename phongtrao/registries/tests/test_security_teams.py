from datetime import date

import pytest

from phongtrao.registries.registry import TEAMS
from phongtrao.registries.tests.base import RegistryTestBase

pytestmark = pytest.mark.django_db


class TestSecurityTeams(RegistryTestBase):
    registry = TEAMS
    search = "name"
    changes = {"decision": "35/QĐ-UBND"}

    def data(self, unit, area):
        return {
            "unit": unit, "name": "Tổ bảo vệ ANTT thôn Iệc", "areas": [area],
            "established_on": date(2025, 8, 1), "decision": "30/QĐ-UBND",
        }  # fmt: skip
