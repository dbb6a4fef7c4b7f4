"""Who owns which part of the catalogue: the one place that decides it.

The national catalogue (owner empty) applies to every province, so only a national
administrator (or a superuser) changes it. A province administrator adds and changes the
indicators and forms of their own province only; a commune administrator changes nothing.
Everyone reads the national catalogue and the part of the provinces their units lie in.
"""

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.roles import Role
from phongtrao.units.models import Unit, UnitKind
from phongtrao.units.scope import user_provinces


def is_national_admin(user: Any) -> bool:
    return user.is_superuser or user.role == Role.NATIONAL_ADMIN


def owned_provinces(user: Any) -> list[Unit]:
    """The provinces whose own catalogue the user changes: those they administer whole."""
    if not getattr(user, "is_authenticated", False) or not user.has_role(Role.ADMIN):
        return []
    return list(user.units.filter(kind=UnitKind.PROVINCE).order_by("pk"))


def visible_q(user: Any, field: str = "owner") -> Q:
    """The catalogue rows the user reads: the national ones and those of their provinces."""
    if is_national_admin(user):
        return Q()
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__in": user_provinces(user)})


def can_change(user: Any, owner_id: int | None) -> bool:
    if user is None:  # the system itself: migrations, the command line, the demo
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if is_national_admin(user):
        return True
    return owner_id is not None and owner_id in {p.pk for p in owned_provinces(user)}


def check_change(*, actor: Any, owner_id: int | None) -> None:
    if not can_change(actor, owner_id):
        raise AppError(
            ErrorCode.FORBIDDEN,
            _(
                "Only a national administrator changes the national catalogue; a province "
                "administrator changes the indicators and forms of their own province."
            ),
        )


def owner_for_new(actor: Any) -> Unit | None:
    """The owner of what the actor adds: nobody (national) or their own province."""
    if actor is None or (getattr(actor, "is_authenticated", False) and is_national_admin(actor)):
        return None
    provinces = owned_provinces(actor)
    if not provinces:
        check_change(actor=actor, owner_id=None)
    return provinces[0]


def owner_unit_id(obj: Any) -> int | None:
    """The unit a catalogue row's audit events belong to: its own owner or its form's."""
    if hasattr(obj, "owner_id"):
        return obj.owner_id
    return obj.form.owner_id
