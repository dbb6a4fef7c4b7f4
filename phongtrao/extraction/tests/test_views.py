import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from phongtrao.accounts.models import Role
from phongtrao.extraction.models import SourceDocument
from phongtrao.extraction.services import source_document_create
from phongtrao.extraction.tests.conftest import corpus_text
from phongtrao.reporting.models import DataValue

pytestmark = pytest.mark.django_db
THIS_YEAR = str(timezone.localdate().year)


def _report() -> bytes:
    return corpus_text("06-bo-y-2026-bao-cao-xa").replace("2026", THIS_YEAR).encode()


@pytest.fixture
def document(clerk):
    return source_document_create(actor=clerk, name="bao-cao.txt", data=_report())


def test_uploading_one_report_opens_its_review(client, clerk):
    client.force_login(clerk)
    upload = SimpleUploadedFile("bao-cao.txt", _report(), content_type="text/plain")
    response = client.post(reverse("extraction:list"), {"files": [upload]})
    document = SourceDocument.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("extraction:review", args=[document.pk])


def test_uploading_several_reports_lists_them_and_names_the_unreadable_one(client, clerk):
    client.force_login(clerk)
    files = [
        SimpleUploadedFile("a.txt", _report()),
        SimpleUploadedFile("b.txt", _report()),
        SimpleUploadedFile("c.pdf", b"broken"),
    ]
    response = client.post(reverse("extraction:list"), {"files": files}, follow=True)
    html = response.content.decode()
    assert SourceDocument.objects.count() == 2
    assert "Không đọc được c.pdf" in html
    assert "Đã đọc 2 báo cáo." in html


def test_the_review_marks_each_figure_with_its_indicator(client, clerk, document):
    client.force_login(clerk)
    html = client.get(reverse("extraction:review", args=[document.pk])).content.decode()
    assert '<mark title="SCHEMES_MAINTAINED" data-indicator="SCHEMES_MAINTAINED">' in html
    assert 'value="23377"' in html
    assert 'name="form-2-value"' in html


def test_saving_the_review_goes_to_the_entry_screen(client, clerk, document, bo_y):
    # given the reviewed values, one corrected and one dropped
    client.force_login(clerk)
    data = {
        "unit_code": "23377", "year": THIS_YEAR,
        "form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "0",
        "form-0-indicator": "SCHEMES_MAINTAINED", "form-0-value": "1.240", "form-0-keep": "on",
        "form-1-indicator": "SCHEMES_NEW", "form-1-value": "2",
    }  # fmt: skip
    # when
    response = client.post(reverse("extraction:review", args=[document.pk]), data)
    # then
    assert response.url == reverse("reporting:entry", args=["FESTIVAL", bo_y.pk, THIS_YEAR])
    assert list(DataValue.objects.values_list("indicator__code", "value")) == [
        ("SCHEMES_MAINTAINED", "1240")
    ]


def test_a_unit_outside_the_scope_is_refused_on_the_form(client, clerk, document):
    client.force_login(clerk)
    data = {
        "unit_code": "21025", "year": THIS_YEAR, "form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0",
        "form-0-indicator": "SCHEMES_NEW", "form-0-value": "2", "form-0-keep": "on",
    }  # fmt: skip
    response = client.post(reverse("extraction:review", args=[document.pk]), data)
    assert response.status_code == 200
    assert "Không có đơn vị nào mang mã 21025" in response.content.decode()
    assert not DataValue.objects.exists()


def test_another_communes_user_gets_404_on_the_document(client, make_user, cam_thanh, document):
    outsider = make_user("camthanh_clerk", units=(cam_thanh,))
    client.force_login(outsider)
    assert client.get(reverse("extraction:review", args=[document.pk])).status_code == 404
    assert client.get(reverse("extraction:file", args=[document.pk])).status_code == 404


def test_a_viewer_may_not_upload(client, make_user, bo_y):
    client.force_login(make_user("boy_viewer", Role.VIEWER, (bo_y,)))
    assert client.get(reverse("extraction:list")).status_code == 403
