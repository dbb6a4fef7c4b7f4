"""Saving cells in a real browser: the browser keeps what it could not send, and only that.

Works on a cell of Xã Bờ Y's festival report of the current year that no other browser test
reads (test_reporting.py submits that report afterwards; no rule reads this cell).
"""

from playwright.sync_api import Page, expect

from phongtrao.accounts.passwords import DEMO_PASSWORD
from phongtrao.tests.browser.test_reporting import _type_cell, open_bo_y_festival

CELL = "SAFE_RESIDENTIAL_AREAS"


def _kept(page: Page) -> list[str]:
    """The cells the browser still holds to send again."""
    return page.evaluate(
        "Object.keys(localStorage).filter(k => k.startsWith('phongtrao:unsaved:'))"
        ".map(k => k.split('/').at(-2))"
    )


def test_a_saved_cell_leaves_nothing_to_send_again(login):
    # given the data-entry user saves a cell
    page = login("boy_nhaplieu")
    open_bo_y_festival(page)
    _type_cell(page, CELL, "4", "Tab")
    # then the browser holds nothing more for it
    assert _kept(page) == []
    # and opening the screen again sends nothing: the cell shows the value, not a new save
    page.reload()
    expect(page.locator(f"#v-{CELL}")).to_have_value("4")
    page.wait_for_load_state("networkidle")
    expect(page.locator(f"#cell-{CELL} .cell-status .ok")).to_have_count(0)


def test_a_value_typed_offline_is_kept_and_saved_when_the_connection_returns(login):
    # given the data-entry user's connection drops
    page = login("boy_nhaplieu")
    open_bo_y_festival(page)
    page.context.set_offline(True)
    # when they type a value and leave the cell
    box = page.locator(f"#v-{CELL}")
    box.fill("7")
    box.press("Tab")
    # then the cell says it is not saved yet, and the browser keeps it
    expect(page.locator(f"#cell-{CELL} .unsaved")).to_be_visible()
    assert _kept(page) == [CELL]
    # when the connection returns
    page.context.set_offline(False)
    # then it is saved, nothing is held any more, and the server has it
    expect(page.locator(f"#cell-{CELL} .cell-status .ok")).to_have_text("Đã lưu")
    assert _kept(page) == []
    page.reload()
    expect(page.locator(f"#v-{CELL}")).to_have_value("7")


def test_a_value_kept_under_the_cells_name_is_saved_when_the_screen_opens(login):
    # given a value the browser kept for the cell, under the cell's own address in reporting
    # (where earlier versions posted it, and the name it is kept by whatever it posts to)
    page = login("boy_nhaplieu")
    open_bo_y_festival(page)
    form = page.locator(f"#cell-{CELL} form")
    key = form.get_attribute("data-key")
    assert key.startswith("/reporting/entry/") and key.endswith(f"/cell/{CELL}/")
    assert form.get_attribute("hx-post").startswith("/analytics/entry/")
    version = page.locator(f"#cell-{CELL} input[name=version]").input_value()
    user = page.locator(".entry-grid").get_attribute("data-user")
    kept = "JSON.stringify({value: '12', version: v, comment: ''})"
    page.evaluate(
        f"([k, v]) => localStorage.setItem(k, {kept})", [f"phongtrao:unsaved:{user}:{key}", version]
    )
    # when the screen opens again
    page.reload()
    # then the kept value is sent and saved, with its total, and nothing is held any more
    expect(page.locator(f"#cell-{CELL} .cell-status .ok")).to_have_text("Đã lưu")
    expect(page.locator(f"#total-{CELL}")).to_contain_text("tổng cả đơn vị trực thuộc")
    assert _kept(page) == []
    page.reload()
    expect(page.locator(f"#v-{CELL}")).to_have_value("12")


def test_sending_the_report_waits_for_a_cell_still_being_saved(login):
    # given a cell save the server has not answered yet; the report's sending is answered here
    page = login("boy_nhaplieu")
    open_bo_y_festival(page)
    order = []
    page.on("request", lambda r: order.append(("sent", r.url.split("/")[-2])))
    page.on("requestfinished", lambda r: order.append(("done", r.url.split("/")[-2])))
    held = []
    page.route("**/cell/**", lambda route: held.append(route))
    page.route("**/action/", lambda route: route.fulfill(status=204))
    box = page.locator(f"#v-{CELL}")
    box.fill("5")
    box.press("Tab")
    while not held:
        page.wait_for_timeout(20)
    # when the user sends the report while the save is held, then the save goes through
    page.get_by_role("button", name="Gửi báo cáo").click()
    page.wait_for_timeout(300)  # time enough for a sending that did not wait to go out
    held[0].continue_()
    while ("sent", "action") not in order:
        page.wait_for_timeout(20)
    # then the report went only once the cell had been saved
    steps = [step for step in order if step[1] in (CELL, "action")]
    assert steps[:3] == [("sent", CELL), ("done", CELL), ("sent", "action")]


def test_a_cell_left_unsent_is_not_sent_by_the_next_user_of_the_browser(login):
    # given the data-entry user types a value while offline and leaves it unsent
    page = login("boy_nhaplieu")
    open_bo_y_festival(page)
    before = page.locator(f"#v-{CELL}").input_value()
    page.context.set_offline(True)
    box = page.locator(f"#v-{CELL}")
    box.fill("99")
    box.press("Tab")
    expect(page.locator(f"#cell-{CELL} .unsaved")).to_be_visible()
    assert _kept(page) == [CELL]
    # and closes the screen, and back online, logs out from another page
    context = page.context
    page.close()
    context.set_offline(False)
    page = context.new_page()
    page.goto("/")
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_load_state()
    # then the browser holds nothing of theirs any more
    assert _kept(page) == []
    # when another user logs in on the same browser and opens the same screen
    sent = []
    page.on("request", lambda r: sent.append(r.url) if "/cell/" in r.url else None)
    page.fill("#id_username", "boy_duyet")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    open_bo_y_festival(page)
    page.wait_for_load_state("networkidle")
    # then nothing was sent, and the server still has the value from before
    assert sent == []
    page.reload()
    expect(page.locator(f"#v-{CELL}")).to_have_value(before)
