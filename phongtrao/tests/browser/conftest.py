"""Browser tests: Debian's Chromium, driven by Playwright, against a real `phongtrao runserver`.

The server runs in its own process on its own database (a SQLite file, or a PostgreSQL
database when the suite runs on PostgreSQL), prepared with the same commands as `make run`:
migrate, units load, demo. Nothing is mocked; only its password hasher is a fast one
(tests/server_settings.py).
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings

from phongtrao.ops.demo import DEMO_PASSWORD
from phongtrao.tests.databases import postgres_database

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# First, so that xdist's own hook finds the group mark when it sorts the tests out.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            # One test worker runs them all, so the server and its database are prepared once.
            item.add_marker(pytest.mark.xdist_group("browser"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def _database_url(tmp: Path) -> Iterator[str]:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        yield f"sqlite:///{tmp / 'browser.sqlite3'}"
        return
    with postgres_database(f"phongtrao_browser_{os.getpid()}") as url:
        yield url


@pytest.fixture(scope="session")
def live_url(tmp_path_factory) -> Iterator[str]:
    if not CHROMIUM.exists():
        if os.environ.get("PHONGTRAO_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required here: apt-get install chromium")
        pytest.skip("Debian's chromium is not installed")
    tmp = tmp_path_factory.mktemp("browser")
    with _database_url(tmp) as database_url:
        yield from _served(tmp, database_url)


def _served(tmp: Path, database_url: str) -> Iterator[str]:
    """`phongtrao runserver` on a database prepared as `make run` prepares it; its URL."""
    env = os.environ | {
        "DEBUG": "1",
        "PHONGTRAO_DEMO": "1",
        "PHONGTRAO_VAR_DIR": str(tmp),
        "DATABASE_URL": database_url,
        # The project's settings with a fast password hasher, for this test server only.
        "DJANGO_SETTINGS_MODULE": "phongtrao.tests.server_settings",
    }
    cli = [sys.executable, "-m", "phongtrao.cli"]
    for command in (["migrate", "--noinput", "-v0"], ["units", "load"], ["demo"]):
        done = subprocess.run(cli + command, env=env, capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    port = _free_port()
    log = (tmp / "server.log").open("w")
    server = subprocess.Popen(
        cli + ["runserver", "--noreload", f"127.0.0.1:{port}"], env=env, stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/accounts/login/", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError((tmp / "server.log").read_text()) from None
            time.sleep(0.3)
    yield url
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(scope="module")
def browser(live_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_url):
    context = browser.new_context(base_url=live_url, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def login(page):
    def log_in(username: str, password: str = DEMO_PASSWORD):
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        return page

    return log_in
