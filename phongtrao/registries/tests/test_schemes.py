from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from phongtrao.registries.models import ReviewStatus, SchemeType
from phongtrao.registries.registry import SCHEMES
from phongtrao.registries.services.schemes import (
    scheme_point_add,
    scheme_review_set,
    scheme_type_save,
)
from phongtrao.registries.tests.base import RegistryTestBase

pytestmark = pytest.mark.django_db


class TestSchemes(RegistryTestBase):
    registry = SCHEMES
    search = "name"
    changes = {"name": "Camera an ninh Làng Le"}
    statuses = (ReviewStatus.NEW, ReviewStatus.MAINTAINED)
    related = "points"

    def data(self, unit, area):
        return {
            "unit": unit, "name": "Camera an ninh thôn Iệc",
            "scheme_type": SchemeType.objects.get(code="camera_an_ninh"), "field": "security",
            "level": "commune", "founded_on": date(2025, 8, 1), "description": "Lắp 4 camera",
        }  # fmt: skip

    def other_type(self):
        return {"scheme_type": SchemeType.objects.get(code="dan_van_kheo")}

    def give_other_status(self, actor, entry):
        scheme_review_set(
            actor=actor, scheme=entry, year=entry.founded_on.year, status=ReviewStatus.MAINTAINED
        )

    def add_related(self, actor, entry, units):
        for unit in units:
            scheme_point_add(actor=actor, scheme=entry, unit=unit, started_on=entry.founded_on)

    # --- the administrators' page of model types ----------------------------------------------

    def test_the_scheme_types_page_query_count_does_not_grow_with_types(
        self, client, admin, django_assert_num_queries
    ):
        # given the queries of the page with the types the migration made
        client.force_login(admin)
        url = reverse("registries:scheme_types")
        before = SchemeType.objects.count()
        with CaptureQueriesContext(connection) as first:
            assert client.get(url).status_code == 200
        # when three more types are added
        for n in range(3):
            scheme_type_save(
                actor=admin, scheme_type=SchemeType(), name=f"Loại mô hình thử {n}",
                is_active=n != 1, order=500 + n,
            )  # fmt: skip
        # then the page takes the same number of queries and shows every type
        with django_assert_num_queries(len(first)):
            response = client.get(url)
        assert len(response.context["types"]) == before + 3
