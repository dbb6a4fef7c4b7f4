"""Catalogue changes on the audit pages (accounts), which readers see by the catalogue's owner."""

import pytest
from django.urls import reverse

from phongtrao.core.roles import Role
from phongtrao.units.models import Unit

pytestmark = pytest.mark.django_db

AUDIT = reverse("audit:events")


@pytest.fixture
def viewer(make_user, bo_y):
    return make_user("by_xem", Role.VIEWER, (bo_y,))


def _catalogue_names(client) -> list[str]:
    rows = client.get(AUDIT).context["rows"]
    return [e.object_repr for e, _rows in rows if e.content_type.app_label == "catalog"]


def test_a_national_catalogue_change_is_shown_to_every_user(client, make_user, viewer):
    # given the national administrator renamed a national indicator
    from phongtrao.catalog.models import Indicator
    from phongtrao.catalog.services import indicator_update

    national = make_user("tw_quantri", Role.NATIONAL_ADMIN)
    indicator_update(actor=national, indicator=Indicator.objects.get(code="SEMINARS"), name="Mới")
    client.force_login(viewer)
    # when a commune viewer reads the audit, then the change is listed
    assert _catalogue_names(client) == ["SEMINARS · Mới"]


def test_a_provinces_catalogue_change_is_shown_in_that_province_only(
    client, make_user, viewer, quang_ngai
):
    # given Quảng Ngãi's administrator added an indicator of the province
    from phongtrao.catalog.services import indicator_create
    from phongtrao.units.models import UnitKind

    admin = make_user("qn_quantri", Role.ADMIN, (quang_ngai,))
    indicator_create(actor=admin, code="QN_DRONES", name="Số flycam")
    other = Unit.objects.filter(kind=UnitKind.PROVINCE, valid_to__isnull=True)
    outsider = make_user("kh_xem", Role.VIEWER, (other.exclude(pk=quang_ngai.pk).first(),))
    # when a viewer of Bờ Y (in Quảng Ngãi) and one of another province read the audit
    client.force_login(viewer)
    inside = _catalogue_names(client)
    client.force_login(outsider)
    outside = _catalogue_names(client)
    # then only the first sees it
    assert (inside, outside) == (["QN_DRONES · Số flycam"], [])
