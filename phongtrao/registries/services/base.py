"""Writes shared by every registry: create, update, soft delete and restore, each audited.

Every write checks the user's scope on the entry's unit (and on every other unit it names),
cleans text to NFC, runs full_clean, saves inside a transaction and records an audit event
with the values before and after, many-to-many links included.
"""

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phongtrao.core.audit import audit_record, snapshot
from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.models import AuditAction
from phongtrao.core.roles import Role
from phongtrao.core.text import clean_text, format_number, nfc
from phongtrao.registries.models.base import RegistryEntry
from phongtrao.units.models import Unit
from phongtrao.units.scope import in_scope
from phongtrao.units.services import check_can_change

E = TypeVar("E", bound=RegistryEntry)
M = TypeVar("M", bound=models.Model)


def invalid(message: str) -> AppError:
    return AppError(ErrorCode.INVALID, message)


def not_found() -> AppError:
    return AppError(ErrorCode.NOT_FOUND, _("The entry was not found."))


def field_label(model: type[models.Model], name: str) -> str:
    if name == NON_FIELD_ERRORS:
        return ""
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 - a message must never fail because of its label
        return name


def validation_errors(model: type[models.Model], exc: ValidationError) -> dict[str, list[str]]:
    """Field name -> Vietnamese messages; the import names the column from the field."""
    if hasattr(exc, "error_dict"):
        return {
            name: [m for e in errors for m in e.messages] for name, errors in exc.error_dict.items()
        }
    return {NON_FIELD_ERRORS: list(exc.messages)}


def validation_message(model: type[models.Model], exc: ValidationError) -> str:
    parts = []
    for name, messages in validation_errors(model, exc).items():
        label = field_label(model, name)
        parts.extend(f"{label}: {m}" if label else m for m in messages)
    return _("The data are not valid: %(errors)s") % {"errors": "; ".join(parts)}


def registry_snapshot(instance: models.Model) -> dict[str, Any]:
    """The row's own values plus many-to-many links as sorted ids, JSON-safe."""
    data = snapshot(instance)
    if instance.pk:
        for field in instance._meta.many_to_many:
            data[field.name] = sorted(getattr(instance, field.name).values_list("pk", flat=True))
    return data


def clean_value(field: models.Field, value: Any) -> Any:
    """Text in NFC at every boundary; single-line text also loses doubled spaces."""
    if isinstance(value, str):
        if isinstance(field, models.TextField):
            return nfc(value).strip()
        return clean_text(value)
    return value


def check_unit_visible(*, actor: Any, unit: Unit | None) -> None:
    """Any other unit an entry names must lie in the actor's scope too: else a missing unit."""
    if unit is not None and actor is not None and not in_scope(actor, unit):
        raise AppError(ErrorCode.NOT_FOUND, _("Unit not found."))


def _check_linked_units(actor: Any, entry: models.Model, m2m: dict[str, Iterable[Unit]]) -> None:
    for field in entry._meta.concrete_fields:
        if field.name == "unit" or not isinstance(field, models.ForeignKey):
            continue
        if field.related_model is Unit and getattr(entry, field.attname):
            check_unit_visible(actor=actor, unit=getattr(entry, field.name))
    for units in m2m.values():
        for unit in units:
            if isinstance(unit, Unit):
                check_unit_visible(actor=actor, unit=unit)


def save_clean(instance: M, *, exclude: list[str] | None = None) -> M:
    """full_clean, then save in a savepoint; both refusals become AppError(INVALID)."""
    try:
        instance.full_clean(exclude=exclude)
        with transaction.atomic():
            instance.save()
    except ValidationError as exc:
        raise invalid(validation_message(type(instance), exc)) from exc
    except IntegrityError as exc:
        raise invalid(_("The same entry already exists.")) from exc
    return instance


def _split(model: type[models.Model], data: dict[str, Any]) -> tuple[dict, dict]:
    m2m_names = {f.name for f in model._meta.many_to_many}
    fields, m2m = {}, {}
    for name, value in data.items():
        if name in m2m_names:
            m2m[name] = list(value or [])
        else:
            fields[name] = clean_value(model._meta.get_field(name), value)
    return fields, m2m


def check_links(entry: RegistryEntry, m2m: dict[str, list[Any]]) -> None:
    """The entry's rules on its many-to-many links (`clean_links`), on the links it will have:
    those given, else those it has."""
    links = {}
    for field in entry._meta.many_to_many:
        if field.name in m2m:
            links[field.name] = list(m2m[field.name])
        else:
            links[field.name] = list(getattr(entry, field.name).all()) if entry.pk else []
    try:
        entry.clean_links(links)
    except ValidationError as exc:
        raise invalid(validation_message(type(entry), exc)) from exc


def _assert_alive(entry: RegistryEntry) -> None:
    if entry.is_deleted:
        raise not_found()


@transaction.atomic
def entry_create(*, actor: Any, model: type[E], data: dict[str, Any], source: str = "web") -> E:
    fields, m2m = _split(model, data)
    entry = model(**fields)
    if not entry.unit_id:
        raise invalid(_("Choose the unit."))
    check_can_change(actor=actor, unit=entry.unit)
    _check_linked_units(actor, entry, m2m)
    entry.refresh_derived()
    check_links(entry, m2m)
    save_clean(entry)
    for name, values in m2m.items():
        getattr(entry, name).set(values)
    audit_record(
        actor=actor, action=AuditAction.CREATE, instance=entry,
        after=registry_snapshot(entry), unit_id=entry.unit_id, source=source,
    )  # fmt: skip
    return entry


def entry_lock(entry: E) -> E:
    """A fresh row, locked: a caller's stale or half-edited instance cannot leak in."""
    return (
        type(entry).objects.select_for_update(of=("self",)).select_related("unit").get(pk=entry.pk)
    )


