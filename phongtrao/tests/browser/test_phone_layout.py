"""On a 390 px phone no page scrolls sideways: each role walks every page of the scope walk.

The pages without an object in their URL come from the same list as the scope walk
(tests/test_scope.py); the pages of one object (a unit, an entry, an uploaded document…) are
reached by following the links of those pages, one page of each kind, as a user would.
"""

from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve
from playwright.sync_api import Browser, Page

from phongtrao.ops.demo import DEMO_PASSWORD
from phongtrao.tests.browser.test_extraction import REPORT
from phongtrao.tests.test_scope import project_pages

PHONE = {"width": 390, "height": 844}
# One user of each role: a commune's viewer, clerk and approver, the province's administrator
# (who sees the users page and the most units) and the national one (the catalogue).
USERS = ["boy_xem", "boy_nhaplieu", "boy_duyet", "boy_quantri", "qn_quantri", "tw_quantri"]
# Leaving the session, or files that are downloaded rather than shown.
SKIPPED = {"accounts:logout"}
DOWNLOAD_SUFFIXES = ("csv", "xlsx", "docx", "download", "file", "photo", "export")
MAX_PAGES = 200

WIDTH = "[document.documentElement.scrollWidth, window.innerWidth]"
# What sticks out, to say in the failure: the innermost elements past the screen's right edge.
CULPRITS = """() => [...document.body.querySelectorAll('*')]
  .filter(e => e.getBoundingClientRect().right > innerWidth + 1
    && ![...e.children].some(c => c.getBoundingClientRect().right > innerWidth + 1)
    && !e.closest('.table-wrap'))
  .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + (typeof e.className === 'string' && e.className
       ? '.' + e.className.split(' ').join('.') : ''))"""
# getAttribute: an SVG link's `href` is an object, not a string (the map's regions).
LINKS = "els => els.map(e => new URL(e.getAttribute('href'), location.href).href)"


def _kind(path: str) -> str | None:
    """The page's URL name, or None for what is not a page to walk."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    name = match.view_name
    if name in SKIPPED or name.rsplit(":", 1)[-1].endswith(DOWNLOAD_SUFFIXES):
        return None
    return name


def _log_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def _is_a_page(page: Page, path: str) -> bool:
    """Asked first without the browser: a download or an error would leave Chromium on a page of
    its own, still navigating when the next page is opened."""
    response = page.context.request.get(path, max_redirects=0)
    return response.status == 200 and "text/html" in response.headers.get("content-type", "")


def _walk(page: Page, start: list[str]) -> tuple[int, dict[str, str]]:
    """How many pages were opened, one of each kind; the width of those that overflow."""
    queue = list(start)
    seen: set[str] = set()
    overflowing: dict[str, str] = {}
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        kind = _kind(urlsplit(path).path)
        if kind is None or kind in seen:
            continue
        if not _is_a_page(page, path):
            continue
        page.goto(path)
        seen.add(kind)
        scroll_width, inner_width = page.evaluate(WIDTH)
        if scroll_width > inner_width:
            overflowing[path] = f"{scroll_width} px: {', '.join(page.evaluate(CULPRITS))}"
        host = urlsplit(page.url).netloc
        for href in page.eval_on_selector_all("a[href]", LINKS):
            link = urlsplit(href)
            if link.netloc == host:
                queue.append(link.path + (f"?{link.query}" if link.query else ""))
    return len(seen), overflowing


@pytest.mark.parametrize("username", USERS)
def test_no_page_scrolls_sideways_on_a_390_px_phone(browser: Browser, live_url, username):
    # given a user of each role on a 390 px wide phone
    context = browser.new_context(base_url=live_url, locale="vi-VN", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    _log_in(page, username)
    # when they open every page of the scope walk without an object, and one page of each kind
    # those pages link to
    start = ["/" + p.route for p in project_pages() if not p.kwargs and "^" not in p.route]
    walked, overflowing = _walk(page, start)
    context.close()
    # then no page is wider than the screen
    assert walked > 20, "the walk opened too few pages to mean anything"
    assert overflowing == {}


def test_the_review_of_an_uploaded_report_fits_a_390_px_phone(browser: Browser, live_url):
    # given the clerk on a phone (the demo has no uploaded report, so the walk meets none)
    context = browser.new_context(base_url=live_url, locale="vi-VN", viewport=PHONE)
    page = context.new_page()
    _log_in(page, "boy_nhaplieu")
    # when they upload an old report and its review opens
    page.goto("/extraction/")
    page.set_input_files(
        "input[name=files]",
        files=[{"name": "bao-cao.txt", "mimeType": "text/plain", "buffer": REPORT.encode()}],
    )
    page.click("form[enctype] button[type=submit]")
    page.wait_for_selector("#review-form")
    assert _kind(urlsplit(page.url).path) == "extraction:review"
    # then the review is no wider than the screen
    scroll_width, inner_width = page.evaluate(WIDTH)
    culprits = page.evaluate(CULPRITS) if scroll_width > inner_width else []
    context.close()
    assert (scroll_width, culprits) == (inner_width, [])
