"""Reads of user accounts and of the login counters."""

import math
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from phongtrao.accounts.models import LoginCounter, User
from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.roles import Role
from phongtrao.core.text import clean_text, search_key
from phongtrao.units.models import GRASSROOTS_KINDS, Unit, UnitKind
from phongtrao.units.scope import scope_q

# Login counters' keys: an address, a user name tried from browsers its owner never logged in
# from, and one browser its owner did log in from (accounts/devices.py).
ADDRESS_KEY, ACCOUNT_KEY, DEVICE_KEY = "address:", "account:", "device:"

# Units offered when assigning or filtering: today's provinces and communes and the grassroots
# units below them. Districts and pre-reform units stay reachable through the scope itself.
PICKER_KINDS = (UnitKind.PROVINCE, UnitKind.COMMUNE, *GRASSROOTS_KINDS)


def login_key(username: str) -> str:
    """Failures are counted per user name as typed, ignoring case, spaces and NFD/NFC."""
    return clean_text(username).casefold()[:150]


def login_failure_window() -> timedelta:
    return timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)


def login_key_limit(key: str) -> int:
    """An address is shared by a whole office behind one router, so it is allowed more."""
    if key.startswith(ADDRESS_KEY):
        return settings.LOGIN_FAILURE_ADDRESS_LIMIT
    return settings.LOGIN_FAILURE_LIMIT


def login_wait_minutes(*, counters: Iterable[LoginCounter], now: datetime) -> int:
    """Whole minutes until every counter over its limit starts a new window; 0 when none is."""
    waits = [
        (counter.window_start + login_failure_window() - now).total_seconds()
        for counter in counters
        if counter.attempts > login_key_limit(counter.key)
    ]
    return max(1, math.ceil(max(waits) / 60)) if waits else 0


def account_locked_until(*, user: User, now: datetime | None = None) -> datetime | None:
    """When browsers unknown to the owner may try this account again; None if they may now."""
    now = now or timezone.now()
    counter = LoginCounter.objects.filter(
        key=ACCOUNT_KEY + login_key(user.username),
        attempts__gte=settings.LOGIN_FAILURE_LIMIT,
        window_start__gt=now - login_failure_window(),
    ).first()
    return counter.window_start + login_failure_window() if counter else None


def users_manageable_by(*, actor: Any) -> QuerySet[User]:
    """Accounts an administrator may see and change: every unit of theirs lies in the
    administrator's scope. Accounts without units and superusers belong to superusers only,
    because "all units in scope" would otherwise be true of them for everyone.
    """
    if not getattr(actor, "is_authenticated", False) or not actor.has_role(Role.ADMIN):
        return User.objects.none()
    if actor.is_superuser:
        return User.objects.all()
    links = User.units.through.objects.filter(user_id=OuterRef("pk"))
    return (
        User.objects.filter(is_superuser=False)
        .filter(Exists(links))
        .exclude(Exists(links.exclude(scope_q(actor, "unit__path"))))
    )


def user_get_manageable(*, actor: Any, pk: Any) -> User:
    user = users_manageable_by(actor=actor).filter(pk=pk).first()
    if user is None:
        raise AppError(ErrorCode.NOT_FOUND, _("User not found."))
    return user


def user_list(
    *,
    actor: Any,
    query: str = "",
    role: str = "",
    unit: Unit | None = None,
    is_active: bool | None = None,
) -> QuerySet[User]:
    """Manageable accounts; `query` matches user name and full name without diacritics,
    `unit` keeps accounts holding that unit or one below it."""
    qs = users_manageable_by(actor=actor)
    qs = qs.filter(user_search_q(query))
    if role:
        qs = qs.filter(role=role)
    if unit is not None:
        links = User.units.through.objects.filter(
            user_id=OuterRef("pk"), unit__path__startswith=unit.path
        )
        qs = qs.filter(Exists(links))
    if is_active is not None:
        qs = qs.filter(is_active=is_active)
    units = Unit.objects.select_related("parent").order_by("depth", "path")
    return qs.prefetch_related(Prefetch("units", queryset=units)).order_by("username")


def units_in_picker(*, user: Any, on: date | None = None) -> QuerySet[Unit]:
    """Units of the user's scope in force on `on` (today), in tree order."""
    return (
        Unit.objects.visible_to(user)
        .valid_on(on or timezone.localdate())
        .filter(kind__in=PICKER_KINDS)
        .select_related("parent")
        .order_by("path")
    )


def roles_assignable_by(*, actor: Any) -> list[tuple[str, str]]:
    """An administrator never raises anyone above their own role."""
    return [(value, label) for value, label in Role.choices if actor.has_role(value)]


def user_search_q(query: str, prefix: str = "") -> Q:
    """Every word of `query` in the account's search key; `prefix` reaches it ("actor__")."""
    condition = Q()
    for word in search_key(query).split():
        condition &= Q(**{f"{prefix}search_key__contains": word})
    return condition
