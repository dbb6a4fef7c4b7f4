"""The XLSX template downloaded from the export page and uploaded back on the import page.

Issue 20 item 11: once a report of the tree had been sent or approved, the unchanged template
was refused with one error per value, each pinned to the period's column C.
"""

import io
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from phongtrao.core.models import AuditEvent
from phongtrao.reporting.models import DataValue, Submission, SubmissionStatus, ValueImport

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def tree(form, bo_y, make_area, indicators):
    """Bờ Y and two villages with values of 2026: Thôn Hai's report approved, Bờ Y's sent."""
    one, two = make_area(bo_y, "Thôn Một"), make_area(bo_y, "Thôn Hai")
    figures = {
        bo_y: {"SCHEMES_MAINTAINED": "12", "SCHEMES_NEW": "3", "EXPLOSIVES_SURRENDERED_KG": "2.5"},
        one: {"SCHEMES_MAINTAINED": "4", "FESTIVAL_PARTICIPANTS": "1200"},
        two: {"SCHEMES_NEW": "1", "FESTIVAL_EVENTS": "2", "FESTIVAL_PARTICIPANTS": "350"},
    }
    for unit, values in figures.items():
        for code, value in values.items():
            DataValue.objects.create(
                indicator=indicators[code], unit=unit, period="2026", value=value,
                number=Decimal(value),
            )  # fmt: skip
    Submission.objects.create(form=form, unit=two, period="2026", status=SubmissionStatus.APPROVED)
    Submission.objects.create(
        form=form, unit=bo_y, period="2026", status=SubmissionStatus.SUBMITTED
    )
    return {"bo_y": bo_y, "one": one, "two": two}


def download_template(client, unit) -> bytes:
    query = {"unit": unit.pk, "period": "2026", "form": "TEST_YEARLY", "format": "xlsx"}
    response = client.get(reverse("reporting:export"), query)
    assert response["Content-Type"] == XLSX
    return response.content


def upload(client, content: bytes):
    data = {"file": SimpleUploadedFile("23377_2026.xlsx", content, XLSX), "format": ""}
    return client.post(reverse("reporting:import"), data)


def stored() -> list[tuple]:
    return sorted(DataValue.objects.values_list("unit_id", "indicator_id", "value", "version"))


def counts() -> tuple[int, int, int]:
    return DataValue.objects.count(), AuditEvent.objects.count(), ValueImport.objects.count()


def test_the_unchanged_template_of_a_tree_with_sent_and_approved_reports_is_accepted(
    client, tree, clerk
):
    # given the template of Bờ Y's tree, downloaded while one report is sent, one approved
    client.force_login(clerk)
    content = download_template(client, tree["bo_y"])
    before, values = counts(), stored()
    # when it is uploaded back unchanged, and confirmed
    preview = upload(client, content)
    confirm = client.post(
        reverse("reporting:import_confirm"), {"token": preview.context["token"]}, follow=True
    )
    # then the preview finds no problem and nothing to change, every value unchanged
    result = preview.context["result"]
    assert (result.problem_count, result.imported, result.updated, result.ignored) == (0, 0, 0, 8)
    assert "Tệp bị từ chối" not in preview.content.decode()
    # and confirming says so and writes nothing, not even an import record
    assert [str(m) for m in get_messages(confirm.wsgi_request)] == [
        "Đã nhập mới 0, cập nhật 0, giữ nguyên 8 giá trị."
    ]
    assert (counts(), stored()) == (before, values)


def test_a_changed_value_of_an_approved_report_is_refused_in_the_indicators_own_column(
    client, tree, clerk
):
    # given the template with Thôn Hai's SCHEMES_NEW (column F, row 5) changed from 1 to 6
    client.force_login(clerk)
    book = load_workbook(io.BytesIO(download_template(client, tree["bo_y"])))
    sheet = book["Số liệu"]
    assert (sheet["A5"].value, sheet["F2"].value, sheet["F5"].value) == (
        tree["two"].code,
        "SCHEMES_NEW",
        1,
    )
    sheet["F5"] = 6
    changed = io.BytesIO()
    book.save(changed)
    before, values = counts(), stored()
    # when it is uploaded
    preview = upload(client, changed.getvalue())
    # then that one value is refused, by its row and its own column, and nothing is written
    result = preview.context["result"]
    assert [str(p) for p in result.problems] == [
        "Dòng 5, cột F (SCHEMES_NEW): Số liệu SCHEMES_NEW của Thôn Hai kỳ 2026 đã được duyệt, "
        "không thể thay đổi."
    ]
    assert "Tệp bị từ chối: không ghi gì." in preview.content.decode()
    assert (counts(), stored()) == (before, values)


def test_a_changed_value_of_a_sent_report_is_refused_in_the_indicators_own_column(
    client, tree, clerk
):
    # given the template with Bờ Y's EXPLOSIVES_SURRENDERED_KG (column I, row 3) changed
    client.force_login(clerk)
    book = load_workbook(io.BytesIO(download_template(client, tree["bo_y"])))
    sheet = book["Số liệu"]
    assert (sheet["A3"].value, sheet["I2"].value) == ("23377", "EXPLOSIVES_SURRENDERED_KG")
    sheet["I3"] = 4
    changed = io.BytesIO()
    book.save(changed)
    before = counts()
    # when it is uploaded
    result = upload(client, changed.getvalue()).context["result"]
    # then
    assert [str(p) for p in result.problems] == [
        "Dòng 3, cột I (EXPLOSIVES_SURRENDERED_KG): Báo cáo này ở trạng thái đã gửi; không thể "
        "sửa số liệu nữa."
    ]
    assert counts() == before
