import csv
import io
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from phongtrao.catalog.models import Indicator
from phongtrao.core.models import AuditEvent
from phongtrao.core.roles import Role
from phongtrao.reporting.models import DataValue, ValueState
from phongtrao.units.selectors import unit_get

pytestmark = pytest.mark.django_db

URL = reverse("analytics:pivot")
EVENTS = "FESTIVAL_EVENTS"
KG = "EXPLOSIVES_SURRENDERED_KG"


def _put(code, unit, period, number, state=ValueState.SUBMITTED):
    DataValue.objects.create(
        indicator=Indicator.objects.get(code=code), unit=unit, period=period,
        value=str(number), number=Decimal(number), state=state,
    )  # fmt: skip


@pytest.fixture
def province_user(client, make_user, quang_ngai):
    user = make_user("qn_viewer", Role.VIEWER, (quang_ngai,))
    client.force_login(user)
    return user


@pytest.fixture
def areas(bo_y, make_area):
    return [make_area(bo_y, "Thôn A"), make_area(bo_y, "Thôn B")]


def _get(client, **params):
    return client.get(URL, {"indicator": EVENTS, "period": "2026", **params})


def _figures(response) -> list[tuple[str, list[str]]]:
    return [(row.header.label, [f.text for f in row.figures]) for row in response.context["rows"]]


def test_the_page_opens_on_the_units_below_the_users_unit_this_year(client, make_user, bo_y, areas):
    # given a viewer of Bờ Y
    client.force_login(make_user("boy_viewer", Role.VIEWER, (bo_y,)))
    # when they open the page from the menu
    response = client.get(URL)
    # then it shows Bờ Y's villages by the key indicators of the festival report
    assert response.status_code == 200
    table = response.context["table"]
    assert table.query.unit == bo_y
    assert [line.member.label for line in table.lines] == ["Thôn A", "Thôn B", "Tổng cộng"]
    assert [c.code for c in table.query.indicators] == [
        "FESTIVAL_EVENTS", "FESTIVAL_PARTICIPANTS", "OUTREACH_SESSIONS", "SCHEMES_NEW",
        "SECURITY_TEAMS", "TIPS_RECEIVED",
    ]  # fmt: skip
    assert table.query.state == "submitted" and table.query.boundaries == "historical"


def test_figures_are_written_the_vietnamese_way(client, province_user, bo_y, areas):
    # given villages that took in 2.150 kg and 12,5 kg of explosives
    _put(KG, areas[0], "2026", 2150)
    _put(KG, areas[1], "2026", Decimal("12.5"))
    # when
    response = _get(client, unit=bo_y.pk, indicator=KG)
    # then
    assert _figures(response) == [
        ("Thôn A", ["2.150"]), ("Thôn B", ["12,5"]), ("Tổng cộng", ["2.162,5"]),
    ]  # fmt: skip
    assert '<td class="num" data-measure="value">2.150</td>' in response.content.decode()


def test_compare_and_rank_add_their_columns(client, province_user, bo_y, areas):
    # given a village with 4 events in 2025 and 5 in 2026, another with 6 and 3
    for unit, year, number in ((areas[0], "2025", 4), (areas[0], "2026", 5),
                               (areas[1], "2025", 6), (areas[1], "2026", 3)):  # fmt: skip
        _put(EVENTS, unit, year, number)
    # when
    response = _get(client, unit=bo_y.pk, compare="on", rank="on")
    # then
    assert [str(m) for m in response.context["measures"]] == [
        "Số liệu", "Cùng kỳ năm trước", "Tăng, giảm", "Tăng, giảm (%)", "Hạng",
    ]  # fmt: skip
    assert _figures(response) == [
        ("Thôn A", ["5", "4", "+1", "+25%", "1"]),
        ("Thôn B", ["3", "6", "-3", "-50%", "2"]),
        ("Tổng cộng", ["8", "10", "-2", "-20%", "—"]),
    ]


def test_a_unit_with_units_below_links_to_the_table_of_those(client, province_user, bo_y, areas):
    # when Quảng Ngãi's units are shown
    response = _get(client, unit=unit_get(code="51").pk)
    # then Bờ Y's header re-opens the same table on Bờ Y
    header = next(r.header for r in response.context["rows"] if r.header.unit == bo_y.pk)
    query = parse_qs(urlsplit(header.href).query)
    assert query["unit"] == [str(bo_y.pk)] and query["period"] == ["2026"]
    assert query["indicator"] == [EVENTS] and "level" not in query
    assert f'<a href="{header.href.replace("&", "&amp;")}">Xã Bờ Y</a>' in (
        response.content.decode()
    )


def test_a_commune_links_up_to_its_province(client, province_user, bo_y, quang_ngai):
    response = _get(client, unit=bo_y.pk)
    label, href = response.context["up"]
    assert label == "Tỉnh Quảng Ngãi"
    assert parse_qs(urlsplit(href).query)["unit"] == [str(quang_ngai.pk)]


