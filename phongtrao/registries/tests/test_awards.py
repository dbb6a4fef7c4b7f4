from datetime import date

import pytest
from django.urls import reverse

from phongtrao.registries import services
from phongtrao.registries.models import Award
from phongtrao.registries.registry import AWARDS
from phongtrao.registries.tests.base import RegistryTestBase

pytestmark = pytest.mark.django_db


class TestAwards(RegistryTestBase):
    registry = AWARDS
    search = "recipient_name"
    changes = {"position": "Tổ trưởng tổ bảo vệ ANTT"}
    statuses = ("individual", "collective")

    def data(self, unit, area):
        return {
            "unit": unit, "form": "commendation", "authority": "Chủ tịch UBND xã Bờ Y",
            "authority_level": "commune", "decision_number": "12/QĐ-UBND",
            "decision_date": date(2025, 8, 20), "recipient_kind": "individual",
            "recipient_name": "Nguyễn Văn Hùng", "position": "Trưởng thôn",
            "workplace": "Thôn Iệc", "achievement": "Có thành tích trong phong trào",
        }  # fmt: skip

    def other_type(self):
        return {"form": "certificate", "authority": "Chủ tịch UBND tỉnh"}

    def give_other_status(self, actor, entry):
        collective = {"recipient_kind": "collective", "recipient_unit": entry.unit}
        services.entry_update(
            actor=actor, entry=entry, data=collective | {"recipient_name": "", "position": ""}
        )

    # --- the printable list of a decision -------------------------------------------------------

    def test_the_decision_list_names_exactly_its_recipients_in_scope(
        self, client, clerk, entry, bo_y, cam_thanh, area
    ):
        # given two more recipients of decision 12/QĐ-UBND of 20/8/2025 in Bờ Y
        same = self.data(bo_y, area)
        second = self.create(clerk, same | {"recipient_name": "Trần Thị Lan"})
        collective = self.create(clerk, same | {
            "recipient_kind": "collective", "recipient_unit": area, "recipient_name": "",
            "position": "",
        })  # fmt: skip
        # and awards that are not on its list: another number, another date, another commune,
        # a deleted one
        self.create(clerk, same | {"decision_number": "13/QĐ-UBND", "recipient_name": "Lê Văn Số"})
        self.create(
            clerk, same | {"decision_date": date(2025, 8, 21), "recipient_name": "Phạm Ngày"}
        )
        services.entry_create(
            actor=None, model=Award, data=same | {"unit": cam_thanh, "recipient_name": "Võ Ngoài"}
        )
        gone = self.create(clerk, same | {"recipient_name": "Đỗ Văn Xóa"})
        services.entry_delete(actor=clerk, entry=gone)
        client.force_login(clerk)
        # when the clerk prints the decision's list from one of its awards
        response = client.get(reverse("registries:award_decision", args=[second.pk]))
        # then it lists exactly that decision's recipients in the clerk's units
        assert response.status_code == 200
        assert response.context["award"] == second
        assert list(response.context["recipients"]) == [collective, entry, second]
        page = response.content.decode()
        for name in ("Nguyễn Văn Hùng", "Trần Thị Lan", "Thôn Iệc"):
            assert name in page
        for name in ("Lê Văn Số", "Phạm Ngày", "Võ Ngoài", "Đỗ Văn Xóa"):
            assert name not in page

    def test_the_decision_list_query_count_does_not_grow_with_recipients(
        self, client, clerk, entry, bo_y, villages, django_assert_num_queries
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        # given the queries of the list with one individual recipient
        client.force_login(clerk)
        url = reverse("registries:award_decision", args=[entry.pk])
        with CaptureQueriesContext(connection) as first:
            assert client.get(url).status_code == 200
        # when three villages and three more people are added to the same decision
        same = self.data(bo_y, villages[0])
        for n, village in enumerate(villages):
            self.create(clerk, same | {"recipient_name": f"Người thứ {n}"})
            self.create(clerk, same | {
                "recipient_kind": "collective", "recipient_unit": village, "recipient_name": "",
                "position": "",
            })  # fmt: skip
        # then the list takes as many queries and names all seven
        with django_assert_num_queries(len(first)):
            response = client.get(url)
        assert len(response.context["recipients"]) == 7

    # --- the words of the register ----------------------------------------------------------------

    def test_the_register_heads_each_column_with_the_award_word_over_its_own_values(
        self, client, clerk, entry
    ):
        # given Nguyễn Văn Hùng's Giấy khen (the award's "form" once read "Biểu mẫu", the reporting
        # form's word, and the recipient's columns were headed the other's way round)
        client.force_login(clerk)
        # when the clerk opens the awards register
        response = client.get(self.url("list"))
        # then each heading names what its column holds
        labels = [str(label) for label in response.context["labels"]]
        cells = response.context["rows"][0][1]
        assert list(zip(labels, cells, strict=True)) == [
            ("ngày quyết định", "20/08/2025"),
            ("số quyết định", "12/QĐ-UBND"),
            ("hình thức", "Giấy khen"),
            ("tập thể/cá nhân", "cá nhân"),
            ("Đối tượng được khen", "Nguyễn Văn Hùng"),
            ("đơn vị", "Xã Bờ Y"),
        ]
        assert "Biểu mẫu" not in response.content.decode()

    def test_the_register_names_its_sort_orders_in_vietnamese(self, client, clerk, entry):
        # given the awards register, sorted by date, decision number or unit
        client.force_login(clerk)
        # when the clerk opens it
        page = client.get(self.url("list")).content.decode()
        # then the sort links read Vietnamese words, not the URL's keys
        assert "Sắp xếp theo: ngày <a" in page
        assert "· số quyết định <a" in page
        assert "· đơn vị <a" in page
        assert ">date ↑<" not in page and ">decision ↑<" not in page
