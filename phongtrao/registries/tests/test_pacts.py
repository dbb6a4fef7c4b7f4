from datetime import date

import pytest

from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.models import AuditEvent
from phongtrao.registries import services
from phongtrao.registries.models import Pact
from phongtrao.registries.registry import PACTS
from phongtrao.registries.tests.base import RegistryTestBase

pytestmark = pytest.mark.django_db

NO_PARTNER = (
    "Giao ước cần ít nhất một bên cùng ký: chọn đơn vị cùng ký hoặc ghi tên tổ chức khác cùng ký."
)


class TestPacts(RegistryTestBase):
    registry = PACTS
    search = "content"
    changes = {"evaluation": "Hoàn thành tốt các nội dung giao ước"}
    statuses = ("pending", "evaluated")
    related = "partners"
    bad_cells = (
        ("Mã đơn vị cùng ký", {"Mã đơn vị cùng ký": "", "Tổ chức khác cùng ký": ""}, NO_PARTNER),
    )

    def data(self, unit, area):
        return {
            "unit": unit, "signed_on": date(2025, 8, 19), "partners": [area],
            "partner_names": "Hội Nông dân xã", "content": "Phối hợp giữ gìn an ninh nông thôn",
        }  # fmt: skip

    def give_other_status(self, actor, entry):
        services.entry_update(actor=actor, entry=entry, data={"evaluation": "Hoàn thành tốt"})

    def add_related(self, actor, entry, units):
        services.entry_update(actor=actor, entry=entry, data={"partners": units})

    # --- one or more partners -----------------------------------------------------------------

    def test_a_pact_without_any_partner_is_refused_and_writes_nothing(self, clerk, bo_y, area):
        # given a pact naming neither a partner unit nor another organisation
        data = self.data(bo_y, area) | {"partners": [], "partner_names": "  "}
        before = Pact.objects.count(), AuditEvent.objects.count()
        # when
        with pytest.raises(AppError) as refused:
            self.create(clerk, data)
        # then the message names the field, and nothing was written
        assert refused.value.code == ErrorCode.INVALID
        assert refused.value.message == f"Dữ liệu không hợp lệ: đơn vị cùng ký: {NO_PARTNER}"
        assert (Pact.objects.count(), AuditEvent.objects.count()) == before

    def test_a_pact_with_a_named_organisation_only_is_accepted(self, clerk, bo_y, area):
        # when a pact names only an organisation outside the unit list
        pact = self.create(clerk, self.data(bo_y, area) | {"partners": []})
        # then it is kept with that partner
        pact = Pact.objects.alive().get(pk=pact.pk)
        assert (list(pact.partners.all()), pact.partner_names) == ([], "Hội Nông dân xã")

    def test_a_pact_with_partner_units_only_is_accepted(self, clerk, bo_y, area):
        # when a pact names only a partner unit
        pact = self.create(clerk, self.data(bo_y, area) | {"partner_names": ""})
        # then it is kept with that partner
        pact = Pact.objects.alive().get(pk=pact.pk)
        assert (list(pact.partners.all()), pact.partner_names) == ([area], "")

    def test_an_edit_removing_the_last_partner_is_refused(self, clerk, entry):
        # given the pact's partners and audit before
        before = AuditEvent.objects.count()
        # when the edit takes away the unit and the organisation
        with pytest.raises(AppError) as refused:
            services.entry_update(
                actor=clerk, entry=entry, data={"partners": [], "partner_names": ""}
            )
        # then it is refused and the pact is unchanged
        assert refused.value.message == f"Dữ liệu không hợp lệ: đơn vị cùng ký: {NO_PARTNER}"
        entry = Pact.objects.get(pk=entry.pk)
        assert (entry.partner_names, entry.partners.count()) == ("Hội Nông dân xã", 1)
        assert AuditEvent.objects.count() == before

    def test_the_form_without_any_partner_shows_the_reason_on_the_field(self, client, clerk, bo_y):
        # given
        client.force_login(clerk)
        before = Pact.objects.count(), AuditEvent.objects.count()
        # when the add page is sent without partners
        response = client.post(
            self.url("create"),
            {"unit": bo_y.pk, "signed_on": "19/08/2025", "content": "Phối hợp giữ gìn an ninh"},
        )
        # then the form says why next to the partner units, and nothing was written
        assert response.status_code == 200
        assert response.context["form"].errors == {"partners": [NO_PARTNER]}
        assert (Pact.objects.count(), AuditEvent.objects.count()) == before
