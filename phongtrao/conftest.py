"""Shared test fixtures.

The official unit lists are loaded once per test session into the test database; each test
then runs inside a transaction that is rolled back, so tests never see each other's writes.
Tests must not use `transactional_db` (it would flush the loaded units for the tests after it).
"""

import functools
import os
import shutil
from collections.abc import Callable, Iterator
from datetime import date
from io import StringIO
from pathlib import Path

import pytest

from phongtrao.accounts.models import User
from phongtrao.accounts.services import user_create
from phongtrao.core.roles import Role
from phongtrao.units.models import LEGACY_END, REFORM_DATE, Unit, UnitKind
from phongtrao.units.services import unit_create

TEST_PASSWORD = "Mật-khẩu-thử-2026"


@functools.cache
def _pdf_missing() -> str:
    """The Debian packages that writing (WeasyPrint) and reading (pdftotext) a PDF need."""
    missing = []
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        missing.append("libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation2")
    if shutil.which("pdftotext") is None:
        missing.append("poppler-utils")
    return " ".join(missing)


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A test marked `pdf` is skipped where the packages are missing, as browser tests are
    without Chromium: `make test` passes with only Python and pip. CI installs them and sets
    PHONGTRAO_REQUIRE_PDF=1, so there they must run.

    A test that reads the shared demo after one that did not finds it built again here, before
    its fixtures, so that the test's own transaction is inside the demo's."""
    shared = item.config.stash.get(SHARED_DEMO, None)
    if shared is not None and _reads_the_demo(item) and not shared.is_open:
        shared.open()
    if item.get_closest_marker("pdf") is None or not _pdf_missing():
        return
    message = f"PDF tests need Debian packages: apt-get install {_pdf_missing()}"
    if os.environ.get("PHONGTRAO_REQUIRE_PDF") == "1":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(autouse=True, scope="session")
def fast_password_hasher() -> Iterator[None]:
    """Django's default hasher takes half a second per password by design; tests create hundreds
    of users and log many of them in, and none of them is about the strength of a hash."""
    from django.test.utils import override_settings

    from phongtrao.tests.server_settings import PASSWORD_HASHERS

    with override_settings(PASSWORD_HASHERS=PASSWORD_HASHERS):
        yield


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path_factory):
    """Uploads made by tests (photos, attached files, source reports) go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def vietnamese():
    """Every test starts in Vietnamese, whatever language an earlier request switched to."""
    from django.utils import translation

    translation.activate("vi")
    yield
    translation.deactivate()


@pytest.fixture
def client():
    """Tests run with production settings: requests arrive through the TLS proxy."""
    from django.test import Client

    return Client(headers={"X-Forwarded-Proto": "https"})


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from phongtrao.units.loading import units_load

    with django_db_blocker.unblock():
        units_load()


# --- The demo, built once for the tests that only read it ----------------------------------
# `phongtrao demo` takes a minute or more. The tests that ask for `demo` share one build: it is
# made in a transaction kept open while they run, one after the other on one test worker, each
# in its own savepoint inside it as every test is; the transaction is rolled back before any
# other test runs, so no other test sees the demo.


class SharedDemo:
    """The demo as `phongtrao demo` makes it, in a transaction that stays open until `close`."""

    def __init__(self, blocker, media: pytest.TempPathFactory) -> None:
        self.blocker = blocker
        self.media_factory = media
        self.media: Path | None = None
        self.output = ""
        self._atomic = None

    @property
    def is_open(self) -> bool:
        return self._atomic is not None

    def open(self) -> None:
        from django.core.management import call_command
        from django.db import transaction
        from django.test.utils import override_settings
        from django.utils import translation

        out = StringIO()
        self.media = self.media_factory.mktemp("demo-media")
        with self.blocker.unblock():
            self._atomic = transaction.atomic()
            self._atomic.__enter__()
            try:
                with override_settings(MEDIA_ROOT=self.media), translation.override("vi"):
                    call_command("demo", stdout=out)
            except BaseException:
                self.close()
                raise
        self.output = out.getvalue()

    def close(self) -> None:
        from django.db import transaction

        if self._atomic is None:
            return
        with self.blocker.unblock():
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)
        self._atomic = None


SHARED_DEMO = pytest.StashKey[SharedDemo]()


def _reads_the_demo(item: pytest.Item | None) -> bool:
    return item is not None and "demo" in getattr(item, "fixturenames", ())


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests that read the demo run together, on one worker (before xdist reads the group),
    so it is built once per run."""
    readers = [item for item in items if _reads_the_demo(item)]
    if not readers:
        return
    first = items.index(readers[0])
    others = [item for item in items if not _reads_the_demo(item)]
    items[:] = others[:first] + readers + others[first:]
    for item in readers:
        item.add_marker(pytest.mark.xdist_group("demo"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    try:
        return (yield)
    finally:
        shared = item.config.stash.get(SHARED_DEMO, None)
        if shared is not None and shared.is_open and not _reads_the_demo(nextitem):
            shared.close()


@pytest.fixture(scope="session")
def shared_demo(
    request, django_db_setup, django_db_blocker, fast_password_hasher, tmp_path_factory
) -> Iterator[SharedDemo]:
    # Session-scoped, so it is opened before any test's own transaction; see `demo`.
    shared = SharedDemo(django_db_blocker, tmp_path_factory)
    request.config.stash[SHARED_DEMO] = shared
    shared.open()
    yield shared
    shared.close()


@pytest.fixture
def demo(shared_demo: SharedDemo, settings, db) -> SharedDemo:
    """The whole demo (units, users, reports, registries) as `phongtrao demo` made it, with the
    command's output; for tests that only read it (a test's own writes are rolled back).
    Should another test run between two that read it, it is rolled back and built again."""
    settings.MEDIA_ROOT = shared_demo.media
    return shared_demo


def current_unit(code: str, kind: str = UnitKind.COMMUNE) -> Unit:
    return Unit.objects.get(code=code, kind=kind, valid_from=REFORM_DATE)


def legacy_unit(code: str, kind: str = UnitKind.COMMUNE) -> Unit:
    return Unit.objects.get(code=code, kind=kind, valid_to=LEGACY_END)


@pytest.fixture
def quang_ngai(db) -> Unit:
    return current_unit("51", UnitKind.PROVINCE)


@pytest.fixture
def bo_y(db) -> Unit:
    return current_unit("23377")


@pytest.fixture
def cam_thanh(db) -> Unit:
    return current_unit("21025")


@pytest.fixture
def plei_kan(db) -> Unit:
    return legacy_unit("23377")


@pytest.fixture
def test_password() -> str:
    """TEST_PASSWORD for the tests of apps below accounts, which may not import this module
    (it imports accounts)."""
    return TEST_PASSWORD


@pytest.fixture
def make_user(db) -> Callable[..., User]:
    def make(
        username: str,
        role: str = Role.DATA_ENTRY,
        units: tuple[Unit, ...] = (),
        *,
        is_superuser: bool = False,
    ) -> User:
        return user_create(
            actor=None,
            username=username,
            password=TEST_PASSWORD,
            role=role,
            units=units,
            is_superuser=is_superuser,
        )

    return make


@pytest.fixture
def make_area(db) -> Callable[..., Unit]:
    def make(parent: Unit, name: str = "Thôn Một", kind: str = UnitKind.RESIDENTIAL_AREA) -> Unit:
        return unit_create(actor=None, parent=parent, kind=kind, name=name, type_name="Thôn")

    return make


@pytest.fixture
def reform_eve() -> date:
    return LEGACY_END
