"""Reads shared by every registry: the filtered, sorted list and one entry, both scoped."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import QuerySet

from phongtrao.core.roles import Role
from phongtrao.core.text import format_date, format_number, search_key
from phongtrao.registries.models import RegistryEntry, is_year_field
from phongtrao.registries.registry import Registry
from phongtrao.units.models import Unit


@dataclass(frozen=True)
class ListFilters:
    query: str = ""
    unit: Unit | None = None
    year: int | None = None
    type: str = ""
    status: str = ""
    sort: str = ""
    deleted: bool = False


def entry_list(*, registry: Registry, user: Any, filters: ListFilters) -> QuerySet[RegistryEntry]:
    """One query for the page (plus the paginator's count), whatever the number of rows."""
    model = registry.model
    qs = model.objects.visible_to(user)
    qs = qs.deleted() if filters.deleted and user.has_role(Role.ADMIN) else qs.alive()
    if filters.unit is not None:
        qs = qs.filter(unit__path__startswith=filters.unit.path)
    if filters.year:
        qs = qs.filter(
            registry.year_q(filters.year) if registry.year_q else models.Q(year=filters.year)
        )
    if filters.type and registry.type_field:
        field = model._meta.get_field(registry.type_field)
        name = field.attname if field.is_relation else field.name
        qs = qs.filter(**{name: filters.type})
    if filters.status and registry.status_q:
        qs = qs.filter(registry.status_q(filters.status, filters.year))
    for word in search_key(filters.query).split():
        qs = qs.filter(search_key__contains=word)
    return qs.select_related(*registry.select_related).order_by(
        *entry_ordering(registry, filters.sort)
    )


def entry_ordering(registry: Registry, sort: str) -> list[str]:
    sort = sort or registry.default_sort
    key = sort.lstrip("-")
    if key not in registry.sorts:
        sort, key = registry.default_sort, registry.default_sort.lstrip("-")
    prefix = "-" if sort.startswith("-") else ""
    return [f"{prefix}{registry.sorts[key]}", f"{prefix}pk"]


def entry_get(*, registry: Registry, user: Any, pk: int, deleted_ok: bool = False) -> RegistryEntry:
    """The entry if the user may see it; a deleted one only for administrators (to restore)."""
    qs = registry.model.objects.visible_to(user).select_related(
        "deleted_by", *registry.select_related
    )
    if not (deleted_ok and user.has_role(Role.ADMIN)):
        qs = qs.alive()
    return qs.get(pk=pk)


def display_value(entry: models.Model, name: str) -> str:
    """A field as people read it: choice labels, dd/mm/yyyy, 2.150, names of related rows."""
    try:
        field = entry._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a property such as `recipient_display`
        field = None
    if field is not None and getattr(field, "choices", None):
        return str(getattr(entry, f"get_{name}_display")())
    value = getattr(entry, name)
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, int | Decimal):
        return str(value) if is_year_field(name) else format_number(value)
    return str(value)
