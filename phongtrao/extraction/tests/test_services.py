from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from phongtrao.catalog.models import Indicator
from phongtrao.core.errors import AppError
from phongtrao.extraction.models import ExtractedValue, SourceDocument
from phongtrao.extraction.selectors import festival_form
from phongtrao.extraction.services import ReviewedValue, extraction_save, source_document_create
from phongtrao.extraction.tests.conftest import corpus_text
from phongtrao.reporting.models import DataValue, Submission, SubmissionStatus
from phongtrao.reporting.workflow import submission_reopen
from phongtrao.units.models import UnitKind

pytestmark = pytest.mark.django_db
THIS_YEAR = str(timezone.localdate().year)


def _document(actor, stem="06-bo-y-2026-bao-cao-xa", name="bao-cao.txt"):
    text = corpus_text(stem).replace("2026", THIS_YEAR)
    return source_document_create(actor=actor, name=name, data=text.encode())


def _rows(**values):
    return [ReviewedValue(Indicator.objects.get(code=c), Decimal(v)) for c, v in values.items()]


def test_an_upload_keeps_the_file_and_finds_unit_and_year(clerk, bo_y):
    document = _document(clerk)
    assert (document.unit, document.period, document.uploaded_by) == (bo_y, THIS_YEAR, clerk)
    assert document.file.name.startswith("extraction/")
    assert document.file.read().decode().startswith("CÔNG AN TỈNH QUẢNG NGÃI")


def test_a_unit_outside_the_users_scope_is_not_set(make_user, cam_thanh):
    outsider = make_user("camthanh_clerk", units=(cam_thanh,))
    assert _document(outsider).unit is None


def test_saving_writes_a_draft_with_the_source_linked(clerk, bo_y):
    # given
    document = _document(clerk)
    # when
    extraction_save(
        actor=clerk, document=document, unit=bo_y, period=THIS_YEAR,
        rows=_rows(SCHEMES_MAINTAINED=1240, SCHEMES_NEW=2),
    )  # fmt: skip
    # then
    value = DataValue.objects.get(unit=bo_y, period=THIS_YEAR, indicator__code="SCHEMES_MAINTAINED")
    assert (value.value, value.source) == ("1240", "extract")
    assert value.comment == f"Trích từ tài liệu #{document.pk}: bao-cao.txt"
    submission = Submission.objects.get(unit=bo_y, period=THIS_YEAR, form=festival_form())
    assert submission.status == SubmissionStatus.DRAFT
    link = ExtractedValue.objects.get(data_value=value)
    assert (link.document, link.value) == (document, Decimal(1240))
    document.refresh_from_db()
    assert document.saved_at is not None


def test_each_saved_value_has_the_source_file_in_its_history(client, clerk, bo_y):
    from django.urls import reverse

    from phongtrao.core.models import AuditEvent

    # given a figure saved from an uploaded report
    document = _document(clerk)
    extraction_save(
        actor=clerk, document=document, unit=bo_y, period=THIS_YEAR, rows=_rows(SCHEMES_NEW=2)
    )
    value = DataValue.objects.get(unit=bo_y, period=THIS_YEAR, indicator__code="SCHEMES_NEW")
    event = AuditEvent.objects.get(content_type__model="datavalue", object_id=str(value.pk))
    # when the value's history is opened
    client.force_login(clerk)
    page = client.get(
        reverse("audit:object_history", args=[event.content_type_id, value.pk]), follow=True
    ).content.decode()
    # then its change links to the kept file, which downloads
    file_url = reverse("extraction:file", args=[document.pk])
    assert event.link == file_url
    assert f'<a href="{file_url}" class="source-link">Tệp nguồn</a>' in page
    assert client.get(file_url).status_code == 200


def test_an_approved_report_is_not_changed(clerk, bo_y):
    # given an approved festival report
    Submission.objects.create(
        form=festival_form(), unit=bo_y, period=THIS_YEAR, status=SubmissionStatus.APPROVED
    )
    document = _document(clerk)
    # when / then
    with pytest.raises(AppError) as error:
        extraction_save(
            actor=clerk, document=document, unit=bo_y, period=THIS_YEAR, rows=_rows(SCHEMES_NEW=2)
        )
    assert error.value.message == "Báo cáo này ở trạng thái đã duyệt; không thể sửa số liệu nữa."
    assert not DataValue.objects.filter(unit=bo_y).exists()
    assert not ExtractedValue.objects.exists()


def test_a_locked_year_answers_with_the_services_message_until_reopened(clerk, approver, plei_kan):
    # given a 2019 report of the old commune, whose entry closed on 31/01/2020
    document = _document(clerk, "14-plei-kan-2019-word-numbers", "2019.txt")
    rows = _rows(SCHEMES_MAINTAINED=10)
    with pytest.raises(AppError) as error:
        extraction_save(actor=clerk, document=document, unit=plei_kan, period="2019", rows=rows)
    assert error.value.message.startswith("Năm 2019 đã khóa nhập liệu từ ngày 31/01/2020;")
    assert not Submission.objects.filter(unit=plei_kan).exists()
    # when an approver reopens it
    submission = Submission.objects.create(form=festival_form(), unit=plei_kan, period="2019")
    submission_reopen(
        actor=approver, submission=submission, expected_version=1,
        until=timezone.localdate() + timedelta(days=7),
    )  # fmt: skip
    extraction_save(actor=clerk, document=document, unit=plei_kan, period="2019", rows=rows)
    # then
    assert DataValue.objects.get(unit=plei_kan, period="2019").value == "10"


def test_one_indicator_twice_is_refused(clerk, bo_y):
    document = _document(clerk)
    indicator = Indicator.objects.get(code="SCHEMES_NEW")
    rows = [ReviewedValue(indicator, Decimal(1)), ReviewedValue(indicator, Decimal(2))]
    with pytest.raises(AppError) as error:
        extraction_save(actor=clerk, document=document, unit=bo_y, period=THIS_YEAR, rows=rows)
    assert "SCHEMES_NEW" in error.value.message
    assert not DataValue.objects.exists()


def test_an_unreadable_upload_keeps_nothing(clerk):
    with pytest.raises(AppError):
        source_document_create(actor=clerk, name="x.pdf", data=b"broken")
    assert not SourceDocument.objects.exists()


def test_a_unit_that_does_not_file_the_form_is_refused(approver, plei_kan):
    # given a district of before the reform, which files no festival report
    district = plei_kan.parent
    assert district.kind == UnitKind.DISTRICT
    document = _document(approver)
    # when the values are saved for it / then the service refuses, and nothing is written
    with pytest.raises(AppError) as error:
        extraction_save(
            actor=approver, document=document, unit=district, period="2019",
            rows=_rows(SCHEMES_NEW=2),
        )  # fmt: skip
    assert error.value.message == (
        f"{district.name} không báo cáo biểu mẫu này; hãy chọn tỉnh, xã hoặc đơn vị cơ sở."
    )
    assert not DataValue.objects.exists()
