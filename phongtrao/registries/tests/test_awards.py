from datetime import date

import pytest

from phongtrao.registries.registry import AWARDS
from phongtrao.registries.tests.base import RegistryTestBase

pytestmark = pytest.mark.django_db


class TestAwards(RegistryTestBase):
    registry = AWARDS
    search = "recipient_name"
    changes = {"position": "Tổ trưởng tổ bảo vệ ANTT"}

    def data(self, unit, area):
        return {
            "unit": unit, "form": "commendation", "authority": "Chủ tịch UBND xã Bờ Y",
            "authority_level": "commune", "decision_number": "12/QĐ-UBND",
            "decision_date": date(2025, 8, 20), "recipient_kind": "individual",
            "recipient_name": "Nguyễn Văn Hùng", "position": "Trưởng thôn",
            "workplace": "Thôn Iệc", "achievement": "Có thành tích trong phong trào",
        }  # fmt: skip
