import io
from datetime import date

import pytest
from PIL import Image

from phongtrao.registries.registry import FESTIVALS
from phongtrao.registries.services.festivals import festival_photo_add
from phongtrao.registries.tests.base import RegistryTestBase

pytestmark = pytest.mark.django_db


class TestFestivalEvents(RegistryTestBase):
    registry = FESTIVALS
    search = "venue"
    changes = {"participants": 320}
    number_column = "Số người tham dự"
    related = "photos"

    def data(self, unit, area):
        return {
            "unit": unit, "held_on": date(2025, 8, 19), "venue": "Nhà văn hóa thôn Iệc",
            "participants": 250, "has_rally": True, "has_gifts": True, "gifts_value_vnd": 5_000_000,
        }  # fmt: skip

    def add_related(self, actor, entry, units):
        for unit in units:
            image = io.BytesIO()
            Image.new("RGB", (40, 30), (200, 30, 30)).save(image, "JPEG")
            festival_photo_add(
                actor=actor, event=entry, name="anh.jpg", content=image.getvalue(),
                caption=unit.name,
            )  # fmt: skip
