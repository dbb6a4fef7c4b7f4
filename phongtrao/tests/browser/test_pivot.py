"""The data table in a real browser: the province approver opens it from the menu, drills down
to a commune and downloads the same table as XLSX.

The demo's festival reports of this year below Xã Bờ Y: Tổ dân phố 1 approved, Tổ dân phố 2
submitted (`CURRENT_YEAR_OUTCOMES` in phongtrao/ops/demo.py), so the table's default data state
(submitted and approved) has figures there.
"""

import re

from openpyxl import load_workbook
from playwright.sync_api import expect

from phongtrao.core.text import format_number

PARTICIPANTS = "Số lượt người tham dự Ngày hội"


def test_open_the_table_drill_down_to_a_commune_and_download_it(login, tmp_path):
    # given the province approver on the data table, opened from the menu
    page = login("qn_duyet")
    page.get_by_role("link", name="Bảng số liệu").click()
    title = page.locator("#pivot-heading .pivot-title")
    expect(title).to_have_text("Bảng số liệu: Tỉnh Quảng Ngãi")

    # when they click Xã Bờ Y in the table
    page.locator("#pivot tbody th a", has_text=re.compile(r"^Xã Bờ Y$")).click()

    # then the table lists Bờ Y's own units, the festival participants added up below them
    expect(title).to_have_text("Bảng số liệu: Xã Bờ Y")
    expect(page.locator("#pivot tbody tr[data-unit] th").first).to_have_text("Tổ dân phố 1")
    headers = page.locator("#pivot thead th[scope=col]").all_inner_texts()
    column = [h.strip() for h in headers].index(PARTICIPANTS)
    shown = page.locator("#pivot tr.total td[data-measure=value]").nth(column).inner_text()
    assert re.fullmatch(r"[\d.]+", shown)

    # when they download it as XLSX
    with page.expect_download() as info:
        page.locator("a[data-format=xlsx]").click()
    path = tmp_path / "table.xlsx"
    info.value.save_as(path)

    # then the file holds the same total, as a number, under the same header
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    header = next(row for row in rows if row[0] == "Đơn vị")
    total = next(row for row in rows if row[0] == "Tổng cộng")
    assert rows[0][0] == "Bảng số liệu: Xã Bờ Y"
    assert isinstance(total[header.index(PARTICIPANTS)], int)
    assert format_number(total[header.index(PARTICIPANTS)]) == shown
