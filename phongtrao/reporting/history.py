"""Reads of what happened to values: a cell's history and the changes of one import.

A value changed by hand has audit events of its own; a value changed by an import has a
`ValueChange` row under the import's single event. The cell's history shows both, newest first.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from phongtrao.accounts.scope import scope_paths, scope_q
from phongtrao.core.models import AuditAction
from phongtrao.core.selectors import (
    ChangeRow,
    audit_change_rows,
    audit_object_events,
    audit_related_names,
)
from phongtrao.reporting.models import DataValue, ValueChange, ValueImport
from phongtrao.units.models import Unit


@dataclass(frozen=True)
class ImportedChange:
    """An import's change to a value, with what the audit table shows of an event."""

    at: datetime
    actor: Any
    action: str
    unit: Unit
    link: str

    def get_action_display(self) -> str:
        return str(AuditAction(self.action).label)


def _change_rows(change: ValueChange) -> list[ChangeRow]:
    rows = [ChangeRow(_("value"), change.before or "—", change.after)]
    if (change.before_comment or "") != change.after_comment:
        rows.append(ChangeRow(_("comment"), change.before_comment or "—", change.after_comment))
    return rows


def value_history(*, user: Any, value_id: int) -> tuple[DataValue | None, list[tuple[Any, list]]]:
    """The value (None when the user may not read it) and its changes, newest first: events of
    changes by hand and the changes of imports, in three queries plus one per related model
    named by hand events."""
    value = (
        DataValue.objects.visible_to(user)
        .select_related("indicator", "unit")
        .filter(pk=value_id)
        .first()
    )
    if value is None:
        return None, []
    content_type = ContentType.objects.get_for_model(DataValue)
    events = list(
        audit_object_events(user=user, content_type_id=content_type.pk, object_id=str(value_id))
    )
    names = audit_related_names(events)
    entries: list[tuple[Any, list]] = [(e, audit_change_rows(e, names)) for e in events]
    changes = ValueChange.objects.filter(value_id=value_id).select_related("value_import__actor")
    for change in changes:
        record = change.value_import
        action = AuditAction.CREATE if change.before is None else AuditAction.UPDATE
        link = reverse("reporting:value_import", args=[record.pk])
        shown = ImportedChange(record.at, record.actor, action, value.unit, link)
        entries.append((shown, _change_rows(change)))
    entries.sort(key=lambda entry: entry[0].at, reverse=True)
    return value, entries


def value_import_get(*, user: Any, pk: int) -> ValueImport | None:
    """The import, for a user whose scope overlaps the units it reached: the province that
    imported it, and a commune whose values it changed."""
    overlaps = scope_q(user, "unit_path")
    for path in scope_paths(user):
        # A reader below the import's reach: any import whose path begins theirs.
        ancestors = [path[: i + 1] for i, char in enumerate(path) if char == "/"]
        overlaps |= Q(unit_path__in=ancestors) | Q(unit_path="")
    return ValueImport.objects.filter(overlaps, pk=pk).select_related("actor", "unit").first()


def value_import_changes(*, user: Any, value_import: ValueImport) -> QuerySet[ValueChange]:
    """The import's changes to values the user may read, in the order they were written."""
    return (
        ValueChange.objects.filter(value_import=value_import)
        .filter(scope_q(user, "value__unit__path"))
        .select_related("value__indicator", "value__unit")
        .order_by("pk")
    )
