"""The reporting round trip in a real browser: enter, be stopped by a rule, submit, approve, count.

The demo leaves Xã Bờ Y's own festival report of the current year empty for this test; in that
year two of its residential areas have submitted and one of those is approved
(see `CURRENT_YEAR_OUTCOMES` in phongtrao/ops/demo.py). test_extraction.py may have saved figures
into that same draft first; this test types every figure its rule reads, so they do not matter.
"""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

YEAR = str(datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).year)
RULE_MESSAGE = (
    "Số mô hình được nhân rộng không được lớn hơn tổng số mô hình được củng cố, duy trì "
    "và số mô hình xây dựng mới."
)


def _switch_user(page: Page, login, username: str) -> Page:
    page.context.clear_cookies()
    return login(username)


def _select_unit(page: Page, name: str) -> None:
    """Units are listed indented by depth ("— Xã Bờ Y"); pick the one with this name."""
    option = page.locator("#id_unit option", has_text=re.compile(rf"(^|\s){re.escape(name)}$"))
    page.select_option("#id_unit", option.get_attribute("value"))


def pick_entry_unit(page: Page, name: str) -> None:
    """Tick a unit the entry page's tree lists at the level shown ("Xã Bờ Y (chính đơn vị
    này)", "Thị trấn Plei Kần (đến 30/06/2025)")."""
    label = page.locator("#unit-pick label", has_text=re.compile(rf"^\s*{re.escape(name)}(\s|$)"))
    label.first.locator("input[type=radio]").check()


def open_bo_y_festival(page: Page) -> None:
    """Open Xã Bờ Y's festival report of the current year from the entry page, as a draft."""
    page.goto("/reporting/entry/")
    page.select_option("#id_form", "FESTIVAL")
    page.fill("#id_period", YEAR)
    pick_entry_unit(page, "Xã Bờ Y")
    page.get_by_role("button", name="Mở").click()
    expect(page.locator("#submission-status")).to_have_text("Nháp")


def _type_cell(page: Page, code: str, value: str, key: str) -> None:
    """Type into a cell and leave it with Enter or Tab, as people do, then wait for the save."""
    # The cell may still say "Đã lưu" from an earlier save: mark it, and wait for the new one.
    page.locator(f"#cell-{code}").evaluate("cell => cell.dataset.before = '1'")
    box = page.locator(f"#v-{code}")
    box.click()
    box.fill(value)
    box.press(key)
    saved = page.locator(f"#cell-{code}:not([data-before]) .cell-status .ok")
    expect(saved).to_have_text("Đã lưu")


def _bo_y_counts(page: Page) -> tuple[str, str]:
    """Submitted and approved reports under Xã Bờ Y on Quảng Ngãi's completeness page."""
    page.goto("/reporting/completeness/")
    page.select_option("#id_form", "FESTIVAL")
    page.fill("#id_period", YEAR)
    _select_unit(page, "Tỉnh Quảng Ngãi")
    page.get_by_role("button", name="Xem").click()
    expect(page.locator("#completeness-summary")).to_contain_text("Tỉnh Quảng Ngãi")
    row = page.locator("#completeness-rows tr", has=page.get_by_role("link", name="Xã Bờ Y"))
    return (
        row.locator("[data-col=submitted]").inner_text(),
        row.locator("[data-col=approved]").inner_text(),
    )


def test_enter_fix_a_rule_submit_approve_and_see_completeness_change(page: Page, login):
    # given the province approver sees Bờ Y's figures for this year
    _switch_user(page, login, "qn_duyet")
    assert _bo_y_counts(page) == ("2", "1")

    # when Bờ Y's data-entry user opens the commune's festival report for this year
    _switch_user(page, login, "boy_nhaplieu")
    open_bo_y_festival(page)
    entry_url = page.url

    # and types more replicated models than maintained and new ones together
    _type_cell(page, "SCHEMES_MAINTAINED", "3", "Enter")
    expect(page.locator("#v-SCHEMES_REPLICATED")).to_be_focused()
    page.keyboard.type("9")
    page.keyboard.press("Tab")
    expect(page.locator("#cell-SCHEMES_REPLICATED .cell-status .ok")).to_have_text("Đã lưu")
    _type_cell(page, "SCHEMES_NEW", "1", "Enter")
    page.get_by_role("button", name="Gửi báo cáo").click()

    # then the report is refused with the rule's Vietnamese message
    expect(page.locator(".messages li.error")).to_have_text(
        f"Báo cáo còn lỗi cần sửa trước khi gửi. {RULE_MESSAGE}"
    )
    expect(page.locator(".rule-results .err")).to_have_text(RULE_MESSAGE)
    expect(page.locator("#submission-status")).to_have_text("Nháp")

    # when the value is fixed and the report sent again
    _type_cell(page, "SCHEMES_REPLICATED", "2", "Enter")
    page.get_by_role("button", name="Gửi báo cáo").click()

    # then it is submitted, and the saved value reads back the Vietnamese way
    expect(page.locator(".messages li.success")).to_have_text("Đã gửi báo cáo.")
    expect(page.locator("#submission-status")).to_have_text("Đã gửi")
    expect(page.locator("#cell-SCHEMES_REPLICATED .cell-readonly")).to_have_text("2")

    # when the province approver approves it
    _switch_user(page, login, "qn_duyet")
    page.goto(entry_url)
    page.get_by_role("button", name="Phê duyệt").click()
    expect(page.locator(".messages li.success")).to_have_text("Đã phê duyệt báo cáo.")
    expect(page.locator("#submission-status")).to_have_text("Đã duyệt")

    # then Bờ Y counts one more report submitted and one more approved
    assert _bo_y_counts(page) == ("3", "2")
