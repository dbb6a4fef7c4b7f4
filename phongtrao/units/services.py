"""Writes to units made by people: residential areas, agencies, enterprises, schools, police units.

Administrative units come only from `units load` (loading.py).
"""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from phongtrao.accounts.models import Role
from phongtrao.accounts.scope import in_scope
from phongtrao.core.audit import audit_record, snapshot
from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.models import AuditAction
from phongtrao.core.text import clean_text, search_key
from phongtrao.units.models import GRASSROOTS_KINDS, Unit, UnitKind

# Which kinds of unit may sit directly below which.
ALLOWED_PARENT_KINDS = {
    UnitKind.RESIDENTIAL_AREA: (UnitKind.COMMUNE,),
    UnitKind.AGENCY: (UnitKind.PROVINCE, UnitKind.COMMUNE),
    UnitKind.ENTERPRISE: (UnitKind.PROVINCE, UnitKind.COMMUNE),
    UnitKind.SCHOOL: (UnitKind.PROVINCE, UnitKind.COMMUNE),
    UnitKind.POLICE_UNIT: (UnitKind.PROVINCE, UnitKind.COMMUNE),
}


def check_can_change(*, actor: Any, unit: Unit) -> None:
    """Out of scope answers like a missing unit; in scope without the role is forbidden."""
    if actor is not None and not in_scope(actor, unit):
        raise AppError(ErrorCode.NOT_FOUND, _("Unit not found."))
    if actor is not None and not actor.has_role(Role.DATA_ENTRY):
        raise AppError(ErrorCode.FORBIDDEN, _("You may not change the data of this unit."))


def next_grassroots_code(*, parent: Unit) -> str:
    """Codes of units created by users: the commune's code, a dash and a running number."""
    prefix = f"{parent.code}-"
    taken = Unit.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    numbers = [int(c[len(prefix) :]) for c in taken if c[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


@transaction.atomic
def unit_create(
    *,
    actor: Any,
    parent: Unit,
    kind: str,
    name: str,
    type_name: str = "",
    code: str = "",
    valid_from: date | None = None,
    valid_to: date | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    source: str = "web",
) -> Unit:
    check_can_change(actor=actor, unit=parent)
    if kind not in GRASSROOTS_KINDS:
        raise AppError(
            ErrorCode.INVALID,
            _("Only residential areas, agencies, enterprises, schools and police units "
              "can be added."),
        )  # fmt: skip
    if parent.kind not in ALLOWED_PARENT_KINDS[kind]:
        raise AppError(
            ErrorCode.INVALID,
            _("A %(kind)s cannot be placed under %(parent)s.")
            % {"kind": UnitKind(kind).label, "parent": parent.name},
        )
    name = clean_text(name)
    unit = Unit(
        code=clean_text(code) or next_grassroots_code(parent=parent),
        kind=kind,
        type_name=clean_text(type_name),
        name=name,
        short_name=name,
        parent=parent,
        depth=parent.depth + 1,
        valid_from=valid_from if valid_from is not None else parent.valid_from,
        valid_to=valid_to if valid_to is not None else parent.valid_to,
        contact_name=clean_text(contact_name),
        contact_phone=clean_text(contact_phone),
        path="",
    )
    unit.search_key = search_key(f"{unit.name} {unit.code}")
    unit.full_clean(exclude=["path"])
    unit.save()
    # The path needs the id, which only exists once the row is saved.
    unit.path = f"{parent.path}{unit.pk}/"
    Unit.objects.filter(pk=unit.pk).update(path=unit.path)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=unit,
        after=snapshot(unit),
        unit_id=unit.pk,
        source=source,
    )
    return unit
