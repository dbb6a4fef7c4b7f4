"""Writes to user accounts, every one audited, and the login counters.

`actor=None` is a script (demo, management commands) and is trusted; a person acting through
the web is checked: an administrator changes only accounts whose units all lie in their own
scope, gives only units of that scope, and never raises anyone above their own role.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import UserManager
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from phongtrao.accounts.models import LoginCounter, User
from phongtrao.accounts.selectors import (
    ACCOUNT_KEY,
    ADDRESS_KEY,
    DEVICE_KEY,
    login_failure_window,
    login_key,
    login_wait_minutes,
    users_manageable_by,
)
from phongtrao.core.audit import audit_record, build_event, snapshot
from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.models import AuditAction
from phongtrao.core.roles import Role
from phongtrao.core.text import clean_text, fold, search_key
from phongtrao.units.models import Unit
from phongtrao.units.scope import in_scope

# Derived or secret: left out of the audit so it shows only what a person chose.
_NOT_AUDITED = {"search_key"}


def _user_snapshot(user: User, units: list[Unit]) -> dict[str, Any]:
    data = {k: v for k, v in snapshot(user).items() if k not in _NOT_AUDITED}
    return data | {"units": sorted(u.pk for u in units)}


def _audit_unit_id(units: list[Unit]) -> int | None:
    # The highest unit, so the event is seen by whoever oversees the account.
    return min(units, key=lambda u: (u.depth, u.path)).pk if units else None


def _user_search_key(user: User) -> str:
    return search_key(f"{user.username} {user.full_name}")


def _check_manages(*, actor: Any, user: User) -> None:
    """Outside the administrator's reach answers like a missing account."""
    if actor is None:
        return
    if not actor.has_role(Role.ADMIN):
        raise AppError(ErrorCode.FORBIDDEN, _("Only administrators may manage user accounts."))
    if not users_manageable_by(actor=actor).filter(pk=user.pk).exists():
        raise AppError(ErrorCode.NOT_FOUND, _("User not found."))


def _check_grant(*, actor: Any, role: str, units: list[Unit], is_superuser: bool) -> None:
    if actor is None:
        return
    if not actor.has_role(Role.ADMIN):
        raise AppError(ErrorCode.FORBIDDEN, _("Only administrators may manage user accounts."))
    if is_superuser and not actor.is_superuser:
        raise AppError(ErrorCode.FORBIDDEN, _("Only a superuser may create superusers."))
    if role in Role.values and not actor.has_role(role):
        raise AppError(ErrorCode.FORBIDDEN, _("You may not give a role above your own."))
    if any(not in_scope(actor, unit) for unit in units):
        raise AppError(ErrorCode.OUT_OF_SCOPE, _("Unit not found."))
    if not units and not actor.is_superuser:
        raise AppError(ErrorCode.INVALID, _("Choose at least one unit."))


def _check_username_free(username: str) -> None:
    """People type their user name with or without its marks and capitals: "ĐặngVăn" next to
    "dangvan" would be two accounts that one person cannot tell apart when logging in."""
    if not username:
        return
    # The search key begins with the user name, folded: a narrow, indexed first pass.
    candidates = User.objects.filter(search_key__startswith=search_key(username))
    for existing in candidates.values_list("username", flat=True):
        # The very same name is refused by the model's own unique check, in its own words.
        if existing != username and fold(existing) == fold(username):
            raise ValidationError(
                {
                    "username": _(
                        "The user name “%(username)s” is the account “%(existing)s” written "
                        "with other marks or capitals; choose another user name."
                    )
                    % {"username": username, "existing": existing}
                }
            )


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    password: str,
    role: str,
    units: Iterable[Unit],
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    phone: str = "",
    position: str = "",
    is_superuser: bool = False,
    full_name: str = "",
) -> User:
    """`full_name` is the name as written; older callers pass first and last names."""
    units = list(units)
    _check_grant(actor=actor, role=role, units=units, is_superuser=is_superuser)
    username = clean_text(username)
    _check_username_free(username)
    user = User(
        username=username,
        role=role,
        first_name=clean_text(first_name),
        last_name=clean_text(last_name),
        full_name=clean_text(full_name) or clean_text(f"{first_name} {last_name}"),
        email=UserManager.normalize_email(clean_text(email)),
        phone=clean_text(phone),
        position=clean_text(position),
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    user.search_key = _user_search_key(user)
    user.set_password(password)
    user.full_clean()
    user.save()
    user.units.set(units)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=user,
        after=_user_snapshot(user, units),
        unit_id=_audit_unit_id(units),
    )
    return user


@transaction.atomic
def user_update(
    *,
    actor: Any,
    user: User,
    full_name: str,
    role: str,
    units: Iterable[Unit],
    email: str = "",
    phone: str = "",
    position: str = "",
) -> User:
    """The user name stays: it is how the person logs in and how the audit names them."""
    _check_manages(actor=actor, user=user)
    units = list(units)
    _check_grant(actor=actor, role=role, units=units, is_superuser=False)
    old_units = list(user.units.all())
    if (
        actor is not None
        and actor.pk == user.pk
        and (role != user.role or {u.pk for u in units} != {u.pk for u in old_units})
    ):
        # Otherwise an administrator could lock themselves out of their own province.
        raise AppError(ErrorCode.FORBIDDEN, _("You may not change your own role or units."))
    before = _user_snapshot(user, old_units)
    user.full_name = clean_text(full_name)
    user.role = role
    user.email = UserManager.normalize_email(clean_text(email))
    user.phone = clean_text(phone)
    user.position = clean_text(position)
    user.search_key = _user_search_key(user)
    user.full_clean()
    user.save()
    user.units.set(units)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=user,
        before=before,
        after=_user_snapshot(user, units),
        unit_id=_audit_unit_id(units),
    )
    return user


