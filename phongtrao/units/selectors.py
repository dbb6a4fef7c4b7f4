"""Reads of the unit hierarchy. Each answers in one SQL query unless said otherwise."""

from datetime import date
from typing import Any

from django.db.models import Case, Count, IntegerField, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.roles import Role
from phongtrao.core.text import search_key
from phongtrao.units.models import (
    ADMINISTRATIVE_KINDS,
    GRASSROOTS_KINDS,
    KIND_ORDER,
    LEGACY_END,
    Unit,
    UnitKind,
    UnitSuccession,
    valid_on,
)
from phongtrao.units.scope import in_scope, scope_paths


def today() -> date:
    return timezone.localdate()


def unit_get(*, code: str, on: date | None = None, user: Any = None) -> Unit:
    """The unit a code names on a day; administrative units win over grassroots ones."""
    on = on or today()
    qs = Unit.objects.valid_on(on).filter(code=code.strip()).select_related("parent")
    if user is not None:
        qs = qs.visible_to(user)
    units = sorted(qs, key=lambda u: (u.kind not in ADMINISTRATIVE_KINDS, KIND_ORDER.index(u.kind)))
    if not units:
        raise AppError(
            ErrorCode.NOT_FOUND,
            _("There is no unit with code %(code)s on %(date)s.")
            % {"code": code, "date": f"{on:%d/%m/%Y}"},
        )
    return units[0]


def units_count(*, on: date | None = None) -> list[tuple[str, int]]:
    rows = dict(
        Unit.objects.valid_on(on or today())
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    return [(kind, rows[kind]) for kind in KIND_ORDER if rows.get(kind)]


def units_search(
    *,
    query: str,
    on: date | None = None,
    user: Any = None,
    kinds: list[str] | None = None,
) -> QuerySet[Unit]:
    """Diacritic-insensitive: "plei kan" finds "Thị trấn Plei Kần"; every word must match."""
    qs = Unit.objects.valid_on(on or today()).select_related("parent")
    for word in search_key(query).split():
        qs = qs.filter(search_key__contains=word)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    if user is not None:
        qs = qs.visible_to(user)
    return qs.order_by("depth", "name", "code")


def unit_ancestors(*, unit: Unit) -> list[Unit]:
    return list(Unit.objects.filter(pk__in=unit.ancestor_ids).order_by("depth"))


def unit_descendants(
    *, unit: Unit, on: date | None = None, include_self: bool = False
) -> QuerySet[Unit]:
    qs = Unit.objects.descendants_of(unit, include_self=include_self)
    return qs.valid_on(on) if on else qs


def unit_children(*, unit: Unit | None, on: date, user: Any = None) -> QuerySet[Unit]:
    qs = Unit.objects.valid_on(on).filter(parent=unit).annotate(child_count=Count("children"))
    if user is not None:
        qs = qs.visible_to(user)
    return qs.order_by("kind", "name")


def unit_successors(*, unit: Unit) -> QuerySet[UnitSuccession]:
    return (
        UnitSuccession.objects.filter(predecessor=unit)
        .select_related("successor__parent")
        .order_by("-is_default", "successor__name")
    )


def unit_predecessors(*, unit: Unit) -> QuerySet[UnitSuccession]:
    return (
        UnitSuccession.objects.filter(successor=unit)
        .select_related("predecessor__parent")
        .order_by("predecessor__parent__name", "predecessor__name")
    )


def default_successor_lookup_date() -> date:
    """`units successors` names old units: by default, as they were on the eve of the reform."""
    return LEGACY_END


def unit_reference_date(*, unit: Unit) -> date:
    """The day a unit's page is shown on: today while it is in force, else its nearest edge.

    An old commune's children and contacts are those of its last day, not today's (none).
    """
    day = today()
    if unit.valid_to and unit.valid_to < day:
        return unit.valid_to
    if unit.valid_from and unit.valid_from > day:
        return unit.valid_from
    return day


def _kind_rank() -> Case:
    return Case(
        *[When(kind=kind, then=Value(rank)) for rank, kind in enumerate(KIND_ORDER)],
        default=Value(len(KIND_ORDER)),
        output_field=IntegerField(),
    )


def _tree_nodes(qs: QuerySet[Unit], on: date) -> QuerySet[Unit]:
    # Only children in force that day count, so a province of 2026 shows no old districts.
    return qs.annotate(
        child_count=Count("children", filter=valid_on(on, "children__")),
        kind_rank=_kind_rank(),
    ).order_by("kind_rank", "code", "pk")


def unit_tree_roots(*, user: Any, on: date) -> QuerySet[Unit]:
    """The top of the tree a user may see on a day, in one query.

    Everyone with the whole country sees the provinces; others see the roots of their scope,
    which on a day before the reform are the old units their own unit took over.
    """
    paths = scope_paths(user)
    qs = Unit.objects.valid_on(on)
    qs = qs.filter(depth=0) if "" in paths else qs.filter(path__in=paths)
    return _tree_nodes(qs, on)


def unit_tree_children(*, unit: Unit, on: date, user: Any = None) -> QuerySet[Unit]:
    """Children in force on a day, each with how many of its own children are in force."""
    qs = Unit.objects.valid_on(on).filter(parent=unit)
    if user is not None:
        qs = qs.visible_to(user)
    return _tree_nodes(qs, on)


def unit_is_changeable(*, user: Any, unit: Unit) -> bool:
    """Whether a user may edit or delete a unit: grassroots ones only, in scope, with the role."""
    return (
        unit.kind in GRASSROOTS_KINDS
        and getattr(user, "is_authenticated", False)
        and user.has_role(Role.DATA_ENTRY)
        and in_scope(user, unit)
    )


def unit_can_hold_grassroots(*, user: Any, unit: Unit) -> bool:
    """Whether a user may add residential areas, agencies … below a unit."""
    return (
        unit.kind in (UnitKind.PROVINCE, UnitKind.COMMUNE)
        and getattr(user, "is_authenticated", False)
        and user.has_role(Role.DATA_ENTRY)
        and in_scope(user, unit)
    )
