"""The Content-Security-Policy refuses inline scripts and styles: the main pages must have none,
and still work (a cell saved through htmx).

Runs before test_reporting.py, which sends and approves the entry screen's report.
"""

import pytest
from playwright.sync_api import Page, expect

from phongtrao.tests.browser.test_reporting import _type_cell, open_bo_y_festival

PAGES = [
    "/",
    "/units/",
    "/reporting/entry/",
    "/registries/",
    "/registries/schemes/",
    "/registries/festivals/",
    "/documents/",
    "/catalog/",
    "/audit/",
    "/reporting/completeness/",
    "/extraction/",
    "/accounts/users/",
    "/analytics/map/",
]


def _watch_violations(page: Page) -> list[str]:
    """Violations the browser reports, from the console and from the page's own event."""
    seen: list[str] = []
    page.on(
        "console",
        lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('Content Security Policy: ' + e.violatedDirective + ' ' + e.blockedURI))"
    )
    return seen


def test_the_login_page_has_nothing_the_policy_refuses(page: Page):
    seen = _watch_violations(page)
    page.goto("/accounts/login/")
    page.wait_for_load_state("networkidle")
    assert seen == []


@pytest.mark.parametrize("path", PAGES)
def test_a_main_page_has_nothing_the_policy_refuses(page: Page, login, path: str):
    seen = _watch_violations(page)
    login("qn_quantri")
    page.goto(path)
    page.wait_for_load_state("networkidle")
    assert seen == []


def test_the_entry_screen_saves_a_cell_under_the_policy(page: Page, login):
    # given the data-entry user on the entry screen, watched for violations
    seen = _watch_violations(page)
    login("boy_nhaplieu")
    open_bo_y_festival(page)
    # when they save a cell (htmx), then it is saved and nothing was refused
    _type_cell(page, "SAFE_RESIDENTIAL_AREAS", "6", "Enter")
    assert seen == []


def test_the_language_switch_still_sends_itself(page: Page, login):
    seen = _watch_violations(page)
    login("qn_quantri")
    page.select_option("select[name=language]", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.select_option("select[name=language]", "vi")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    assert seen == []
