"""Recording the audit trail. Services call these explicitly after every write."""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile

from phongtrao.core.models import AuditAction, AuditEvent

IGNORED_FIELDS = {"created_at", "updated_at", "password", "last_login"}


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):
        return value.name or None
    return value


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The instance's own field values, JSON-safe, foreign keys as ids."""
    data = {}
    for field in instance._meta.concrete_fields:
        if field.name in IGNORED_FIELDS:
            continue
        data[field.name] = _json_value(getattr(instance, field.attname))
    return data


def diff(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, list[Any]]:
    before, after = before or {}, after or {}
    keys = list(dict.fromkeys([*before, *after]))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def _unit_path(unit_id: int | None) -> str:
    if unit_id is None:
        return ""
    # Through the event's own foreign key: core is the floor below units and imports nothing of it.
    unit_model = AuditEvent._meta.get_field("unit").related_model
    return unit_model.objects.filter(pk=unit_id).values_list("path", flat=True).first() or ""


def _written(before: dict[str, Any] | None) -> str:
    """The action of a write that does not name its own: a creation when nothing was there."""
    return AuditAction.CREATE if before is None else AuditAction.UPDATE


def build_event(
    *,
    actor: Any,
    instance: models.Model,
    action: str | None = None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    unit_id: int | None = None,
    unit_path: str | None = None,
    source: str = "web",
    link: str = "",
    parent: models.Model | None = None,
) -> AuditEvent:
    """The event of one write. `action` left out is a creation when there was no `before`, an
    update otherwise; a deletion, and every other action, is named."""
    if unit_path is None:
        unit_path = _unit_path(unit_id)
    parent_type = None
    if parent is not None:
        parent_type = ContentType.objects.get_for_model(parent, for_concrete_model=True)
    return AuditEvent(
        parent_type=parent_type,
        parent_id=str(parent.pk) if parent is not None else "",
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action or _written(before),
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        unit_id=unit_id,
        unit_path=unit_path,
        changes=diff(before, after),
        source=source,
        link=link,
    )


def audit_record(
    *,
    actor: Any,
    instance: models.Model,
    action: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    unit_id: int | None = None,
    unit_path: str | None = None,
    source: str = "web",
    link: str = "",
    parent: models.Model | None = None,
) -> AuditEvent | None:
    """Save one event; an update that changed nothing leaves no trace.

    `parent` is the object the instance is part of, whose history then lists the event too.
    `unit_path` spares reading it again when the caller holds the unit.
    """
    event = build_event(
        actor=actor,
        action=action,
        instance=instance,
        before=before,
        after=after,
        unit_id=unit_id,
        unit_path=unit_path,
        source=source,
        link=link,
        parent=parent,
    )
    if event.action == AuditAction.UPDATE and not event.changes:
        return None
    event.save()
    return event


def audit_record_many(events: Iterable[AuditEvent]) -> int:
    created = AuditEvent.objects.bulk_create(list(events), batch_size=1000)
    return len(created)
