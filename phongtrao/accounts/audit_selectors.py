"""Reads of the audit trail, always narrowed to the reader's scope.

An event is visible when its unit lies in the reader's scope; events attached to no unit
(system-wide changes) only to superusers, whose scope is the whole country.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from phongtrao.accounts.selectors import user_search_q
from phongtrao.core.models import AuditEvent
from phongtrao.core.roles import Role
from phongtrao.core.text import format_number
from phongtrao.units.models import Unit
from phongtrao.units.scope import scope_q, user_provinces

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def _day_start(day: date) -> datetime:
    # Days are the reader's days in Asia/Ho_Chi_Minh, not UTC days.
    return timezone.make_aware(datetime.combine(day, time.min))


CATALOGUE_APP = "catalog"


def audit_events(
    *,
    user: Any,
    actor_query: str = "",
    unit: Unit | None = None,
    content_type: ContentType | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    action: str = "",
) -> QuerySet[AuditEvent]:
    """Events the user may read, newest first; `unit` keeps it and every unit below it.

    Catalogue changes reach everyone they affect: the national catalogue's (no unit) every
    user, a province's own those of that province. Other events of no unit are for
    administrators.
    """
    visible = scope_q(user, "unit_path")
    if user.has_role(Role.ADMIN):
        visible |= Q(unit_path="")
    catalogue = Q(content_type__app_label=CATALOGUE_APP)
    visible |= catalogue & (Q(unit_path="") | Q(unit_id__in=user_provinces(user)))
    qs = AuditEvent.objects.filter(visible)
    if actor_query:
        qs = qs.filter(user_search_q(actor_query, "actor__"))
    if unit is not None:
        qs = qs.filter(unit_path__startswith=unit.path)
    if content_type is not None:
        qs = qs.filter(content_type=content_type)
    if date_from is not None:
        qs = qs.filter(at__gte=_day_start(date_from))
    if date_to is not None:
        qs = qs.filter(at__lt=_day_start(date_to + timedelta(days=1)))
    if action:
        qs = qs.filter(action=action)
    return qs.select_related("actor", "content_type", "unit").order_by("-at", "-id")


def audit_object_events(*, user: Any, content_type_id: int, object_id: str) -> QuerySet[AuditEvent]:
    """The object's own events and those of its parts (a model's points, a team's members)."""
    own = Q(content_type_id=content_type_id, object_id=object_id)
    parts = Q(parent_type_id=content_type_id, parent_id=object_id)
    return audit_events(user=user).filter(own | parts)


def audit_object_visible(*, user: Any, model: type[models.Model], pk: int) -> bool:
    """The object exists and, for a model that belongs to a unit, lies in the user's scope."""
    qs = model._default_manager.filter(pk=pk)
    if hasattr(qs, "visible_to"):
        qs = qs.visible_to(user)
    return qs.exists()


def audit_content_types() -> QuerySet[ContentType]:
    """Types of the project's own models, the only ones services audit."""
    labels = [c.label for c in apps.get_app_configs() if c.name.startswith("phongtrao.")]
    return ContentType.objects.filter(app_label__in=labels).order_by("app_label", "model")


def content_type_label(content_type: ContentType) -> str:
    model = content_type.model_class()
    return str(model._meta.verbose_name) if model else content_type.model


@dataclass(frozen=True)
class ChangeRow:
    field: str
    before: str
    after: str


def _field(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _display(field: Any, value: Any) -> str:
    """A stored (JSON) value as people read it: labels of choices, dd/mm/yyyy dates."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(_display(None, v) for v in value) or "—"
    choices = dict(getattr(field, "flatchoices", None) or [])
    if value in choices:
        return str(choices[value])
    if _is_number(field) and not field.name.endswith(("year", "_id")):
        try:
            return format_number(Decimal(str(value)))  # "3.000000" -> "3", 20500000 -> "20.500.000"
        except ArithmeticError:
            return str(value)
    if isinstance(value, str) and _ISO_DATETIME.match(value):
        parsed = parse_datetime(value)
        if parsed is not None:
            if timezone.is_aware(parsed):
                parsed = timezone.localtime(parsed)
            return parsed.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, str) and _ISO_DATE.match(value):
        parsed_day = parse_date(value)
        if parsed_day is not None:
            return date_format(parsed_day, "d/m/Y")
    return str(value)


def _is_number(field: Any) -> bool:
    """A count or an amount (a year or a key is not one: neither is grouped)."""
    return isinstance(field, models.IntegerField | models.DecimalField) and not isinstance(
        field, models.AutoField
    )


def _relation(field: Any) -> type[models.Model] | None:
    if field is not None and getattr(field, "many_to_one", False):
        return field.related_model
    return None


def audit_related_names(events: list[AuditEvent]) -> dict[tuple[type, Any], str]:
    """Names of the objects the events' foreign keys point at: one query per related model."""
    wanted: dict[type[models.Model], set[Any]] = {}
    for event in events:
        model = event.content_type.model_class()
        for name, pair in (event.changes or {}).items():
            related = _relation(_field(model, name))
            if related is not None and isinstance(pair, list):
                wanted.setdefault(related, set()).update(v for v in pair if v is not None)
    return {
        (related, obj.pk): str(obj)
        for related, ids in wanted.items()
        for obj in related._default_manager.filter(pk__in=ids)
    }


def audit_change_rows(
    event: AuditEvent,
    names: dict[tuple[type, Any], str] | None = None,
    *,
    skip: tuple[str, ...] = (),
    shown: dict[str, Callable[[Any], str]] | None = None,
) -> list[ChangeRow]:
    """The event's changed fields, labelled as on the model's forms (or by the model's
    `audit_labels`, for fields it inherits with words that do not fit); no query.

    `names` (from `audit_related_names`) shows a foreign key by its object's name, not its id.
    `skip` leaves fields out; `shown` gives a field its own display (of a value not None).
    """
    model = event.content_type.model_class()
    names = names or {}
    shown = shown or {}
    rows = []
    labels = getattr(model, "audit_labels", {})
    for name, pair in (event.changes or {}).items():
        field = _field(model, name)
        if name in skip or _is_storage_path(model, field, name):
            continue
        before, after = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        label = str(labels.get(name) or getattr(field, "verbose_name", name))
        if name in shown:
            rows.append(ChangeRow(label, *(_shown(shown[name], v) for v in (before, after))))
            continue
        related = _relation(field)
        if related is not None:
            before, after = names.get((related, before), before), names.get((related, after), after)
        rows.append(ChangeRow(label, _display(field, before), _display(field, after)))
    return rows


def _is_storage_path(model: type[models.Model] | None, field: Any, name: str) -> bool:
    """Where a file lies on the server is nobody's business; its name is kept by its own field
    (`original_name`, `attachment_name`), shown instead. A model lists such text fields in
    `audit_hidden`."""
    return isinstance(field, models.FileField) or name in getattr(model, "audit_hidden", ())


def _shown(display: Callable[[Any], str], value: Any) -> str:
    return "—" if value is None or value == "" else display(value) or "—"
