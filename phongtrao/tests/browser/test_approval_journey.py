"""The approver's journey in a real browser (issue 20): a commune sends a report with an
explained warning, the province reads the explanation and returns it, the commune is told by
the bell, sends it again, and the province approves several communes at once.

It uses the demo's Phường Cẩm Thành, whose own festival report of the current year the demo
leaves sent (`CURRENT_YEAR_OUTCOMES` in phongtrao/ops/demo.py), and Phường Nghĩa Lộ, which the
demo leaves empty; Xã Bờ Y's report belongs to test_reporting.py.
"""

import re

from playwright.sync_api import Page, expect

from phongtrao.tests.browser.test_reporting import (
    YEAR,
    _select_unit,
    _switch_user,
    _type_cell,
)

CAM_THANH, NGHIA_LO = "Phường Cẩm Thành", "Phường Nghĩa Lộ"
EXPLANATION = "Mưa lớn nên nhiều điểm tổ chức nhỏ, ít người dự."
REASON = "Số người dự chưa khớp sổ theo dõi, đề nghị kiểm tra lại."
WARNING = (
    "Số lượt người tham dự Ngày hội ít hơn số điểm tổ chức Ngày hội: đề nghị kiểm tra lại "
    "và ghi chú lý do."
)


def _open_report(page: Page, unit: str) -> str:
    """Open the unit's festival report of the current year from the entry page; its URL."""
    page.goto("/reporting/entry/")
    page.select_option("#id_form", "FESTIVAL")
    page.fill("#id_period", YEAR)
    # A province's tree lists about a hundred communes a page at a time: search for it.
    page.fill("#unit-pick input[name=q]", unit)
    page.get_by_role("button", name="Tìm kiếm").click()
    # Today's ward, not the one of the same name that ended with the 2025 reform.
    label = page.locator("#unit-pick label", has_text=re.compile(rf"^\s*{re.escape(unit)}(\s|$)"))
    label.filter(has_not_text="(đến ").first.locator("input[type=radio]").check()
    page.get_by_role("button", name="Mở", exact=True).click()
    expect(page.locator("h1")).to_be_visible()
    return page.url


def _province_completeness(page: Page) -> None:
    page.goto("/reporting/completeness/")
    page.select_option("#id_form", "FESTIVAL")
    page.fill("#id_period", YEAR)
    _select_unit(page, "Tỉnh Quảng Ngãi")
    page.get_by_role("button", name="Xem").click()
    expect(page.locator("#completeness-summary")).to_contain_text("Tỉnh Quảng Ngãi")


def _approved(page: Page, unit: str):
    """The approved reports under the unit, on its row of the completeness page."""
    row = page.locator("#completeness-rows tr", has=page.get_by_role("link", name=unit))
    return row.locator("[data-col=approved]")


