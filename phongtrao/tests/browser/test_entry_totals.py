"""The totals under the entry screen's cells in a real browser: loaded with the page (from
analytics, a floor above the screen), and a saved cell's own drawn again in its save's answer.

Works on Xã Bờ Y's festival report of the current year while it is still a draft
(test_reporting.py submits it afterwards), on a cell its villages reported in the demo; other
tests may have typed into it first, so the test reads differences.
"""

import re

from playwright.sync_api import Page, expect

from phongtrao.tests.browser.test_reporting import _type_cell, open_bo_y_festival

CELL = "TIPS_RECEIVED"
LINE = re.compile(r"^Số liệu của riêng đơn vị; tổng cả đơn vị trực thuộc: ([\d.]+)$")


def _total(page: Page) -> int:
    total = page.locator(f"#total-{CELL}")
    expect(total).to_have_text(LINE)
    return int(LINE.match(total.inner_text()).group(1).replace(".", ""))


def test_the_total_under_a_cell_follows_what_is_saved(login):
    # given the data-entry user on Bờ Y's entry screen, whose villages reported tips
    page = login("boy_nhaplieu")
    open_bo_y_festival(page)
    expect(page.locator("#entry-meaning")).to_contain_text("kể cả bản nháp")
    before = _total(page)
    own = page.locator(f"#v-{CELL}").input_value().replace(".", "")
    own = int(own) if own else 0
    # when the commune saves its own figure, 40 more than it had
    _type_cell(page, CELL, str(own + 40), "Tab")
    # then the total under the cell counts it at once, with the villages' figures still in it
    expect(page.locator(f"#total-{CELL}")).to_have_text(
        f"Số liệu của riêng đơn vị; tổng cả đơn vị trực thuộc: {before + 40:,}".replace(",", ".")
    )


def test_a_totals_answer_older_than_a_save_does_not_put_back_the_older_total(login):
    # given the entry screen whose totals answer is computed at once but held on its way
    page = login("boy_nhaplieu")
    held = []
    page.route("**/analytics/entry-totals/**", lambda route: held.append(route))
    open_bo_y_festival(page)
    while not held:
        page.wait_for_timeout(20)
    older = held[0].fetch()
    before = int(re.search(
        rf'id="total-{CELL}"[^>]*>[^<]*: ([\d.]+)<', older.text()
    ).group(1).replace(".", ""))  # fmt: skip
    own = page.locator(f"#v-{CELL}").input_value().replace(".", "")
    own = int(own) if own else 0
    # when a cell is saved, 40 more than it had, and only then the older totals arrive
    _type_cell(page, CELL, str(own + 40), "Tab")
    expected = f"Số liệu của riêng đơn vị; tổng cả đơn vị trực thuộc: {before + 40:,}".replace(
        ",", "."
    )
    expect(page.locator(f"#total-{CELL}")).to_have_text(expected)
    held[0].fulfill(response=older)
    page.wait_for_load_state("networkidle")
    # then the total under the saved cell still counts the save
    expect(page.locator(f"#total-{CELL}")).to_have_text(expected)
