import hashlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from phongtrao.analytics.tests.test_dashboards import make_commune, put
from phongtrao.catalog.models import ReportForm
from phongtrao.core.roles import Role
from phongtrao.reporting.models import Submission, SubmissionStatus

pytestmark = pytest.mark.django_db

FILTERS = {"year": "2026", "state": "submitted", "boundaries": "current"}


def _text(response) -> str:
    """The page's text without tags, its spaces collapsed."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


@pytest.fixture
def province_approver(client, make_user, quang_ngai):
    client.force_login(make_user("qn_approver", Role.APPROVER, (quang_ngai,)))
    return client


def test_the_home_page_of_a_province_approver_is_the_provinces_dashboard_and_its_work(
    province_approver, bo_y, make_area
):
    # given a village of Bờ Y that sent its 2026 festival report
    area = make_area(bo_y, "Thôn Chờ Duyệt")
    Submission.objects.create(
        form=ReportForm.objects.get(code="FESTIVAL"), unit=area, period="2026",
        status=SubmissionStatus.SUBMITTED, submitted_at=timezone.now(),
    )  # fmt: skip
    # when the approver opens the home page
    response = province_approver.get(reverse("home"))
    # then it shows the report waiting for them, then the province's dashboard
    text = _text(response)
    assert response.status_code == 200
    assert "Báo cáo chờ bạn phê duyệt (1)" in text
    assert "Thôn Chờ Duyệt (Xã Bờ Y) · Năm 2026" in text
    assert "Tổng quan: Tỉnh Quảng Ngãi" in text
    assert text.index("Việc cần làm") < text.index("Tổng quan: Tỉnh Quảng Ngãi")


def test_the_home_page_of_a_user_without_a_unit_says_so(client, make_user):
    client.force_login(make_user("nobody", Role.VIEWER))
    text = _text(client.get(reverse("home")))
    assert "Bạn chưa được giao đơn vị nào." in text
    assert "Việc cần làm" not in text


def test_the_dashboard_says_its_data_state_and_coverage(province_approver, quang_ngai, bo_y):
    put("FESTIVAL_EVENTS", bo_y, "2026", 5)
    url = reverse("analytics:dashboard", args=[quang_ngai.pk])
    text = _text(province_approver.get(url, FILTERS | {"state": "approved"}))
    assert (
        "Số liệu: chỉ báo cáo đã được duyệt. "
        "Số liệu của 0/97 đơn vị có báo cáo đã được duyệt." in text
    )


def test_changing_the_year_changes_the_figures(province_approver, quang_ngai, bo_y):
    # given Bờ Y's events of 2025 and 2026
    put("FESTIVAL_EVENTS", bo_y, "2025", 8)
    put("FESTIVAL_EVENTS", bo_y, "2026", 5)
    url = reverse("analytics:dashboard", args=[quang_ngai.pk])

    def events(year: str) -> str:
        html = province_approver.get(url, FILTERS | {"year": year}).content.decode()
        card = html.split('data-indicator="FESTIVAL_EVENTS"')[1]
        return re.search(r'class="figure-value">([^<]*)<', card).group(1)

    # then each year shows its own figure
    assert (events("2025"), events("2026")) == ("8", "5")


def test_a_charts_csv_is_its_table(province_approver, bo_y):
    # given Bờ Y's events of 2025 and 2026
    put("FESTIVAL_EVENTS", bo_y, "2025", 8)
    put("FESTIVAL_EVENTS", bo_y, "2026", 5)
    # when its trend is downloaded
    url = reverse("analytics:dashboard_csv", args=[bo_y.pk, "trend"])
    response = province_approver.get(url, FILTERS | {"indicator": "FESTIVAL_EVENTS"})
    # then the file has the chart's years and figures
    assert response["Content-Disposition"] == 'attachment; filename="23377_2026_xu-huong.csv"'
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.decode() == (
        "\ufeffNăm,Số điểm tổ chức Ngày hội (điểm)\r\n"
        "2019,\r\n2020,\r\n2021,\r\n2022,\r\n2023,\r\n2024,\r\n2025,8\r\n2026,5\r\n"
    )


def test_every_table_of_the_page_links_its_csv(province_approver, quang_ngai):
    html = province_approver.get(reverse("analytics:dashboard", args=[quang_ngai.pk])).content
    links = re.findall(rb'data-download="(\w+)"', html)
    assert links == [b"key", b"trend", b"completeness", b"ranking"]


@pytest.mark.parametrize(
    ("table", "query", "status"),
    [("nothing", {}, 404), ("units", {}, 404), ("trend", {"year": "nam"}, 400)],
)
def test_a_csv_that_does_not_exist_or_a_wrong_filter_is_refused(
    province_approver, quang_ngai, table, query, status
):
    # a province has no table of its own villages; a year must be one of the list
    url = reverse("analytics:dashboard_csv", args=[quang_ngai.pk, table])
    assert province_approver.get(url, query).status_code == status


def test_the_dashboard_page_runs_the_same_queries_for_2_or_10_communes(
    province_approver, quang_ngai, django_assert_num_queries
):
    url = reverse("analytics:dashboard", args=[quang_ngai.pk])
    for n in range(2):
        put("FESTIVAL_EVENTS", make_commune(quang_ngai, f"Xã Thử {n}"), "2026", 1)
    with django_assert_num_queries(20):
        province_approver.get(url, FILTERS)
    for n in range(8):
        put("FESTIVAL_EVENTS", make_commune(quang_ngai, f"Xã Thêm {n}"), "2026", 1)
    with django_assert_num_queries(20):
        province_approver.get(url, FILTERS)


def test_the_map_links_each_commune_to_its_dashboard(province_approver, quang_ngai, bo_y):
    put("FESTIVAL_EVENTS", bo_y, "2026", 5)
    html = province_approver.get(reverse("analytics:map", args=[quang_ngai.pk]), FILTERS)
    link = reverse("analytics:dashboard", args=[bo_y.pk])
    circle = re.search(
        rf'<a href="{link}\?[^"]*"[^>]*data-unit="{bo_y.pk}">\s*<circle ([^>]*)><title>([^<]*)<',
        html.content.decode(),
    )
    assert circle.group(2) == "Xã Bờ Y: 5"
    # the largest figure of the map has the largest circle, drawn with a dot for decimals
    assert re.fullmatch(r'cx="[\d.]+" cy="[\d.]+" r="22.0"', circle.group(1))


def test_the_map_lists_units_without_coordinates(province_approver, quang_ngai):
    make_commune(quang_ngai, "Xã Không Tọa Độ")
    text = _text(province_approver.get(reverse("analytics:map", args=[quang_ngai.pk])))
    assert "Đơn vị chưa có tọa độ Xã Không Tọa Độ: —" in text


def test_the_maps_csv_is_its_table(province_approver, quang_ngai, bo_y):
    put("FESTIVAL_EVENTS", bo_y, "2026", 5)
    response = province_approver.get(reverse("analytics:map_csv", args=[quang_ngai.pk]), FILTERS)
    lines = response.content.decode().splitlines()
    assert lines[0] == "\ufeffĐơn vị,Mã,2026,Vĩ độ,Kinh độ"
    assert f"Xã Bờ Y,23377,5,{bo_y.latitude},{bo_y.longitude}" in lines
    assert response["Content-Disposition"] == 'attachment; filename="51_2026_ban-do.csv"'


CHART_JS = Path(settings.BASE_DIR) / "static/vendor/chartjs"


def test_the_charting_library_is_the_pinned_chart_js_with_its_licence():
    # the file is the package's own (see static/vendor/chartjs/README.md to update it)
    content = (CHART_JS / "chart.umd.min.js").read_bytes()
    assert content.startswith(b"/*!\n * Chart.js v4.6.2\n")
    assert hashlib.sha256(content).hexdigest() == (
        "3f288f4f26882c26b58931fb586a9b4f30370b5de38d69dc005b0bd05b08e113"
    )
    assert "The MIT License (MIT)" in (CHART_JS / "LICENSE.md").read_text()


def test_the_dashboard_loads_its_scripts_from_the_app_only(province_approver, quang_ngai):
    html = province_approver.get(reverse("analytics:dashboard", args=[quang_ngai.pk])).content
    sources = re.findall(rb'<script src="([^"]+)"', html)
    assert b"/static/vendor/chartjs/chart.umd.min.js" in sources
    assert all(s.startswith(b"/static/") for s in sources)
    assert b"<script>" not in html and b"style=" not in html