def test_send_explain_return_be_told_send_again_and_approve_many(page: Page, login):
    # given the province's clerk has sent Phường Nghĩa Lộ's report, with no warning
    _switch_user(page, login, "qn_nhaplieu")
    _open_report(page, "Phường Nghĩa Lộ")
    _type_cell(page, "FESTIVAL_EVENTS", "2", "Enter")
    _type_cell(page, "FESTIVAL_PARTICIPANTS", "300", "Enter")
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.locator("#submission-status")).to_have_text("Đã gửi")

    # and Cẩm Thành's clerk has read every earlier notification (the demo's history made some)
    _switch_user(page, login, "camthanh_nhaplieu")
    page.goto("/notifications/")
    if page.locator("#read-all").count():
        page.get_by_role("button", name="Đánh dấu tất cả đã đọc").click()
    expect(page.locator("#notification-count")).to_have_count(0)

    # when the clerk takes back Cẩm Thành's sent report and types fewer people than events
    entry_url = _open_report(page, "Phường Cẩm Thành")
    page.get_by_role("button", name="Rút lại").click()
    expect(page.locator("#submission-status")).to_have_text("Nháp")
    _type_cell(page, "FESTIVAL_EVENTS", "12", "Enter")
    _type_cell(page, "FESTIVAL_PARTICIPANTS", "10", "Enter")
    # then the screen warns, and the report is sent with the explanation
    page.reload()
    expect(page.locator(".rule-results .warn")).to_have_text(WARNING)
    page.get_by_label("Giải trình các cảnh báo").fill(EXPLANATION)
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.locator("#submission-status")).to_have_text("Đã gửi")

    # when the province approver opens it
    _switch_user(page, login, "qn_duyet")
    page.goto(entry_url)
    # then they read the explanation, and who sent it
    expect(page.locator("#warning-comment")).to_have_text(f"Giải trình: {EXPLANATION}")
    expect(page.locator("#submitted-by")).to_contain_text("Gửi bởi")
    # and they return it with a reason
    page.get_by_placeholder("Lý do").first.fill(REASON)
    page.get_by_role("button", name="Trả lại").click()
    expect(page.locator(".messages li.success")).to_have_text("Đã trả lại báo cáo cho đơn vị.")
    expect(page.locator("#submission-status")).to_have_text("Bị trả lại")

    # when Cẩm Thành's clerk logs in again
    _switch_user(page, login, "camthanh_nhaplieu")
    # then the bell says one, and the list links to the report with the reason
    expect(page.locator("#notification-count")).to_have_text("1")
    page.locator("#notification-bell").click()
    told = page.locator("#notifications li.unread")
    expect(told).to_have_count(1)
    expect(told).to_contain_text("đã trả lại báo cáo")
    expect(told).to_contain_text(REASON)
    told.get_by_role("link").click()
    expect(page).to_have_url(entry_url)
    expect(page.locator("#returned-reason")).to_have_text(f"Lý do trả lại: {REASON}")
    expect(page.locator("#returned-by")).to_contain_text("Trả lại bởi")
    expect(page.locator("#notification-count")).to_have_count(0)

    # when the clerk corrects the figure and sends the report again
    _type_cell(page, "FESTIVAL_PARTICIPANTS", "1200", "Enter")
    page.reload()
    page.get_by_role("button", name="Gửi báo cáo").click()
    # then it is sent, and the return reason is gone
    expect(page.locator("#submission-status")).to_have_text("Đã gửi")
    expect(page.locator("#returned-reason")).to_have_count(0)
    expect(page.locator("#returned-by")).to_have_count(0)

    # when the province approver ticks both communes on the completeness page and approves
    _switch_user(page, login, "qn_duyet")
    _province_completeness(page)
    before = {unit: int(_approved(page, unit).inner_text()) for unit in (CAM_THANH, NGHIA_LO)}
    page.get_by_label("Duyệt báo cáo của Phường Cẩm Thành").check()
    page.get_by_label("Duyệt báo cáo của Phường Nghĩa Lộ").check()
    page.fill("#approve-many-comment", "Đạt yêu cầu.")
    page.get_by_role("button", name="Duyệt các báo cáo đã chọn").click()

    # then both are approved in one go, and neither can be ticked any more
    expect(page.locator(".messages li.success")).to_have_text(
        re.compile(r"^Đã duyệt 2 báo cáo: (Phường Cẩm Thành, Phường Nghĩa Lộ|"
                   r"Phường Nghĩa Lộ, Phường Cẩm Thành)\.$")
    )  # fmt: skip
    for unit in (CAM_THANH, NGHIA_LO):
        expect(_approved(page, unit)).to_have_text(str(before[unit] + 1))
    expect(page.get_by_label("Duyệt báo cáo của Phường Cẩm Thành")).to_have_count(0)
    page.goto(entry_url)
    expect(page.locator("#submission-status")).to_have_text("Đã duyệt")
    expect(page.locator("#approved-comment")).to_have_text("Ý kiến của người duyệt: Đạt yêu cầu.")

    # and Cẩm Thành's clerk is told of the approval
    _switch_user(page, login, "camthanh_nhaplieu")
    expect(page.locator("#notification-count")).to_have_text("1")


def test_on_a_phone_the_bell_shows_with_the_menu_closed(page: Page, login):
    # given a 390 px wide phone screen
    page.set_viewport_size({"width": 390, "height": 844})
    # when the commune's clerk logs in
    _switch_user(page, login, "camthanh_nhaplieu")
    # then the bell is on the bar while the menu is closed, and it opens the list
    expect(page.locator("#mainnav")).to_be_hidden()
    expect(page.locator("#notification-bell")).to_be_visible()
    page.locator("#notification-bell").click()
    expect(page.locator("h1")).to_have_text("Thông báo")
