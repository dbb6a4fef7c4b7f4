from collections.abc import Callable

import pytest

from phongtrao.accounts.models import User
from phongtrao.accounts.services import user_create
from phongtrao.conftest import TEST_PASSWORD
from phongtrao.core.roles import Role
from phongtrao.units.models import Unit


@pytest.fixture
def cam_thanh_admin(make_user, cam_thanh) -> User:
    return make_user("ct_quantri", Role.ADMIN, (cam_thanh,))


@pytest.fixture
def quang_ngai_admin(make_user, quang_ngai) -> User:
    return make_user("qn_quantri", Role.ADMIN, (quang_ngai,))


@pytest.fixture
def superuser(db) -> User:
    return user_create(
        actor=None,
        username="root",
        password=TEST_PASSWORD,
        role=Role.ADMIN,
        units=(),
        is_superuser=True,
    )


@pytest.fixture
def make_person(db) -> Callable[..., User]:
    """An account with a Vietnamese full name, made by a script (no actor)."""

    def make(
        username: str, full_name: str, units: tuple[Unit, ...], role: str = Role.VIEWER
    ) -> User:
        return user_create(
            actor=None,
            username=username,
            password=TEST_PASSWORD,
            role=role,
            units=units,
            full_name=full_name,
        )

    return make
