"""The pages of a value's history and of one import's changes."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from phongtrao.core.models import AuditEvent
from phongtrao.core.roles import Role
from phongtrao.reporting.models import DataValue, ValueChange, ValueImport

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


def upload_and_confirm(client, content: bytes):
    data = {"file": SimpleUploadedFile("so-lieu.csv", content, "text/csv"), "format": ""}
    token = client.post(reverse("reporting:import"), data).context["token"]
    return client.post(reverse("reporting:import_confirm"), {"token": token})


def test_confirming_an_upload_opens_the_page_of_its_changes(client, form, bo_y, clerk):
    # given
    client.force_login(clerk)
    # when
    response = upload_and_confirm(client, b"indicator,unit,period,value,comment\n"
                                          b"SCHEMES_NEW,23377,2026,4,\n")  # fmt: skip
    # then the import is recorded under the upload's own name, and its page lists the value
    record = ValueImport.objects.get()
    assert (record.file_name, record.actor) == ("so-lieu.csv", clerk)
    assert response.url == reverse("reporting:value_import", args=[record.pk])
    html = client.get(response.url).content.decode()
    assert "Nhập tệp: so-lieu.csv" in html
    assert "Đã nhập mới 1, cập nhật 0, giữ nguyên 0 giá trị." in html
    history = reverse("reporting:value_history", args=[DataValue.objects.get().pk])
    assert f'<a href="{history}">SCHEMES_NEW</a>' in html


def test_the_history_page_shows_an_imported_change_and_links_to_the_import(
    client, form, bo_y, clerk
):
    # given a value created by an upload
    client.force_login(clerk)
    upload_and_confirm(client, b"indicator,unit,period,value,comment\nSCHEMES_NEW,23377,2026,4,\n")
    value = DataValue.objects.get()
    # when
    html = client.get(reverse("reporting:value_history", args=[value.pk])).content.decode()
    # then
    record_url = reverse("reporting:value_import", args=[ValueImport.objects.get().pk])
    assert "Tạo mới" in html and "<strong>Giá trị</strong>: — → 4" in html
    assert f'href="{record_url}"' in html


def test_the_changes_of_an_import_come_fifty_to_a_page(client, bo_y, clerk, indicators):
    # given an import of 51 changes of Bờ Y
    value = DataValue.objects.create(
        indicator=indicators["SCHEMES_NEW"], unit=bo_y, period="2026", value="51", number=51
    )
    record = ValueImport.objects.create(
        at=timezone.now(), file_name="a.csv", format="csv", unit=bo_y, unit_path=bo_y.path
    )
    ValueChange.objects.bulk_create(
        ValueChange(value_import=record, value=value, version=n, after=str(n)) for n in range(1, 52)
    )
    client.force_login(clerk)
    url = reverse("reporting:value_import", args=[record.pk])
    # when
    first, second = client.get(url), client.get(url, {"page": 2})
    # then
    assert [c.version for c in first.context["object_list"]] == list(range(1, 51))
    assert [c.version for c in second.context["object_list"]] == [51]


def test_the_audit_lists_history_link_of_a_value_leads_to_its_whole_history(
    client, form, bo_y, clerk
):
    # given a value created by an upload
    client.force_login(clerk)
    upload_and_confirm(client, b"indicator,unit,period,value,comment\nSCHEMES_NEW,23377,2026,4,\n")
    value = DataValue.objects.get()
    content_type = ContentType.objects.get_for_model(DataValue)
    # when the audit's generic history of the value is opened
    response = client.get(reverse("audit:object_history", args=[content_type.pk, value.pk]))
    # then it is the value's own history, imports included
    assert response.url == reverse("reporting:value_history", args=[value.pk])


def test_the_audit_history_of_a_cleared_value_stays_the_audits(client, form, bo_y, clerk):
    # given a value created by an upload, then deleted
    client.force_login(clerk)
    upload_and_confirm(client, b"indicator,unit,period,value,comment\nSCHEMES_NEW,23377,2026,4,\n")
    value = DataValue.objects.get()
    content_type = ContentType.objects.get_for_model(DataValue)
    AuditEvent.objects.create(
        action="delete", content_type=content_type, object_id=str(value.pk), object_repr="x",
        unit=bo_y, unit_path=bo_y.path,
    )  # fmt: skip
    value_id = value.pk
    value.delete()
    # when
    response = client.get(reverse("audit:object_history", args=[content_type.pk, value_id]))
    # then the audit's own page shows its deletion
    assert response.status_code == 200
    assert [e.action for e, _changes in response.context["rows"]] == ["delete"]


def test_the_import_page_shows_a_value_cleared_since_as_deleted(client, form, bo_y, clerk):
    # given an uploaded value, deleted afterwards
    client.force_login(clerk)
    response = upload_and_confirm(
        client, b"indicator,unit,period,value,comment\nSCHEMES_NEW,23377,2026,4,\n"
    )
    DataValue.objects.all().delete()
    # when
    html = client.get(response.url).content.decode()
    # then
    assert '<td colspan="3" class="muted">Giá trị đã bị xóa sau đó</td>' in html


@pytest.fixture
def bo_y_viewer(make_user, bo_y):
    return make_user("by_xem", Role.VIEWER, (bo_y,))


def test_the_history_of_an_object_outside_the_scope_answers_as_a_missing_one(
    client, bo_y_viewer, cam_thanh
):
    # given a value of another commune, which has a history page of its own to redirect to
    from phongtrao.catalog.models import Indicator
    from phongtrao.reporting.models import DataValue

    value = DataValue.objects.create(
        indicator=Indicator.objects.get(code="SCHEMES_NEW"), unit=cam_thanh, period="2026",
        value="5", number=5,
    )  # fmt: skip
    value_type = ContentType.objects.get_for_model(DataValue).pk
    client.force_login(bo_y_viewer)
    # when its history and that of an id no object has are asked for
    hidden = client.get(reverse("audit:object_history", args=[value_type, value.pk]))
    missing = client.get(reverse("audit:object_history", args=[value_type, 999999999]))
    # then both answer 404 with the same page, but for what every page holds of its own: its
    # address (for the language switch to come back to) and the CSRF token, masked afresh
    assert (hidden.status_code, missing.status_code) == (404, 404)
    assert _page(hidden) == _page(missing)
    assert "Không tìm thấy trang" in _page(hidden)


def _page(response) -> str:
    content = response.content.decode().replace(response.request["PATH_INFO"], "PATH")
    return re.sub(r'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+', r"\1", content)
