from datetime import date

import pytest

from phongtrao.registries.registry import OUTREACH
from phongtrao.registries.tests.base import RegistryTestBase

pytestmark = pytest.mark.django_db


class TestOutreach(RegistryTestBase):
    registry = OUTREACH
    search = "topic"
    changes = {"audience": 180}
    number_column = "Số tin bài, buổi"

    def data(self, unit, area):
        return {
            "unit": unit, "channel": "meeting", "held_on": date(2025, 9, 5), "items": 3,
            "audience": 150, "topic": "Phòng, chống ma túy trong thanh thiếu niên",
        }  # fmt: skip

    def other_type(self):
        return {"channel": "radio"}
