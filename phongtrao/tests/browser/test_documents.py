"""The festival report from the page: a province user previews, generates and downloads it."""

import re

from docx import Document
from playwright.sync_api import expect


def test_province_user_generates_and_downloads_the_festival_report(login, tmp_path):
    # given the province's data-entry user on the reports page
    page = login("qn_nhaplieu")
    page.goto("/documents/")
    option = page.locator("#id_unit option", has_text=re.compile(r"(^|\s)Tỉnh Quảng Ngãi$"))
    page.select_option("#id_unit", option.get_attribute("value"))
    page.fill("#id_year", "2024")
    page.select_option("#id_boundaries", "current")
    page.select_option("#id_format", "docx")
    # when they preview, then generate and wait for the job
    page.get_by_role("button", name="Xem trước").click()
    expect(page.locator("#preview")).to_contain_text("I. KẾT QUẢ THỰC HIỆN")
    page.get_by_role("button", name="Lập báo cáo").click()
    link = page.locator("#download")
    expect(link).to_be_visible(timeout=30_000)
    with page.expect_download() as info:
        link.click()
    path = tmp_path / "report.docx"
    info.value.save_as(path)
    # then the downloaded file is the year's report
    paragraphs = [p.text for p in Document(str(path)).paragraphs]
    assert paragraphs[:2] == [
        "BÁO CÁO",
        "Kết quả tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc năm 2024",
    ]
