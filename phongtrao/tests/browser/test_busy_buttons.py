"""Buttons that take a second (a preview, an upload to read) say "Đang xử lý…" while they work
and cannot be pressed twice; the request is held here so the busy state can be seen."""

import re

from playwright.sync_api import Page, Route, expect

from phongtrao.tests.browser.test_extraction import REPORT

BUTTON = "form[enctype] button[type=submit]"
WATCH = f"""() => {{
  const button = document.querySelector("{BUTTON}");
  new MutationObserver(() => sessionStorage.setItem("busy", JSON.stringify(
    [button.textContent, button.disabled, button.getAttribute("aria-busy")]
  ))).observe(button, {{attributes: true, attributeFilter: ["aria-busy"]}});
}}"""


def _hold(page: Page, pattern: str) -> list[Route]:
    """Requests to `pattern` wait until the test lets them go."""
    held: list[Route] = []
    page.route(re.compile(pattern), lambda route: held.append(route))
    return held


def test_the_preview_button_is_busy_while_the_preview_loads(page: Page, login):
    # given the province's clerk on the reports page, the preview's answer held back
    login("qn_nhaplieu")
    page.goto("/documents/")
    page.fill("#id_year", "2024")
    held = _hold(page, r"/documents/preview/")
    button = page.locator("button[hx-get]")
    # when they press "Xem trước"
    button.click()
    # then it says it is working and cannot be pressed again
    expect(button).to_have_text("Đang xử lý…")
    expect(button).to_have_attribute("aria-busy", "true")
    expect(button).to_be_disabled()
    # and when the preview arrives it is itself again
    assert len(held) == 1
    held[0].continue_()
    expect(page.locator("#preview")).not_to_be_empty()
    expect(button).to_have_text("Xem trước")
    expect(button).to_be_enabled()
    expect(button).not_to_have_attribute("aria-busy", "true")


def test_the_upload_button_is_busy_and_the_upload_still_arrives(page: Page, login):
    # given the clerk uploading an old report, the upload held back
    login("boy_nhaplieu")
    page.goto("/extraction/")
    page.set_input_files(
        "input[name=files]",
        files=[{"name": "bao-cao.txt", "mimeType": "text/plain", "buffer": REPORT.encode()}],
    )
    held = _hold(page, r"/extraction/$")
    # While the upload is held the page cannot be read from here (Playwright waits for the
    # navigation), so the page writes down its button as it becomes busy, for after.
    page.evaluate(WATCH)
    # when they send it (not waiting for the page it leads to: that is held)
    page.locator(BUTTON).click(no_wait_after=True)
    # then, once the upload is let go, the file arrived and was read
    page.wait_for_timeout(300)
    assert len(held) == 1 and held[0].request.method == "POST"
    held[0].continue_()
    expect(page.locator("#review-form")).to_be_visible()
    # and the button was busy while it was sent
    assert page.evaluate("sessionStorage.getItem('busy')") == '["Đang xử lý…",true,"true"]'
