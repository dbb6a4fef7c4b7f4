"""The registries in a real browser: a model with two points and a festival event with a photo,
then the figures the registries give Xã Bờ Y on its data entry screen.

Other browser tests share the server's database (test_reporting.py submits Xã Bờ Y's festival
report of this year; test_extraction.py saves values there), so this test compares the figures
before and after, and reads them whether the report is still editable or not.
"""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect

from phongtrao.tests.browser.test_reporting import pick_entry_unit

TODAY = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
YEAR = str(TODAY.year)
CODES = ("FESTIVAL_EVENTS", "FESTIVAL_PARTICIPANTS", "SCHEMES_NEW")


def _select_unit(page: Page, select: str, name: str) -> None:
    """Units are listed indented by depth ("— Xã Bờ Y"); pick the one with this name."""
    option = page.locator(f"{select} option", has_text=re.compile(rf"(^|\s){re.escape(name)}$"))
    page.select_option(select, option.first.get_attribute("value"))


def _entry_screen(page: Page) -> str:
    """Open Xã Bờ Y's festival report of this year from the start page; its address."""
    page.goto("/reporting/entry/")
    page.select_option("#id_form", "FESTIVAL")
    page.fill("#id_period", YEAR)
    pick_entry_unit(page, "Xã Bờ Y")
    page.get_by_role("button", name="Mở").click()
    page.wait_for_url(re.compile(rf"/reporting/entry/FESTIVAL/\d+/{YEAR}/$"))
    return page.url


def _derived(page: Page) -> dict[str, int]:
    """The "Theo sổ: N" figures beside the cells."""
    figures = {}
    for code in CODES:
        line = page.locator(f"#cell-{code} [data-derived={code}]")
        expect(line).to_contain_text("Theo sổ:")
        figures[code] = int(line.locator("strong").inner_text().replace(".", ""))
    return figures


def _photo(path) -> None:
    image = Image.new("RGB", (640, 400), (176, 30, 35))
    ImageDraw.Draw(image).rectangle((40, 40, 600, 360), outline=(255, 215, 0), width=8)
    image.save(path, "JPEG")


def test_a_model_and_a_festival_event_raise_the_figures_on_the_entry_screen(
    page: Page, login, tmp_path
):
    # given Bờ Y's data-entry user and the registries' figures on its entry screen
    login("boy_nhaplieu")
    entry_url = _entry_screen(page)
    before = _derived(page)

    # when they add a model founded today
    page.goto("/registries/schemes/add/")
    _select_unit(page, "#id_unit", "Xã Bờ Y")
    page.fill("#id_name", f"Camera an ninh liên thôn {TODAY:%d/%m/%Y}")
    page.select_option("#id_scheme_type", label="Camera an ninh")
    page.fill("#id_founded_on", TODAY.isoformat())
    page.locator("#entry-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/registries/schemes/\d+/$"))
    # and two points where it runs
    for place in ("Thôn Iệc", "Làng Le"):
        _select_unit(page, "#point-form select[name=unit]", place)
        page.fill("#point-form input[name=started_on]", TODAY.isoformat())
        page.locator("#point-form button[type=submit]").click()
        expect(page.locator("#scheme-points tbody tr", has_text=place)).to_have_count(1)

    # then the model lists both points
    expect(page.locator("#scheme-points tbody tr")).to_have_count(2)

    # when they add a festival event of today with 150 people
    page.goto("/registries/festivals/add/")
    _select_unit(page, "#id_unit", "Xã Bờ Y")
    page.fill("#id_held_on", TODAY.isoformat())
    page.fill("#id_venue", "Sân văn hóa Thôn Iệc (Ngày hội bổ sung)")
    page.fill("#id_participants", "150")
    page.locator("#entry-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/registries/festivals/\d+/$"))
    # and upload a photo of it
    jpeg = tmp_path / "ngay-hoi.jpg"
    _photo(jpeg)
    page.locator("#photo-form input[type=file]").set_input_files(str(jpeg))
    page.locator("#photo-form button[type=submit]").click()

    # then the photo is shown from its thumbnail
    thumbnail = page.locator("#festival-photos figure img")
    expect(thumbnail).to_have_count(1)
    expect(page.locator("#festival-photos figcaption")).to_contain_text("ngay-hoi.jpg")
    page.wait_for_function(
        "img => img.complete && img.naturalWidth === 320", arg=thumbnail.element_handle()
    )

    # when the entry screen is opened again
    page.goto(entry_url)
    after = _derived(page)

    # then the registries count one more event, its 150 people and one more new model
    assert after == {
        "FESTIVAL_EVENTS": before["FESTIVAL_EVENTS"] + 1,
        "FESTIVAL_PARTICIPANTS": before["FESTIVAL_PARTICIPANTS"] + 150,
        "SCHEMES_NEW": before["SCHEMES_NEW"] + 1,
    }
