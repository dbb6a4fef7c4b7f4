"""The province's templates through the pages: download, upload, refuse, delete."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from phongtrao.core.roles import Role
from phongtrao.documents.docx import builtin_template
from phongtrao.documents.models import DocumentTemplate

pytestmark = pytest.mark.django_db

TEMPLATES = reverse("documents:templates")


@pytest.fixture
def admin_client(client, make_user, quang_ngai):
    client.force_login(make_user("qn_quantri", Role.ADMIN, (quang_ngai,)))
    return client


def _upload(client, unit, content: bytes, name: str = "mau-tinh.docx"):
    data = {"unit": unit.pk, "kind": "festival", "file": SimpleUploadedFile(name, content)}
    return client.post(TEMPLATES, data)


def test_an_administrator_downloads_the_built_in_template(admin_client):
    response = admin_client.get(reverse("documents:template_builtin"))
    assert response.status_code == 200
    assert response.content == builtin_template().read_bytes()
    assert 'filename="mau-bao-cao-ngay-hoi.docx"' in response["Content-Disposition"]


def test_an_uploaded_template_is_saved_and_downloads_as_it_was_sent(admin_client, quang_ngai):
    # when the administrator uploads the built-in template back as the province's own
    content = builtin_template().read_bytes()
    response = _upload(admin_client, quang_ngai, content)
    # then it is saved for the province and downloads byte for byte under its own name
    assert (response.status_code, response.url) == (302, TEMPLATES)
    template = DocumentTemplate.objects.get()
    assert (template.unit, template.kind, template.original_name) == (
        quang_ngai, "festival", "mau-tinh.docx",
    )  # fmt: skip
    download = admin_client.get(reverse("documents:template_download", args=[template.pk]))
    assert b"".join(download.streaming_content) == content
    assert "mau-tinh.docx" in download["Content-Disposition"]


def test_a_template_with_an_unknown_field_is_refused_on_the_page(admin_client, quang_ngai):
    # given a template naming a field the report does not have
    document = Document()
    document.add_paragraph("Số công văn: {{ so_cong_van }}")
    out = io.BytesIO()
    document.save(out)
    # when it is uploaded
    response = _upload(admin_client, quang_ngai, out.getvalue())
    # then the page says which field, and nothing is saved
    assert response.status_code == 400
    assert "so_cong_van" in response.content.decode()
    assert DocumentTemplate.objects.count() == 0


def test_deleting_the_template_on_the_page_goes_back_to_the_built_in_one(admin_client, quang_ngai):
    # given the province's own template
    _upload(admin_client, quang_ngai, builtin_template().read_bytes())
    template = DocumentTemplate.objects.get()
    # when the administrator deletes it
    response = admin_client.post(reverse("documents:template_delete", args=[template.pk]))
    # then it is gone and the page says the built-in one is used again
    assert (response.status_code, DocumentTemplate.objects.count()) == (302, 0)
    page = admin_client.get(TEMPLATES).content.decode()
    assert "Tỉnh đã trở lại dùng mẫu có sẵn." in page
