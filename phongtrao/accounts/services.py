"""Writes to user accounts; every one is audited."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from phongtrao.accounts.models import User
from phongtrao.core.audit import audit_record, snapshot
from phongtrao.core.models import AuditAction
from phongtrao.units.models import Unit


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
) -> User:
    user = User(
        username=username,
        role=role,
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
        position=position,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    units = list(units)
    user.units.set(units)
    after = snapshot(user) | {"units": sorted(u.pk for u in units)}
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=user,
        after=after,
        unit_id=units[0].pk if units else None,
    )
    return user
