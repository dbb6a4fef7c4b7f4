"""The national administrator recounts the totals from the menu (no worker: it runs at once),
under the Content-Security-Policy."""

from playwright.sync_api import Page, expect

from phongtrao.tests.browser.test_content_security_policy import _watch_violations


def test_the_national_administrator_recounts_the_totals_from_the_menu(page: Page, login):
    # given the national administrator, watched for refused scripts
    seen = _watch_violations(page)
    login("tw_quantri")
    # when they follow the menu's entry and ask for a recount
    page.get_by_role("link", name="Tính lại các tổng").click()
    expect(page.get_by_role("heading", name="Tính lại các tổng")).to_be_visible()
    page.get_by_role("button", name="Tính lại ngay").click()
    # then the page says it was asked for, and the list shows it done, asked by them
    expect(page.locator(".messages")).to_contain_text("Đã yêu cầu tính lại các tổng.")
    row = page.locator("#recount-jobs tbody tr").first
    expect(row).to_contain_text("Xong")
    expect(row).to_contain_text("Quản trị trung ương")
    expect(page.locator("#recount-jobs")).not_to_have_attribute("hx-trigger", "every 2s")
    assert seen == []
