from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from phongtrao.core.roles import Role
from phongtrao.extraction.models import ExtractedValue, SourceDocument
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


def _counts() -> tuple[int, int]:
    return DataValue.objects.count(), ExtractedValue.objects.count()


def _review(added_code: str, added_value: str) -> dict[str, str]:
    """The review screen as sent: SCHEMES_MAINTAINED read as 18 and corrected to 20,
    SCHEMES_NEW read as 2 and dropped, and one added row with the given figure."""
    return {
        "unit_code": "23377", "year": THIS_YEAR,
        "form-TOTAL_FORMS": "4", "form-INITIAL_FORMS": "2",
        "form-0-indicator": "SCHEMES_MAINTAINED", "form-0-value": "20", "form-0-keep": "on",
        "form-1-indicator": "SCHEMES_NEW", "form-1-value": "2",
        "form-2-indicator": added_code, "form-2-value": added_value, "form-2-keep": "on",
        "form-3-indicator": "", "form-3-value": "", "form-3-keep": "on",
    }  # fmt: skip


def test_the_reading_is_taken_from_the_document_not_from_the_page(client, clerk, document):
    # given a page sent back claiming other readings (an edited request), and a found row moved
    # to another indicator
    client.force_login(clerk)
    data = _review("SECURITY_TEAMS", "6") | {"form-0-read_value": "999", "form-2-read_value": "5"}
    data |= {"form-1-indicator": "SAFE_COMMUNES", "form-1-keep": "on"}
    # when
    client.post(reverse("extraction:review", args=[document.pk]), data)
    # then only what the extractor read for each indicator is kept as read
    assert sorted(ExtractedValue.objects.values_list("indicator__code", "value", "read_value")) == [
        ("SAFE_COMMUNES", Decimal(2), None),
        ("SCHEMES_MAINTAINED", Decimal(20), Decimal(18)),
        ("SECURITY_TEAMS", Decimal(6), None),
    ]


def test_a_figure_without_its_indicator_is_refused_not_dropped(client, clerk, document):
    # given an added row with a figure but no indicator
    client.force_login(clerk)
    before = _counts()
    # when
    response = client.post(reverse("extraction:review", args=[document.pk]), _review("", "6"))
    # then the row says what is missing and nothing is saved
    assert response.status_code == 200
    assert response.context["rows"].forms[2].errors == {
        "indicator": ["Hãy chọn chỉ tiêu của số này."]
    }
    assert _counts() == before


def test_a_corrected_and_an_added_figure_are_saved_with_what_was_read(client, clerk, document):
    # given a figure corrected, one dropped and one the reader missed added by hand
    client.force_login(clerk)
    data = _review("SECURITY_TEAMS", "6")
    # when
    response = client.post(reverse("extraction:review", args=[document.pk]), data)
    # then the draft holds the corrected and the added values only
    assert response.status_code == 302
    assert list(
        DataValue.objects.order_by("indicator__code").values_list("indicator__code", "value")
    ) == [("SCHEMES_MAINTAINED", "20"), ("SECURITY_TEAMS", "6")]
    # and the link keeps the reading for the corrected one, none for the added one
    assert list(ExtractedValue.objects.values_list("indicator__code", "value", "read_value")) == [
        ("SCHEMES_MAINTAINED", Decimal(20), Decimal(18)),
        ("SECURITY_TEAMS", Decimal(6), None),
    ]


@pytest.mark.parametrize(
    ("code", "value", "field", "message"),
    [
        (
            "NO_SUCH_INDICATOR", "6", "indicator",
            "Hãy chọn một lựa chọn hợp lệ. NO_SUCH_INDICATOR không phải là một trong các lựa "
            "chọn khả thi.",
        ),
        ("SECURITY_TEAMS", "sáu", "value", "Hãy nhập một số, ví dụ 1.240 hoặc 2,5."),
        ("SECURITY_TEAMS", "-6", "value", "Số đếm không thể âm."),
    ],
)  # fmt: skip
def test_a_bad_added_figure_is_refused_on_its_row_and_nothing_is_saved(
    client, clerk, document, code, value, field, message
):
    # given a review whose added row is wrong
    client.force_login(clerk)
    before = _counts()
    # when
    response = client.post(reverse("extraction:review", args=[document.pk]), _review(code, value))
    # then the added row's field says why, and neither the corrected figure nor it is saved
    assert response.status_code == 200
    assert (
        f'<ul class="errorlist" id="id_form-2-{field}_error"><li>{message}</li></ul>'
        in response.content.decode()
    )
    assert _counts() == before


def test_an_added_figure_for_an_indicator_already_found_is_refused(client, clerk, document):
    # given a figure added by hand for SCHEMES_MAINTAINED, which the review already holds
    client.force_login(clerk)
    before = _counts()
    # when
    response = client.post(
        reverse("extraction:review", args=[document.pk]), _review("SCHEMES_MAINTAINED", "6")
    )
    # then
    assert response.status_code == 200
    assert (
        '<ul class="messages"><li class="error">Mỗi chỉ tiêu chỉ có một giá trị; các chỉ tiêu '
        "sau có nhiều giá trị: SCHEMES_MAINTAINED.</li></ul>"
    ) in response.content.decode()
    assert _counts() == before


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
