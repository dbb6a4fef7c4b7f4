"""The import pages (upload -> preview -> confirm) and the export page."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from phongtrao.core.roles import Role
from phongtrao.reporting.models import DataValue

pytestmark = pytest.mark.django_db

HEADER = b"indicator,unit,period,value,comment\n"


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


def upload(client, content: bytes):
    data = {"file": SimpleUploadedFile("so-lieu.csv", content, "text/csv"), "format": ""}
    return client.post(reverse("reporting:import"), data)


def test_the_preview_writes_nothing_and_confirm_writes(client, form, bo_y, clerk):
    # given
    client.force_login(clerk)
    # when
    preview = upload(client, HEADER + b"SCHEMES_NEW,23377,2026,4,\n")
    # then
    assert preview.context["result"].imported == 1
    assert DataValue.objects.count() == 0
    assert len(list((Path(settings.MEDIA_ROOT) / "imports").iterdir())) == 1
    # when
    client.post(reverse("reporting:import_confirm"), {"token": preview.context["token"]})
    # then
    assert DataValue.objects.get().value == "4"
    assert list((Path(settings.MEDIA_ROOT) / "imports").iterdir()) == []


def test_the_preview_names_every_problem(client, form, bo_y, clerk):
    client.force_login(clerk)
    response = upload(client, HEADER + b"SCHEMES_NEW,23377,2026,abc,\n")
    html = response.content.decode()
    assert "Dòng 2" in html and "cột value" in html
    assert "Tệp bị từ chối: không ghi gì." in html


def test_another_user_cannot_confirm_an_upload(client, form, bo_y, clerk, other_clerk):
    client.force_login(clerk)
    token = upload(client, HEADER + b"SCHEMES_NEW,23377,2026,4,\n").context["token"]
    client.force_login(other_clerk)
    client.post(reverse("reporting:import_confirm"), {"token": token})
    assert DataValue.objects.count() == 0


def test_a_viewer_cannot_import(client, make_user, bo_y):
    client.force_login(make_user("viewer", Role.VIEWER, (bo_y,)))
    assert client.get(reverse("reporting:import")).status_code == 403


def test_the_export_page_downloads_a_csv(client, form, bo_y, clerk, indicators):
    DataValue.objects.create(
        indicator=indicators["SCHEMES_NEW"], unit=bo_y, period="2026", value="7", number=7
    )
    client.force_login(clerk)
    query = {"unit": bo_y.pk, "period": "2026", "form": "", "format": "csv"}
    response = client.get(reverse("reporting:export"), query)
    assert response["Content-Disposition"] == 'attachment; filename="23377_2026.csv"'
    assert response.content.decode().splitlines()[1] == "SCHEMES_NEW,23377,2026,7,"


def test_the_export_page_offers_only_units_in_scope(client, clerk, cam_thanh):
    client.force_login(clerk)
    query = {"unit": cam_thanh.pk, "period": "2026", "format": "csv"}
    response = client.get(reverse("reporting:export"), query)
    assert "unit" in response.context["export"].errors


def pending_files() -> list[str]:
    return sorted(p.name for p in (Path(settings.MEDIA_ROOT) / "imports").iterdir())


def test_a_new_upload_purges_uploads_left_unconfirmed_for_a_day(client, form, bo_y, clerk):
    # given an upload somebody left unconfirmed 25 hours ago
    import os
    import time

    (Path(settings.MEDIA_ROOT) / "imports").mkdir(parents=True)
    left = Path(settings.MEDIA_ROOT) / "imports" / "left.csv"
    left.write_bytes(HEADER)
    os.utime(left, (time.time() - 25 * 3600,) * 2)
    client.force_login(clerk)
    # when a new file is uploaded
    preview = upload(client, HEADER + b"SCHEMES_NEW,23377,2026,4,\n")
    # then only the new upload waits
    assert pending_files() == [f"{preview.context['token']}.csv"]


def test_a_rejected_upload_is_deleted_at_once(client, form, bo_y, clerk):
    client.force_login(clerk)
    preview = upload(client, HEADER + b"SCHEMES_NEW,99999,2026,4,\n")
    assert preview.context["result"].rejected is True
    assert pending_files() == []


def test_cancelling_a_preview_deletes_its_upload(client, form, bo_y, clerk):
    # given a previewed upload
    client.force_login(clerk)
    upload(client, HEADER + b"SCHEMES_NEW,23377,2026,4,\n")
    assert len(pending_files()) == 1
    # when the person cancels (back to the upload page)
    client.get(reverse("reporting:import"))
    # then its file is gone and nothing was written
    assert pending_files() == []
    assert DataValue.objects.count() == 0
