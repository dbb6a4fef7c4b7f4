from datetime import date

import pytest

from phongtrao.registries.models import SchemeType
from phongtrao.registries.registry import SCHEMES
from phongtrao.registries.tests.base import RegistryTestBase

pytestmark = pytest.mark.django_db


class TestSchemes(RegistryTestBase):
    registry = SCHEMES
    search = "name"
    changes = {"name": "Camera an ninh Làng Le"}

    def data(self, unit, area):
        return {
            "unit": unit, "name": "Camera an ninh thôn Iệc",
            "scheme_type": SchemeType.objects.get(code="camera_an_ninh"), "field": "security",
            "level": "commune", "founded_on": date(2025, 8, 1), "description": "Lắp 4 camera",
        }  # fmt: skip
