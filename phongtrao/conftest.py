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

import pytest

from phongtrao.accounts.models import Role, User
from phongtrao.accounts.services import user_create
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
    PHONGTRAO_REQUIRE_PDF=1, so there they must run."""
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
def make_user(db) -> Callable[..., User]:
    def make(username: str, role: str = Role.DATA_ENTRY, units: tuple[Unit, ...] = ()) -> User:
        return user_create(
            actor=None, username=username, password=TEST_PASSWORD, role=role, units=units
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
