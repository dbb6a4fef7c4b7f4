"""The dashboards and the map in a real browser, on the demo (Quảng Ngãi, history since 2019).

Other browser tests send and approve reports of this year, so these read this year's figures
from the page itself; last year's are left alone by every test.
"""

import csv
import io
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

YEAR = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).year
PHONE = {"width": 390, "height": 844}


def _figure(page: Page, code: str) -> str:
    return page.locator(f'.figure[data-indicator="{code}"] .figure-value').inner_text()


def _trend_row(page: Page, year: int) -> str:
    row = page.locator("#table-trend tbody tr", has=page.locator(f"td:text-is('{year}')"))
    return row.locator("td.num").inner_text()


def test_the_province_approver_lands_on_the_provinces_dashboard_and_changes_the_year(
    page: Page, login
):
    # given the province approver, just logged in
    login("qn_duyet")
    # then the home page is Quảng Ngãi's dashboard, with its work to do above it
    expect(page.locator("h1")).to_have_text("Tổng quan: Tỉnh Quảng Ngãi")
    expect(page.locator("#worklist h2")).to_have_text("Việc cần làm")
    expect(page.locator("#dashboard-state")).to_contain_text("báo cáo đã gửi và đã duyệt")
    expect(page.locator("#dashboard-coverage")).to_contain_text(re.compile(r"\d+/\d+ đơn vị"))
    this_year = _figure(page, "FESTIVAL_EVENTS")
    last_year = _trend_row(page, YEAR - 1)
    assert this_year != last_year
    # when they choose last year (the form sends itself)
    page.select_option("#id_year", str(YEAR - 1))
    page.wait_for_url(re.compile(rf"year={YEAR - 1}"))
    # then the festival events are last year's, as the trend had them
    assert _figure(page, "FESTIVAL_EVENTS") == last_year
    expect(page.locator("#section-key h2")).to_have_text(f"Số liệu chính năm {YEAR - 1}")


def test_a_charts_table_downloads_as_csv(page: Page, login):
    # given the province approver on their dashboard, its trend drawn by Chart.js
    login("qn_duyet")
    expect(page.locator("#section-trend .chart-box canvas")).to_have_count(1)
    shown = [_trend_row(page, year) for year in range(YEAR - 7, YEAR + 1)]
    # when they download the trend's CSV
    with page.expect_download() as info:
        page.locator('#section-trend [data-download="trend"]').click()
    download = info.value
    # then the file is named after the province and year, and holds the chart's table
    assert download.suggested_filename == f"51_{YEAR}_xu-huong.csv"
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Năm", "Số điểm tổ chức Ngày hội (điểm)"]
    assert [r[0] for r in rows[1:]] == [str(y) for y in range(YEAR - 7, YEAR + 1)]
    assert [r[1] or "—" for r in rows[1:]] == shown


def test_a_circle_of_the_map_opens_the_communes_dashboard(page: Page, login):
    login("qn_duyet")
    page.goto("/")
    page.locator(".dash-links").get_by_role("link", name="Bản đồ").click()
    expect(page.locator("h1")).to_have_text("Bản đồ: Tỉnh Quảng Ngãi")
    # the map draws the 96 communes that have coordinates
    expect(page.locator("#unit-map .map-unit")).to_have_count(96)
    page.locator("#unit-map .map-unit", has=page.locator("title", has_text="Xã Bờ Y:")).click()
    expect(page.locator("h1")).to_have_text("Tổng quan: Xã Bờ Y")


@pytest.mark.parametrize(
    ("username", "path"),
    [("qn_duyet", "/"), ("boy_nhaplieu", "/"), ("qn_duyet", "/analytics/map/")],
)
def test_the_phone_layout_has_no_horizontal_scroll(page: Page, login, username, path):
    # given a 390 px wide phone
    page.set_viewport_size(PHONE)
    login(username)
    page.goto(path)
    page.wait_for_load_state("networkidle")
    # then the page is no wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