def test_an_invalid_period_is_said_in_vietnamese(client, province_user, bo_y):
    response = _get(client, unit=bo_y.pk, period="20x9")
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "period": [
            '"20x9" không phải là mã kỳ báo cáo: hãy viết năm (2019), 6 tháng (2019S2), '
            "quý (2019Q3) hoặc tháng (201908)."
        ]
    }


def test_a_refused_table_is_said_on_the_page(client, province_user, bo_y):
    # when two indicators are asked for while indicators are the filter
    response = client.get(
        URL, {"indicator": [EVENTS, "SCHEMES_NEW"], "period": "2026", "unit": bo_y.pk,
              "rows": "unit", "cols": "period"},
    )  # fmt: skip
    # then
    assert response.status_code == 400
    assert response.context["refusal"] == (
        "Chỉ tiêu không nằm ở hàng hay cột: hãy chọn đúng một chỉ tiêu, hoặc đặt chỉ tiêu vào "
        "hàng hoặc cột."
    )


@pytest.mark.parametrize("fmt", ["pdf", "xlsx'"])
def test_an_unknown_format_is_refused(client, province_user, bo_y, fmt):
    response = _get(client, unit=bo_y.pk, format=fmt)
    assert response.status_code == 400
    assert "format" in response.context["form"].errors


def test_a_unit_out_of_scope_answers_like_a_missing_one(client, make_user, cam_thanh, bo_y):
    # given a viewer of Cẩm Thành
    client.force_login(make_user("ct_viewer", Role.VIEWER, (cam_thanh,)))
    events = AuditEvent.objects.count()
    # when they ask for Bờ Y, and for a unit that does not exist
    outside = _get(client, unit=bo_y.pk)
    missing = _get(client, unit=2_000_000_000)
    # then both are not found, and nothing was written
    assert (outside.status_code, missing.status_code) == (404, 404)
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("unit", ["abc", "9" * 30])
def test_a_unit_that_is_no_id_is_said_in_vietnamese(client, province_user, unit):
    response = _get(client, unit=unit)
    assert response.status_code == 400
    assert response.context["form"].errors["unit"] == [
        f"Hãy chọn một lựa chọn hợp lệ. {unit} không phải là một trong các lựa chọn khả thi."
    ]


def test_kon_tum_in_todays_boundaries_leads_to_quang_ngai(
    client, province_user, plei_kan, quang_ngai
):
    # given Kon Tum as it was in 2019
    kon_tum = plei_kan.parent.parent
    # when it is asked for in today's boundaries
    response = _get(client, unit=kon_tum.pk, period="2019", boundaries="current")
    # then the page opens on today's Quảng Ngãi, saying why
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["unit"] == [str(quang_ngai.pk)] and query["boundaries"] == ["current"]
    followed = client.get(response["Location"])
    assert [str(m) for m in followed.context["messages"]] == [
        "Tỉnh Kon Tum (đến 30/06/2025) nay không còn: theo địa giới hiện nay, số liệu của đơn "
        "vị này được tính vào Tỉnh Quảng Ngãi, như bảng dưới đây."
    ]
    assert followed.context["table"].query.unit == quang_ngai


def test_todays_province_before_the_reform_offers_the_old_units(client, province_user, quang_ngai):
    # when today's Quảng Ngãi is asked for 2019 in the boundaries of the time
    response = _get(client, unit=quang_ngai.pk, period="2019")
    # then the page names the two old provinces it took over, and today's boundaries
    earlier = response.context["elsewhere"]
    assert earlier["message"] == (
        "Tỉnh Quảng Ngãi có từ ngày 01/07/2025; số liệu trước ngày đó thuộc các đơn vị cũ mà "
        "đơn vị này tiếp nhận:"
    )
    assert [label for label, _href in earlier["units"]] == [
        "Tỉnh Quảng Ngãi (đến 30/06/2025)", "Tỉnh Kon Tum (đến 30/06/2025)",
    ]  # fmt: skip
    assert parse_qs(urlsplit(earlier["current"]).query)["boundaries"] == ["current"]


def test_an_old_province_after_the_reform_offers_its_successor(
    client, province_user, plei_kan, quang_ngai
):
    # when Kon Tum is asked for 2026 in the boundaries of the time
    kon_tum = plei_kan.parent.parent
    response = _get(client, unit=kon_tum.pk, period="2026")
    # then the page says it ended, and links to today's Quảng Ngãi
    later = response.context["elsewhere"]
    assert later["message"] == (
        "Tỉnh Kon Tum tồn tại đến ngày 30/06/2025; số liệu sau ngày đó thuộc đơn vị tiếp nhận nó:"
    )
    ((label, href),) = later["units"]
    assert label == "Tỉnh Quảng Ngãi"
    assert parse_qs(urlsplit(href).query)["unit"] == [str(quang_ngai.pk)]


def test_old_units_are_offered_with_their_end(client, province_user, plei_kan):
    # when the page is opened for 2019
    response = _get(client, period="2019")
    # then the chooser offers Kon Tum's old units, saying until when they were
    labels = dict(response.context["form"].fields["unit"].choices)
    assert labels[plei_kan.pk] == "— — Thị trấn Plei Kần (đến 30/06/2025)"


