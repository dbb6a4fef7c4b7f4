"""Who owns which part of the catalogue: the one place that decides it.

The national catalogue (owner empty) applies to every province, so only a national
administrator (or a superuser) changes it. A province administrator adds and changes the
indicators and forms of their own province only; a commune administrator changes nothing.
Everyone reads the national catalogue and the part of the provinces their units lie in.

The catalogue that applies to a unit (its entry screen, the values a file may write into it) is
the national one and that of the unit's province; for a unit from before the 2025 reform, also
that of the province that succeeded its province (a Kon Tum commune reports Quảng Ngãi's forms).
"""

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.roles import Role
from phongtrao.units.models import Unit, UnitKind, UnitSuccession
from phongtrao.units.scope import user_provinces


def is_national_admin(user: Any) -> bool:
    return user.is_superuser or user.role == Role.NATIONAL_ADMIN


def owned_provinces(user: Any) -> list[Unit]:
    """The provinces whose own catalogue the user changes: those they administer whole."""
    if not getattr(user, "is_authenticated", False) or not user.has_role(Role.ADMIN):
        return []
    # Asked by the page and again by the service in one request: cached on the user, like
    # the scope's roots (units/scope.py).
    cached = getattr(user, "_owned_provinces", None)
    if cached is None:
        cached = user._owned_provinces = list(
            user.units.filter(kind=UnitKind.PROVINCE).order_by("pk")
        )
    return cached


def can_add(user: Any) -> bool:
    """Whether the user adds anything to the catalogue: national, or their province's."""
    return is_national_admin(user) or bool(owned_provinces(user))


def visible_q(user: Any, field: str = "owner") -> Q:
    """The catalogue rows the user reads: the national ones and those of their provinces."""
    if is_national_admin(user):
        return Q()
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__in": user_provinces(user)})


def can_read(user: Any, owner_id: int | None) -> bool:
    """`visible_q` for one row already read: no query once the user's scope is cached."""
    if user is None or owner_id is None or is_national_admin(user):
        return True
    return owner_id in user_provinces(user)


def unit_province_id(path: str) -> int:
    """The province a unit lies in: the first id of its materialised path."""
    return int(path.split("/", 1)[0])


def province_successors() -> dict[int, set[int]]:
    """Each province before the reform and the provinces that succeeded it, in one query; for
    checking many units at once (`owners_for_path`)."""
    found: dict[int, set[int]] = {}
    rows = UnitSuccession.objects.filter(predecessor__kind=UnitKind.PROVINCE).values_list(
        "predecessor_id", "successor_id"
    )
    for predecessor, successor in rows.order_by():
        found.setdefault(predecessor, set()).add(successor)
    return found


def owners_for_path(path: str, successors: dict[int, set[int]]) -> frozenset[int]:
    """The provinces whose own catalogue applies to the unit at `path` (the national catalogue
    applies too): its province and the provinces that succeeded it. No query."""
    province = unit_province_id(path)
    return frozenset({province, *successors.get(province, ())})


def applies_to_unit_q(unit: Unit, field: str = "owner") -> Q:
    """The catalogue rows that apply to the unit: national, or owned by its province or by the
    province that succeeded it. The succession is a subquery, so filtering costs no query."""
    province = unit_province_id(unit.path)
    successors = UnitSuccession.objects.filter(predecessor_id=province).values("successor_id")
    return (
        Q(**{f"{field}__isnull": True})
        | Q(**{f"{field}_id": province})
        | Q(**{f"{field}__in": successors})
    )


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
