import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from phongtrao.core.errors import AppError
from phongtrao.core.models import AuditEvent
from phongtrao.documents.docx import builtin_template
from phongtrao.documents.models import DocumentTemplate
from phongtrao.documents.services import (
    document_template_delete,
    document_template_upload,
    report_render,
)

pytestmark = pytest.mark.django_db


def _template(*lines: str) -> SimpleUploadedFile:
    document = Document()
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return SimpleUploadedFile("mau-tinh.docx", out.getvalue())


def test_a_template_with_an_unknown_field_is_refused_naming_it(quang_ngai):
    # given a template naming a field the report does not have
    upload = _template("Số công văn: {{ so_cong_van }}")
    # when
    with pytest.raises(AppError) as raised:
        document_template_upload(actor=None, unit=quang_ngai, upload=upload)
    # then the message names the field, and nothing was saved
    assert "so_cong_van" in raised.value.message
    assert raised.value.message.startswith("Mẫu báo cáo dùng trường")
    assert DocumentTemplate.objects.count() == 0


def test_a_template_with_an_unknown_attribute_is_refused_naming_it(quang_ngai):
    upload = _template("{%p for s in sections %}", "{{ s.tieu_de }}", "{%p endfor %}")
    with pytest.raises(AppError) as raised:
        document_template_upload(actor=None, unit=quang_ngai, upload=upload)
    assert "tieu_de" in raised.value.message


def test_a_file_that_is_not_a_docx_is_refused(quang_ngai):
    upload = SimpleUploadedFile("mau.docx", b"not a zip")
    with pytest.raises(AppError) as raised:
        document_template_upload(actor=None, unit=quang_ngai, upload=upload)
    assert "Word" in raised.value.message


def test_the_province_template_writes_the_province_report_and_is_audited(
    quang_ngai, bo_y, festival_values
):
    # given the province's own template
    template = document_template_upload(
        actor=None, unit=quang_ngai, upload=_template("Mẫu riêng của tỉnh, năm {{ year }}")
    )
    # when a commune of the province writes its report
    rendered = report_render(unit=bo_y, year=2019, boundaries="current", today=date(2026, 9, 5))
    # then
    assert [p.text for p in Document(io.BytesIO(rendered.content)).paragraphs] == [
        "Mẫu riêng của tỉnh, năm 2019"
    ]
    events = AuditEvent.objects.filter(object_id=str(template.pk), object_repr__contains="mau-tinh")
    assert list(events.values_list("action", "unit_id")) == [("create", quang_ngai.pk)]


def test_the_built_in_template_stays_available(quang_ngai, bo_y, festival_values):
    # given a province template
    document_template_upload(actor=None, unit=quang_ngai, upload=_template("Mẫu riêng"))
    # when the built-in one is asked for
    rendered = report_render(unit=bo_y, year=2019, boundaries="current", use_builtin=True)
    # then
    assert Document(io.BytesIO(rendered.content)).paragraphs[0].text == "BÁO CÁO"


def test_deleting_the_template_goes_back_to_the_built_in_one(quang_ngai, bo_y):
    template = document_template_upload(actor=None, unit=quang_ngai, upload=_template("Mẫu"))
    document_template_delete(actor=None, template=template)
    rendered = report_render(unit=bo_y, year=2019, boundaries="current")
    assert Document(io.BytesIO(rendered.content)).paragraphs[0].text == "BÁO CÁO"


def test_the_built_in_template_can_be_uploaded_back_unchanged(quang_ngai):
    upload = SimpleUploadedFile("festival.docx", builtin_template().read_bytes())
    template = document_template_upload(actor=None, unit=quang_ngai, upload=upload)
    assert template.original_name == "festival.docx"