@transaction.atomic
def entry_update(*, actor: Any, entry: E, data: dict[str, Any], source: str = "web") -> E:
    check_can_change(actor=actor, unit=entry.unit)
    entry = entry_lock(entry)
    _assert_alive(entry)
    before = registry_snapshot(entry)
    fields, m2m = _split(type(entry), data)
    for name, value in fields.items():
        setattr(entry, name, value)
    # Moving an entry to another unit needs the right to change that unit too.
    check_can_change(actor=actor, unit=entry.unit)
    _check_linked_units(actor, entry, m2m)
    entry.refresh_derived()
    check_links(entry, m2m)
    save_clean(entry)
    for name, values in m2m.items():
        getattr(entry, name).set(values)
    audit_record(
        actor=actor, action=AuditAction.UPDATE, instance=entry, before=before,
        after=registry_snapshot(entry), unit_id=entry.unit_id, source=source,
    )  # fmt: skip
    return entry


@transaction.atomic
def entry_delete(*, actor: Any, entry: E, source: str = "web") -> E:
    """Soft delete: the row stays, out of every list and count, until an administrator
    restores it."""
    check_can_change(actor=actor, unit=entry.unit)
    entry = entry_lock(entry)
    _assert_alive(entry)
    before = registry_snapshot(entry)
    entry.deleted_at = timezone.now()
    entry.deleted_by = actor if getattr(actor, "is_authenticated", False) else None
    entry.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
    audit_record(
        actor=actor, action=AuditAction.DELETE, instance=entry, before=before,
        after=registry_snapshot(entry), unit_id=entry.unit_id, source=source,
    )  # fmt: skip
    return entry


@transaction.atomic
def entry_restore(*, actor: Any, entry: E, source: str = "web") -> E:
    check_can_change(actor=actor, unit=entry.unit)
    if actor is not None and not actor.has_role(Role.ADMIN):
        raise AppError(ErrorCode.FORBIDDEN, _("Only an administrator may restore a deleted entry."))
    entry = entry_lock(entry)
    if not entry.is_deleted:
        raise AppError(ErrorCode.CONFLICT, _("The entry is not deleted."))
    before = registry_snapshot(entry)
    entry.deleted_at, entry.deleted_by = None, None
    entry.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
    audit_record(
        actor=actor, action=AuditAction.RESTORE, instance=entry, before=before,
        after=registry_snapshot(entry), unit_id=entry.unit_id, source=source,
    )  # fmt: skip
    return entry


@transaction.atomic
def entries_import(
    *,
    actor: Any,
    model: type[E],
    rows: list[tuple[int, dict[str, Any]]],
    create: Callable[..., E] | None = None,
    source: str = "import",
) -> list[E]:
    """Create every row of a checked file, or none: the first refusal undoes them all."""
    create = create or entry_create
    created = []
    for row, data in rows:
        try:
            created.append(create(actor=actor, model=model, data=data, source=source))
        except AppError as exc:
            raise AppError(
                exc.code,
                # Not the units app's message ("no unit was imported"): a msgid of its own.
                _("Row %(row)d: %(reason)s No row of the file was imported.")
                % {"row": row, "reason": exc.message},
            ) from exc
    return created


# --- rows that hang on an entry (points, reviews, members, photos …) ---------------------


def child_save(
    *,
    actor: Any,
    entry: RegistryEntry,
    child: M,
    source: str = "web",
    exclude: list[str] | None = None,
) -> M:
    """Create or change a row of an entry; audited on the entry's unit and listed in the
    entry's history. Call inside atomic."""
    check_can_change(actor=actor, unit=entry.unit)
    _assert_alive(entry)
    _check_linked_units(actor, child, {})
    before = None
    if child.pk:
        old = type(child).objects.filter(pk=child.pk).first()
        before = registry_snapshot(old) if old else None
    for field in child._meta.concrete_fields:
        value = getattr(child, field.attname)
        if isinstance(value, str):
            setattr(child, field.attname, clean_value(field, value))
    save_clean(child, exclude=exclude)
    audit_record(
        actor=actor, instance=child, before=before, after=registry_snapshot(child),
        unit_id=entry.unit_id, source=source, parent=entry,
    )  # fmt: skip
    return child


def child_delete(
    *, actor: Any, entry: RegistryEntry, child: models.Model, source: str = "web"
) -> None:
    check_can_change(actor=actor, unit=entry.unit)
    _assert_alive(entry)
    before, pk = registry_snapshot(child), child.pk
    child.delete()
    child.pk = pk
    audit_record(
        actor=actor, action=AuditAction.DELETE, instance=child, before=before,
        unit_id=entry.unit_id, source=source, parent=entry,
    )  # fmt: skip


def year_of(day: date | None) -> int | None:
    return day.year if day else None


def entry_export_log(
    *,
    actor: Any,
    model: type[models.Model],
    label: str,
    count: int,
    unit: Unit | None,
    details: dict[str, Any],
) -> None:
    """Exports of personal data are logged (DESIGN.md): who took how many rows of what."""
    from phongtrao.core.audit import build_event
    from phongtrao.units.scope import scope_paths

    if unit is None:
        paths = scope_paths(actor)
        unit = Unit.objects.filter(path=paths[0]).first() if paths and paths[0] else None
    event = build_event(
        actor=actor,
        action=AuditAction.EXPORT,
        instance=model(pk=0),
        before=None,
        after={"rows": count, **details},
        unit_id=unit.pk if unit else None,
    )
    # An export concerns many rows, not one object: the event names the export itself.
    event.object_id = "export"
    event.object_repr = _("Export of %(n)s rows of %(what)s") % {
        "n": format_number(count),
        "what": label,
    }
    event.save()
