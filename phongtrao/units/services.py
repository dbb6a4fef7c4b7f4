"""Writes to units made by people: residential areas, agencies, enterprises, schools, police units.

Administrative units come only from `units load` (loading.py) and are never changed here.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, Q, RestrictedError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from phongtrao.core.audit import audit_record, snapshot
from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.models import AuditAction
from phongtrao.core.roles import Role
from phongtrao.core.text import clean_text, search_key
from phongtrao.core.unset import UNSET, Unset
from phongtrao.units.models import GRASSROOTS_KINDS, Unit, UnitKind
from phongtrao.units.scope import in_scope

# Which kinds of unit may sit directly below which.
ALLOWED_PARENT_KINDS = {
    UnitKind.RESIDENTIAL_AREA: (UnitKind.COMMUNE,),
    UnitKind.AGENCY: (UnitKind.PROVINCE, UnitKind.COMMUNE),
    UnitKind.ENTERPRISE: (UnitKind.PROVINCE, UnitKind.COMMUNE),
    UnitKind.SCHOOL: (UnitKind.PROVINCE, UnitKind.COMMUNE),
    UnitKind.POLICE_UNIT: (UnitKind.PROVINCE, UnitKind.COMMUNE),
}

# Codes end up in file names, URLs and spreadsheets: letters, digits and a few separators,
# starting with a letter or digit so a code can never be read as a spreadsheet formula.
CODE_PATTERN = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._/-]*$")
PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 .()-]*$")
CODE_MAX_LENGTH = Unit._meta.get_field("code").max_length


@dataclass(frozen=True)
class UnitDraft:
    """One unit to create, as a file import prepared it; `row` is the file's row number."""

    parent_id: int
    kind: str
    name: str
    type_name: str = ""
    code: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    row: int | None = None


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


def code_problem(code: str) -> str | None:
    if len(code) > CODE_MAX_LENGTH:
        return _("The code may have at most %(n)d characters.") % {"n": CODE_MAX_LENGTH}
    if not CODE_PATTERN.match(code):
        return _(
            "The code may only hold letters, digits and . _ / - and must start with a letter "
            "or a digit."
        )
    return None


def phone_problem(phone: str) -> str | None:
    if phone and not PHONE_PATTERN.match(phone):
        return _("The phone number may only hold digits, spaces, a leading + and . ( ) -.")
    return None


def kind_parent_problem(*, kind: str, parent: Unit) -> str | None:
    if kind not in GRASSROOTS_KINDS:
        return _(
            "Only residential areas, agencies, enterprises, schools and police units can be added."
        )
    if parent.kind not in ALLOWED_PARENT_KINDS[kind]:
        return _("A %(kind)s cannot be placed under %(parent)s.") % {
            "kind": UnitKind(kind).label,
            "parent": parent.name,
        }
    return None


def overlapping(valid_from: date | None, valid_to: date | None) -> Q:
    """Units whose validity shares at least one day with [valid_from, valid_to]."""
    condition = Q()
    if valid_to is not None:
        condition &= Q(valid_from__isnull=True) | Q(valid_from__lte=valid_to)
    if valid_from is not None:
        condition &= Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from)
    return condition


def _invalid(message: str) -> AppError:
    return AppError(ErrorCode.INVALID, message)


def _check_validity(*, parent: Unit, valid_from: date | None, valid_to: date | None) -> None:
    if valid_from and valid_to and valid_to < valid_from:
        raise _invalid(_("The end date must not be before the start date."))
    if parent.valid_from and valid_from and valid_from < parent.valid_from:
        raise _invalid(
            _("The unit cannot start before %(parent)s, which starts on %(date)s.")
            % {"parent": parent.name, "date": f"{parent.valid_from:%d/%m/%Y}"}
        )
    if parent.valid_to and (valid_to is None or valid_to > parent.valid_to):
        raise _invalid(
            _("The unit cannot last beyond %(parent)s, which ends on %(date)s.")
            % {"parent": parent.name, "date": f"{parent.valid_to:%d/%m/%Y}"}
        )


