"""The import pages (upload -> preview -> confirm) and the export page."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
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


EXPORT = reverse("reporting:export")


def test_a_provinces_export_page_lists_its_communes_a_page_at_a_time(client, quang_ngai, make_user):
    # given Quảng Ngãi's approver (96 communes today, thousands of units below)
    client.force_login(make_user("qn_approver", Role.APPROVER, (quang_ngai,)))
    # when they open the export page
    response = client.get(EXPORT)
    # then the tree picker offers the first 50 communes, not one list of every unit
    html = response.content.decode()
    assert len(response.context["pick"].units.object_list) == 50
    assert "Trang 1/2" in html
    assert '<select name="unit"' not in html


def test_the_export_page_costs_the_same_queries_however_many_units_lie_below(
    client, bo_y, clerk, make_area
):
    # given Bờ Y with 2 villages, then with 30 more
    for n in range(1, 3):
        make_area(bo_y, f"Thôn {n}")
    client.force_login(clerk)
    client.get(EXPORT)  # the session and the scope, read once per login
    with CaptureQueriesContext(connection) as few:
        client.get(EXPORT)
    for n in range(3, 33):
        make_area(bo_y, f"Thôn {n}")
    # when the page is drawn again
    with CaptureQueriesContext(connection) as many:
        response = client.get(EXPORT)
    # then it lists the 32 for the same number of queries
    assert len(response.context["pick"].units.object_list) == 32
    assert len(many) == len(few)


def test_moving_through_the_tree_keeps_the_choices_and_downloads_nothing(
    client, form, quang_ngai, plei_kan, make_user
):
    # given the province approver's choices of a period, a form and a format
    client.force_login(make_user("qn_approver", Role.APPROVER, (quang_ngai,)))
    choices = {"period": "2019", "form": "TEST_YEARLY", "format": "xlsx"}
    # when they search below the province for Plei Kần
    response = client.get(EXPORT, {**choices, "at": quang_ngai.pk, "q": "plei kan", "search": "1"})
    # then the page is drawn again with the commune found and the choices kept
    assert "Content-Disposition" not in response
    assert [u.name for u in response.context["pick"].units.object_list] == ["Thị trấn Plei Kần"]
    assert response.context["export"].initial == choices


def test_export_without_a_unit_says_to_choose_one(client, bo_y, clerk):
    client.force_login(clerk)
    response = client.get(EXPORT, {"period": "2026", "format": "csv", "download": "1"})
    assert "Content-Disposition" not in response
    assert response.context["export"].errors["unit"] == ["Hãy chọn một đơn vị trong danh sách."]


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


def preview_rows(response) -> list[list[str]]:
    """The preview's table of values, cell by cell, as the page shows it."""
    import re

    html = response.content.decode()
    table = html.split('id="changes">')[1].split("</table>")[0]
    body = table.split("<tbody>")[1]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row)]
        for row in body.split("</tr>")
        if "<td>" in row
    ]


def test_the_preview_shows_each_value_it_will_write_before_and_after(
    client, form, bo_y, clerk, indicators
):
    # given a stored value of Bờ Y, and a file that changes it and adds two
    DataValue.objects.create(
        indicator=indicators["SCHEMES_NEW"], unit=bo_y, period="2026", value="7", number=7
    )
    client.force_login(clerk)
    rows = [
        "SCHEMES_NEW,23377,2026,9,",
        "FESTIVAL_PARTICIPANTS,23377,2026,2150,",
        "EXPLOSIVES_SURRENDERED_KG,23377,2026,12.5,",
    ]
    # when it is uploaded
    response = upload(client, HEADER + "\n".join(rows).encode() + b"\n")
    # then the preview lists unit, indicator, period, the value now and after, the Vietnamese way
    assert preview_rows(response) == [
        ["Xã Bờ Y", "SCHEMES_NEW · Số mô hình xây dựng mới", "2026", "7", "9"],
        ["Xã Bờ Y", "FESTIVAL_PARTICIPANTS · Số lượt người tham dự Ngày hội", "2026", "chưa có",
         "2.150"],
        ["Xã Bờ Y", "EXPLOSIVES_SURRENDERED_KG · Khối lượng vật liệu nổ được giao nộp", "2026",
         "chưa có", "12,5"],
    ]  # fmt: skip
    assert DataValue.objects.count() == 1


def test_the_preview_shows_the_first_hundred_values_and_counts_the_rest(
    client, form, bo_y, clerk, make_area
):
    # given a file of 105 new values, for 105 villages of Bờ Y
    areas = [make_area(bo_y, f"Thôn {n}") for n in range(1, 106)]
    client.force_login(clerk)
    lines = [f"SCHEMES_NEW,{area.code},2026,{n},".encode() for n, area in enumerate(areas, 1)]
    # when it is uploaded
    response = upload(client, HEADER + b"\n".join(lines) + b"\n")
    # then the first hundred are listed, in the file's order, and the other five counted
    rows = preview_rows(response)
    assert (len(rows), rows[0][0], rows[-1][0], rows[-1][4]) == (100, "Thôn 1", "Thôn 100", "100")
    assert "… và 5 giá trị nữa." in response.content.decode()
    assert DataValue.objects.count() == 0


def test_the_preview_of_a_file_that_changes_nothing_says_so(client, form, bo_y, clerk, indicators):
    DataValue.objects.create(
        indicator=indicators["SCHEMES_NEW"], unit=bo_y, period="2026", value="7", number=7
    )
    client.force_login(clerk)
    response = upload(client, HEADER + b"SCHEMES_NEW,23377,2026,7,\n")
    html = response.content.decode()
    assert 'id="changes"' not in html
    assert (
        '<p id="no-changes">Tệp không có giá trị nào khác với số liệu đã lưu: nhập tệp này không '
        "thay đổi gì.</p>"
    ) in html


def test_the_preview_warns_of_values_above_their_plausible_bound(
    client, form, bo_y, clerk, indicators
):
    # given outreach sessions bounded at 500 in the catalogue, and a file with 2.147.483.648
    indicators["SCHEMES_NEW"].max_plausible = 500
    indicators["SCHEMES_NEW"].save(update_fields=["max_plausible"])
    client.force_login(clerk)
    rows = ["SCHEMES_NEW,23377,2026,2147483648,", "FESTIVAL_PARTICIPANTS,23377,2026,300,"]
    # when it is uploaded
    response = upload(client, HEADER + "\n".join(rows).encode() + b"\n")
    # then the preview warns of that one value, names it, and still offers to write the file
    html = response.content.decode()
    warning = html.split('id="implausible">')[1].split("</div>")[0]
    assert (
        "1 giá trị lớn hơn mức hợp lý nhất mà danh mục đặt cho chỉ tiêu; hãy kiểm tra lại trước "
        "khi ghi." in warning
    )
    assert "<li>Xã Bờ Y · SCHEMES_NEW · 2026: 2.147.483.648 (trên 500)</li>" in warning
    assert warning.count("<li>") == 1
    assert 'name="token"' in html
    assert DataValue.objects.count() == 0
