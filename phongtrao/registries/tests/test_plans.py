from datetime import date

import pytest

from phongtrao.registries import services
from phongtrao.registries.registry import PLANS
from phongtrao.registries.services.attachments import attachment_set, plan_report_set
from phongtrao.registries.tests.base import RegistryTestBase

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


class TestPlans(RegistryTestBase):
    registry = PLANS
    search = "title"
    changes = {"number": "46/KH-CAX"}
    statuses = ("missing", "attached")
    related = "reports"

    def data(self, unit, area):
        return {
            "unit": unit, "number": "45/KH-CAX", "issued_on": date(2025, 7, 15),
            "title": "Tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc năm 2025",
            "directed_units": [area],
        }  # fmt: skip

    def variant(self, data, n):
        # The natural key is the unit and the number: another number, another plan.
        return super().variant(data, n) | {"number": f"{50 + n}/KH-CAX"}

    def give_other_status(self, actor, entry):
        attachment_set(actor=actor, entry=entry, name="ke-hoach.pdf", content=PDF)

    def add_related(self, actor, entry, units):
        services.entry_update(actor=actor, entry=entry, data={"directed_units": units})
        for unit in units:
            plan_report_set(actor=actor, plan=entry, unit=unit, reported_on=date(2025, 8, 1))
