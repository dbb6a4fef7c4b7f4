"""Bringing an old report in: upload, correct one figure, save as a draft, see it on entry."""

import re

from django.utils import timezone
from playwright.sync_api import expect

# The server's year, in its time zone (Asia/Ho_Chi_Minh), not the machine's.
YEAR = timezone.localdate().year
REPORT = f"""CÔNG AN TỈNH QUẢNG NGÃI
CÔNG AN XÃ BỜ Y
Bờ Y, ngày 26 tháng 8 năm {YEAR}
BÁO CÁO
Kết quả tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc năm {YEAR}
Toàn xã tổ chức 12 điểm Ngày hội, thu hút 3.150 lượt người tham dự.
Củng cố, duy trì 18 mô hình, nhân rộng 3 mô hình, xây dựng mới 2 mô hình.
"""


def test_a_report_is_read_corrected_and_saved_into_the_draft(login):
    # given the Bờ Y data-entry user on the upload page
    page = login("boy_nhaplieu")
    page.goto("/extraction/")
    # when they upload a report of this year
    page.set_input_files(
        "input[name=files]",
        files=[{"name": "bao-cao.txt", "mimeType": "text/plain", "buffer": REPORT.encode()}],
    )
    page.click("form[enctype] button[type=submit]")
    # then the review marks the figures and names the commune
    expect(page.locator("mark[data-indicator=SCHEMES_MAINTAINED]")).to_contain_text("18 mô hình")
    expect(page.locator("#id_unit_code")).to_have_value("23377")
    # when they correct the maintained models from 18 to 1.240 and save
    name = page.eval_on_selector_all(
        "select[name$='-indicator']",
        "els => els.find(e => e.value === 'SCHEMES_MAINTAINED').name",
    )
    value_input = page.locator(f"input[name='{name.replace('-indicator', '-value')}']")
    expect(value_input).to_have_value("18")
    value_input.fill("1.240")
    page.click("#review-form button[type=submit]")
    # then the data entry screen of the draft shows the corrected value
    expect(page).to_have_url(re.compile(rf"/reporting/entry/FESTIVAL/\d+/{YEAR}/$"))
    expect(page.locator("#v-SCHEMES_MAINTAINED")).to_have_value("1.240")
    expect(page.locator("#v-SCHEMES_REPLICATED")).to_have_value("3")
    expect(page.locator("#submission-status")).to_contain_text("Nháp")
