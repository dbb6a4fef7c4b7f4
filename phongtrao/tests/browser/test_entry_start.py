"""The "Nhập số liệu" page's unit tree in a real browser: the buttons that move through it keep
the form and period chosen, and an old commune's report opens from it (issue 20 item 6)."""

import re

from playwright.sync_api import Page, expect

from phongtrao.tests.browser.test_reporting import pick_entry_unit


def test_a_commune_user_opens_the_report_of_a_commune_it_took_over(page: Page, login):
    # given Bờ Y's data-entry user on the entry page, with the festival form and 2024 chosen
    login("boy_nhaplieu")
    page.goto("/reporting/entry/")
    page.select_option("#id_form", "FESTIVAL")
    page.fill("#id_period", "2024")
    # when they search the tree for the old town, keeping their choices, tick it and open
    page.fill("#unit-pick input[name=q]", "plei kan")
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(page.locator("#unit-pick")).to_contain_text("Tìm thấy 1 đơn vị")
    expect(page.locator("#id_form")).to_have_value("FESTIVAL")
    expect(page.locator("#id_period")).to_have_value("2024")
    pick_entry_unit(page, "Thị trấn Plei Kần")
    page.get_by_role("button", name="Mở", exact=True).click()
    # then its own 2024 report opens
    page.wait_for_url(re.compile(r"/reporting/entry/FESTIVAL/\d+/2024/$"))
    expect(page.locator(".entry-head strong").first).to_have_text("Thị trấn Plei Kần")
