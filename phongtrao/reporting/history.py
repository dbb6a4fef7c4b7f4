"""Reads of what happened to values: a cell's history and the changes of one import.

A value changed by hand has audit events of its own; a value changed by an import has a
`ValueChange` row under the import's single event. The cell's history shows both, newest first.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from phongtrao.accounts.audit_selectors import (
    ChangeRow,
    audit_change_rows,
    audit_object_events,
    audit_related_names,
)
from phongtrao.core.models import AuditAction
from phongtrao.reporting.models import DataValue, ValueChange, ValueImport
from phongtrao.reporting.value_parsing import value_display
from phongtrao.units.models import Unit
from phongtrao.units.scope import scope_paths, scope_q


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


# What the cell's history leaves out of a change by hand: `number` repeats the value, `version`
# is the bookkeeping of concurrent saves.
HIDDEN_FIELDS = ("number", "version")


def _change_rows(change: ValueChange, indicator: Any) -> list[ChangeRow]:
    rows = [
        ChangeRow(
            _("value"),
            value_display(indicator, change.before) or "—",
            value_display(indicator, change.after),
        )
    ]
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
    display = {"value": lambda raw: value_display(value.indicator, str(raw))}
    entries: list[tuple[Any, list]] = [
        (e, audit_change_rows(e, names, skip=HIDDEN_FIELDS, shown=display)) for e in events
    ]
    changes = ValueChange.objects.filter(value_id=value_id).select_related("value_import__actor")
    for change in changes:
        record = change.value_import
        action = AuditAction.CREATE if change.before is None else AuditAction.UPDATE
        link = reverse("reporting:value_import", args=[record.pk])
        shown = ImportedChange(record.at, record.actor, action, value.unit, link)
        entries.append((shown, _change_rows(change, value.indicator)))
    entries.sort(key=lambda entry: entry[0].at, reverse=True)
    return value, entries


def _covers(user: Any, value_import: ValueImport) -> bool:
    """The user's scope holds every unit the import reached (a superuser's holds all)."""
    return any(value_import.unit_path.startswith(path) for path in scope_paths(user))


def value_import_get(*, user: Any, pk: int) -> ValueImport | None:
    """The import, for a user whose scope holds the units it reached (the province that
    imported it) or who may read at least one of its changes (a commune whose values a
    province's import changed); None otherwise, as for a missing import."""
    record = ValueImport.objects.select_related("actor", "unit").filter(pk=pk).first()
    if record is None:
        return None
    if _covers(user, record) or value_import_changes(user=user, value_import=record).exists():
        return record
    return None


def value_import_changes(*, user: Any, value_import: ValueImport) -> QuerySet[ValueChange]:
    """The import's changes to values the user may read, in the order they were written.

    A reader whose scope holds the whole import sees every change, those of values deleted
    since (a cell cleared later; `value` is then None) included. Others see the changes of their
    own units' values: a deleted value has no unit left to decide who may read its change.
    """
    changes = ValueChange.objects.filter(value_import=value_import)
    if not _covers(user, value_import):
        changes = changes.filter(scope_q(user, "value__unit__path"))
    # Prefetched rather than joined: a join would drop the changes of deleted values.
    return changes.prefetch_related("value__indicator", "value__unit").order_by("pk")