def _check_unique(unit: Unit) -> None:
    """A code names one unit at a time, and one parent holds one unit of a kind by a name."""
    others = Unit.objects.exclude(pk=unit.pk).filter(overlapping(unit.valid_from, unit.valid_to))
    if others.filter(code=unit.code).exists():
        raise _invalid(
            _("The code %(code)s is already used by another unit.") % {"code": unit.code}
        )
    if others.filter(parent_id=unit.parent_id, kind=unit.kind, name=unit.name).exists():
        raise _invalid(
            _("%(parent)s already has a %(kind)s named %(name)s.")
            % {"parent": unit.parent.name, "kind": unit.get_kind_display(), "name": unit.name}
        )


def _validation_message(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        codes = {e.code for e in exc.error_dict.get(NON_FIELD_ERRORS, [])}
        if codes & {"unique", "unique_together"}:
            return _("A unit with this code already exists.")
        parts = []
        for name, errors in exc.error_dict.items():
            label = name if name == NON_FIELD_ERRORS else Unit._meta.get_field(name).verbose_name
            parts.extend(f"{label}: {message}" for e in errors for message in e.messages)
        return _("The unit's data are not valid: %(errors)s") % {"errors": "; ".join(parts)}
    return _("The unit's data are not valid: %(errors)s") % {"errors": "; ".join(exc.messages)}


def _save(unit: Unit) -> None:
    """full_clean, then save; both the model's and the database's refusals become AppError."""
    try:
        unit.full_clean(exclude=["path"])
        # A savepoint, so a duplicate that slipped in concurrently leaves the transaction usable.
        with transaction.atomic():
            unit.save()
    except ValidationError as exc:
        raise _invalid(_validation_message(exc)) from exc
    except IntegrityError as exc:
        raise _invalid(_("A unit with this code already exists.")) from exc


def _check_grassroots(unit: Unit) -> None:
    if unit.kind not in GRASSROOTS_KINDS:
        raise AppError(
            ErrorCode.FORBIDDEN,
            _("Administrative units come from the official lists and cannot be changed here."),
        )


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
    problem = kind_parent_problem(kind=kind, parent=parent)
    if problem:
        raise _invalid(problem)
    name, code, contact_phone = clean_text(name), clean_text(code), clean_text(contact_phone)
    if not name:
        raise _invalid(_("The name must not be empty."))
    problem = (code_problem(code) if code else None) or phone_problem(contact_phone)
    if problem:
        raise _invalid(problem)
    # An open bound means "as long as the parent": a thôn of a 2025 commune starts in 2025.
    valid_from = valid_from if valid_from is not None else parent.valid_from
    valid_to = valid_to if valid_to is not None else parent.valid_to
    _check_validity(parent=parent, valid_from=valid_from, valid_to=valid_to)
    unit = Unit(
        code=code or next_grassroots_code(parent=parent),
        kind=kind,
        type_name=clean_text(type_name),
        name=name,
        short_name=name,
        parent=parent,
        depth=parent.depth + 1,
        valid_from=valid_from,
        valid_to=valid_to,
        contact_name=clean_text(contact_name),
        contact_phone=contact_phone,
        path="",
    )
    unit.search_key = search_key(f"{unit.name} {unit.code}")
    _check_unique(unit)
    _save(unit)
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


@transaction.atomic
def unit_update(
    *,
    actor: Any,
    unit: Unit,
    name: str | Unset = UNSET,
    type_name: str | Unset = UNSET,
    valid_from: date | None | Unset = UNSET,
    valid_to: date | None | Unset = UNSET,
    contact_name: str | Unset = UNSET,
    contact_phone: str | Unset = UNSET,
    source: str = "web",
) -> Unit:
    """Change what people may change; a bound given as None becomes the parent's bound."""
    check_can_change(actor=actor, unit=unit)
    _check_grassroots(unit)
    # Work on a fresh row, so a caller's stale or half-edited instance cannot leak in.
    unit = Unit.objects.select_for_update(of=("self",)).select_related("parent").get(pk=unit.pk)
    before = snapshot(unit)
    parent = unit.parent
    if name is not UNSET:
        unit.name = unit.short_name = clean_text(name)
        if not unit.name:
            raise _invalid(_("The name must not be empty."))
    if type_name is not UNSET:
        unit.type_name = clean_text(type_name)
    if contact_name is not UNSET:
        unit.contact_name = clean_text(contact_name)
    if contact_phone is not UNSET:
        unit.contact_phone = clean_text(contact_phone)
        problem = phone_problem(unit.contact_phone)
        if problem:
            raise _invalid(problem)
    if valid_from is not UNSET:
        unit.valid_from = valid_from if valid_from is not None else parent.valid_from
    if valid_to is not UNSET:
        unit.valid_to = valid_to if valid_to is not None else parent.valid_to
    _check_validity(parent=parent, valid_from=unit.valid_from, valid_to=unit.valid_to)
    unit.search_key = search_key(f"{unit.name} {unit.code}")
    _check_unique(unit)
    _save(unit)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=unit,
        before=before,
        after=snapshot(unit),
        unit_id=unit.pk,
        source=source,
    )
    return unit