def test_the_xlsx_holds_numbers_and_says_what_they_are(client, province_user, bo_y, make_area):
    # given a village named like a formula, with 2.150 events
    area = make_area(bo_y, "=HYPERLINK(1)")
    _put(EVENTS, area, "2026", 2150)
    # when the table is downloaded as XLSX
    response = _get(client, unit=bo_y.pk, format="xlsx")
    # then
    assert response["Content-Disposition"] == (
        'attachment; filename="bang-so-lieu-23377-2026.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert [r[0] for r in rows[:6]] == [
        "Bảng số liệu: Xã Bờ Y",
        "Kỳ báo cáo: Năm 2026",
        "Đơn vị: các đơn vị trực thuộc của Xã Bờ Y, theo danh sách ngày 31/12/2026",
        "Số liệu: báo cáo đã gửi và đã duyệt",
        "Địa giới: theo địa giới lúc cuối kỳ",
        "Báo cáo kết quả tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc, Năm 2026: "
        "Số liệu của 0/2 đơn vị đã gửi báo cáo",
    ]
    assert rows[7:] == [["Đơn vị", "Số điểm tổ chức Ngày hội"], ["'=HYPERLINK(1)", 2150]]


def test_the_csv_is_utf8_with_a_byte_order_mark(client, province_user, bo_y, areas):
    # given villages that took in 2.150 kg and 12,5 kg of explosives
    _put(KG, areas[0], "2026", 2150)
    _put(KG, areas[1], "2026", Decimal("12.5"))
    # when the table is downloaded as CSV
    response = _get(client, unit=bo_y.pk, indicator=KG, format="csv")
    # then
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[-4:] == [
        ["Đơn vị", "Khối lượng vật liệu nổ được giao nộp"],
        ["Thôn A", "2150"], ["Thôn B", "12.5"], ["Tổng cộng", "2162.5"],
    ]  # fmt: skip


def _count_queries(client, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, params).status_code == 200
    return len(queries)


CODES = ["FESTIVAL_EVENTS", "FESTIVAL_PARTICIPANTS", "SCHEMES_NEW", "SECURITY_TEAMS",
         "TIPS_RECEIVED"]  # fmt: skip


def _villages(bo_y, make_area, names):
    for name in names:
        village = make_area(bo_y, name)
        for code in CODES:
            _put(code, village, "2026Q2", 3)


@pytest.mark.parametrize("boundaries", ["historical", "current"])
@pytest.mark.parametrize(
    ("rows", "cols"), [("unit", "indicator"), ("period", "unit"), ("indicator", "period")]
)
def test_the_page_runs_a_fixed_number_of_queries_whatever_its_size(
    client, province_user, bo_y, make_area, django_assert_num_queries, boundaries, rows, cols
):
    # given two villages of Bờ Y with figures, shown by one indicator for one quarter
    _villages(bo_y, make_area, ["Thôn 1", "Thôn 2"])
    small = {"unit": bo_y.pk, "indicator": CODES[:1], "period": "2026Q2", "compare": "on",
             "rank": "on", "boundaries": boundaries, "rows": rows, "cols": cols}  # fmt: skip
    baseline = _count_queries(client, small)
    # when there are ten villages, shown by five indicators (one when they are the filter)
    # for four quarters
    _villages(bo_y, make_area, [f"Thôn {n}" for n in range(3, 11)])
    indicators = CODES if "indicator" in (rows, cols) else CODES[:1]
    big = small | {"indicator": indicators, "period": "2026Q1", "until": "2026Q4"}
    with django_assert_num_queries(baseline):
        response = client.get(URL, big)
    # then the page ran the same number of queries for a table 10 x 5 x 4 times larger
    sizes = {"unit": 11, "indicator": 5, "period": 5}  # with the totals
    assert len(response.context["rows"]) == sizes[rows]
    assert len(response.context["columns"]) == sizes[cols]


def test_the_menu_links_to_the_data_table(client, province_user):
    html = client.get(reverse("home")).content.decode()
    assert f'<a href="{URL}">Bảng số liệu</a>' in html


def test_a_national_account_opens_on_the_provinces(client, make_user):
    # given a superuser, who sees the whole country
    client.force_login(make_user("tw_super", Role.ADMIN, is_superuser=True))
    # when they open the page from the menu
    response = client.get(URL)
    # then the rows are today's 34 provinces and their total
    lines = response.context["table"].lines
    assert (len(lines), lines[-1].member.label) == (35, "Tổng cộng")
    assert response.context["summary"][0] == "Bảng số liệu: cả nước"


def test_an_account_without_a_unit_is_asked_to_choose_one(client, make_user):
    # given a national catalogue administrator, who is given no unit
    client.force_login(make_user("tw_catalogue", Role.NATIONAL_ADMIN))
    # when they open the page from the menu
    response = client.get(URL)
    # then the page asks for a unit
    assert response.status_code == 200
    assert response.context["refusal"] == "Hãy chọn một đơn vị."
