from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from phongtrao.registries.models import ReviewStatus, SchemeType
from phongtrao.registries.registry import SCHEMES
from phongtrao.registries.services.schemes import (
    scheme_point_add,
    scheme_point_remove,
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

    # --- the history of a model and its points -----------------------------------------------

    def history(self, client, entry) -> list[tuple[str, str, str]]:
        url = reverse(
            "audit:object_history", args=[ContentType.objects.get_for_model(entry).pk, entry.pk]
        )
        response = client.get(url)
        assert response.status_code == 200
        self.title = response.context["latest"].object_repr
        return [
            (e.content_type.model, e.action, e.object_repr) for e, _ in response.context["rows"]
        ]

    def test_the_models_history_lists_the_changes_of_its_points(
        self, client, entry, clerk, villages
    ):
        # given a point added in Làng Le and one added then removed in Thôn Kon Tu
        _area, le, kon_tu = villages
        scheme_point_add(actor=clerk, scheme=entry, unit=le, started_on=date(2025, 9, 1))
        gone = scheme_point_add(actor=clerk, scheme=entry, unit=kon_tu, started_on=date(2025, 9, 2))
        scheme_point_remove(actor=clerk, point=gone)
        client.force_login(clerk)
        # when the model's history is opened
        rows = self.history(client, entry)
        # then the points' changes are there, the removed one included, under the model's name
        points = [(action, name) for model, action, name in rows if model == "schemepoint"]
        assert sorted(points) == sorted(
            [("create", str(gone)), ("delete", str(gone)), ("create", str(entry.points.get()))]
        )
        assert ("scheme", "create", entry.name) in rows
        assert self.title == entry.name

    def test_another_models_history_does_not_list_these_points(
        self, client, entry, clerk, villages, bo_y
    ):
        # given a second model with a point of its own
        other = self.create(clerk, self.variant(self.data(bo_y, villages[0]), 1))
        scheme_point_add(actor=clerk, scheme=other, unit=villages[1], started_on=date(2025, 9, 1))
        client.force_login(clerk)
        # when the first model's history is opened
        rows = self.history(client, entry)
        # then it holds its own events (its creation and its automatic review), not the point
        assert [model for model, _action, _name in rows] == ["schemereview", "scheme"]