@transaction.atomic
def user_set_active(*, actor: Any, user: User, is_active: bool) -> User:
    """Accounts are never deleted: their names stay in the audit of what they did."""
    _check_manages(actor=actor, user=user)
    if actor is not None and actor.pk == user.pk and not is_active:
        raise AppError(ErrorCode.FORBIDDEN, _("You may not deactivate your own account."))
    units = list(user.units.all())
    before = _user_snapshot(user, units)
    user.is_active = is_active
    user.full_clean()
    user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=user,
        before=before,
        after=_user_snapshot(user, units),
        unit_id=_audit_unit_id(units),
    )
    return user


@transaction.atomic
def user_set_password(*, actor: Any, user: User, password: str) -> User:
    """A user changes their own password; an administrator resets another's.

    The event records that it happened and nothing of the old or new password (not even
    the hash), which is why it is saved even though it lists no changed values.
    """
    if actor is None or actor.pk != user.pk:
        _check_manages(actor=actor, user=user)
    user.set_password(password)
    user.full_clean()
    user.save(update_fields=["password"])
    build_event(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=user,
        before=None,
        after=None,
        unit_id=_audit_unit_id(list(user.units.all())),
    ).save()
    return user


@dataclass(frozen=True)
class LoginAttempt:
    """The counters one login attempt was counted under; `wait_minutes` > 0 means refused."""

    counters: tuple[LoginCounter, ...]
    wait_minutes: int


def _attempt_keys(*, username: str, ip_address: str | None, device: str | None) -> list[tuple]:
    name = login_key(username)
    if device:
        return [(DEVICE_KEY + device, name)]
    keys = [(ACCOUNT_KEY + name, name)]
    if ip_address:
        keys.append((ADDRESS_KEY + ip_address, ""))
    # One order for every attempt, so two attempts never wait on each other's rows crosswise.
    return sorted(keys)


def _count_one(*, key: str, username: str, now: datetime) -> LoginCounter:
    expired = Q(window_start__lte=now - login_failure_window())
    # The row may vanish between the insert and the update (pruned by another attempt).
    while True:
        new = LoginCounter(key=key, username=username, attempts=0, window_start=now)
        LoginCounter.objects.bulk_create([new], ignore_conflicts=True)
        # One UPDATE raises the count under the row's lock: parallel attempts queue here, and
        # each reads back a count of its own.
        if LoginCounter.objects.filter(key=key).update(
            attempts=Case(When(expired, then=Value(1)), default=F("attempts") + 1),
            window_start=Case(When(expired, then=Value(now)), default=F("window_start")),
        ):
            return LoginCounter.objects.get(key=key)


def login_attempt_start(
    *, username: str, ip_address: str | None, device: str | None
) -> LoginAttempt:
    """Counts an attempt before its password is checked; refused once a count passes its limit.

    Counted in a transaction committed before the password is checked, so a slow password
    hash holds no lock. Not audited: no account may exist for the name; counters age out.
    """
    now = timezone.now()
    # Its own transaction: pruning under the counting's locks could deadlock two attempts.
    with transaction.atomic():
        stale = LoginCounter.objects.filter(window_start__lte=now - 2 * login_failure_window())
        LoginCounter.objects.filter(
            pk__in=stale.select_for_update(skip_locked=True).values("pk")
        ).delete()
    with transaction.atomic():
        counters = tuple(
            _count_one(key=key, username=name, now=now)
            for key, name in _attempt_keys(username=username, ip_address=ip_address, device=device)
        )
    return LoginAttempt(
        counters=counters, wait_minutes=login_wait_minutes(counters=counters, now=now)
    )


@transaction.atomic
def login_attempt_succeeded(*, attempt: LoginAttempt) -> None:
    """The owner is in: their account's or browser's count starts again, and the address
    keeps only its failures (an office logs in from one address every morning)."""
    for counter in attempt.counters:
        rows = LoginCounter.objects.filter(pk=counter.pk)
        if counter.key.startswith(ADDRESS_KEY):
            rows.filter(attempts__gt=0).update(attempts=F("attempts") - 1)
        else:
            rows.update(attempts=0)


@transaction.atomic
def user_unlock(*, actor: Any, user: User) -> int:
    """Lets the account be tried again from every browser; the number of counters dropped."""
    _check_manages(actor=actor, user=user)
    deleted, _by_model = LoginCounter.objects.filter(username=login_key(user.username)).delete()
    build_event(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=user,
        before={"login_locked": deleted > 0},
        after={"login_locked": False},
        unit_id=_audit_unit_id(list(user.units.all())),
    ).save()
    return deleted