@transaction.atomic
def unit_delete(*, actor: Any, unit: Unit, source: str = "web") -> None:
    """Delete a grassroots unit that nothing hangs on: no units below it, no users, no data."""
    check_can_change(actor=actor, unit=unit)
    _check_grassroots(unit)
    children = Unit.objects.filter(parent=unit).count()
    if children:
        raise AppError(
            ErrorCode.CONFLICT,
            ngettext(
                "%(name)s cannot be deleted: %(n)d unit is below it; delete or move it first.",
                "%(name)s cannot be deleted: %(n)d units are below it; delete or move them first.",
                children,
            )
            % {"name": unit.name, "n": children},
        )
    if unit.users.exists():
        raise AppError(
            ErrorCode.CONFLICT,
            _("%(name)s cannot be deleted: user accounts are assigned to it.")
            % {"name": unit.name},
        )
    before, pk, parent_id = snapshot(unit), unit.pk, unit.parent_id
    try:
        with transaction.atomic():
            unit.delete()
    except (ProtectedError, RestrictedError) as exc:
        raise AppError(
            ErrorCode.CONFLICT,
            _("%(name)s cannot be deleted: data have been recorded for it.") % {"name": unit.name},
        ) from exc
    # The row is gone: the event names its id and hangs on the parent, which stays in scope.
    unit.pk = pk
    audit_record(
        actor=actor,
        action=AuditAction.DELETE,
        instance=unit,
        before=before,
        unit_id=parent_id,
        source=source,
    )


@transaction.atomic
def units_import(*, actor: Any, drafts: Sequence[UnitDraft], source: str = "import") -> list[Unit]:
    """Create every unit of a checked file, or none: the first refusal undoes them all.

    Everything is checked again here because the database may have changed since the preview.
    """
    parents = Unit.objects.in_bulk({d.parent_id for d in drafts})
    created = []
    for draft in drafts:
        parent = parents.get(draft.parent_id)
        try:
            if parent is None:
                raise AppError(ErrorCode.NOT_FOUND, _("Unit not found."))
            created.append(
                unit_create(
                    actor=actor,
                    parent=parent,
                    kind=draft.kind,
                    name=draft.name,
                    type_name=draft.type_name,
                    code=draft.code,
                    contact_name=draft.contact_name,
                    contact_phone=draft.contact_phone,
                    source=source,
                )
            )
        except AppError as exc:
            if draft.row is None:
                raise
            raise AppError(
                exc.code,
                _("Row %(row)d: %(reason)s Nothing was imported.")
                % {"row": draft.row, "reason": exc.message},
            ) from exc
    return created
