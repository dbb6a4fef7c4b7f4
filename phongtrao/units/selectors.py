"""Reads of the unit hierarchy. Each answers in one SQL query unless said otherwise."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
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


def kind_rank() -> Case:
    """A unit's place in `KIND_ORDER` as an SQL expression (unknown kinds last), so that every
    list of units sorts its kinds the same way."""
    return Case(
        *[When(kind=kind, then=Value(rank)) for rank, kind in enumerate(KIND_ORDER)],
        default=Value(len(KIND_ORDER)),
        output_field=IntegerField(),
    )


def _tree_nodes(qs: QuerySet[Unit], on: date) -> QuerySet[Unit]:
    # Only children in force that day count, so a province of 2026 shows no old districts.
    return qs.annotate(
        child_count=Count("children", filter=valid_on(on, "children__")),
        kind_rank=kind_rank(),
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


# Units the picker lists at once: a province holds about a hundred communes, a commune dozens
# of villages, agencies and schools; the thousands below a province are reached level by level.
PICK_PAGE_SIZE = 50


@dataclass
class UnitPick:
    """One place of the unit tree as a picker shows it (the "Nhập số liệu" page)."""

    at: Unit | None  # whose children are listed; None: the user's own units
    trail: list[Unit]  # `at` and its ancestors in the user's scope, the top first
    units: Page  # the children of `at`, or what the search found below it
    predecessors: list[Unit]  # the old units `at` took over in the 2025 reform
    query: str
    selected: Unit | None  # the unit chosen, when the page does not list it


def _own_units(user: Any) -> QuerySet[Unit]:
    """The top of the picker: the units assigned to the user (every province for the whole
    country), with how many children each has on its reference day."""
    if "" in scope_paths(user):
        qs = Unit.objects.valid_on(today()).filter(depth=0)
    else:
        qs = Unit.objects.filter(pk__in=user.units.values("pk"))
    return qs.annotate(child_count=Count("children")).order_by("path")


def unit_pick(
    *,
    user: Any,
    at_pk: int | None = None,
    query: str = "",
    page: int | str = 1,
    selected_pk: int | None = None,
) -> UnitPick:
    """The units a user may pick below one unit of their scope, in a number of queries that
    does not grow with the tree: the unit, its ancestors in scope, one page of its children
    (or of its subtree's units matching `query`, diacritics ignored), and the old units it took
    over, each of those "(đến 30/06/2025)" with its own subtree as it was then.

    Without `at_pk`, a user given one unit starts at it; a user given several, or the whole
    country, sees those first. A unit out of scope is missing (NOT_FOUND)."""
    visible = Unit.objects.visible_to(user)
    at = None
    if at_pk is not None:
        at = visible.filter(pk=at_pk).first()
        if at is None:
            raise AppError(ErrorCode.NOT_FOUND, _("There is no such unit."))
    elif "" not in scope_paths(user):
        own = list(user.units.all()[:2])
        at = own[0] if len(own) == 1 else None
    query = query.strip()
    if at is None:
        units, trail, predecessors = _own_units(user), [], []
    else:
        trail = [
            u for u in Unit.objects.filter(pk__in=at.ancestor_ids).order_by("depth")
            if in_scope(user, u)
        ]  # fmt: skip
        trail.append(at)
        predecessors = list(
            visible.filter(successions__successor=at)
            .annotate(child_count=Count("children", distinct=True))
            .order_by("path")
        )
        if query:
            units = _pick_search(visible, at, predecessors, query)
        else:
            day = unit_reference_date(unit=at)
            units = _tree_nodes(visible.valid_on(day).filter(parent=at), day)
    listed = Paginator(units, PICK_PAGE_SIZE).get_page(page)
    selected = None
    shown = {u.pk for u in listed.object_list} | {u.pk for u in predecessors}
    if (
        selected_pk is not None
        and selected_pk not in shown
        and selected_pk != getattr(at, "pk", None)
    ):
        selected = visible.filter(pk=selected_pk).select_related("parent").first()
    return UnitPick(at, trail, listed, predecessors, query, selected)


def _pick_search(
    visible: QuerySet[Unit], at: Unit, predecessors: list[Unit], query: str
) -> QuerySet[Unit]:
    """Units below `at` or below the old units it took over, every word of `query` in their
    name or code, whichever day they were in force."""
    below = Q(path__startswith=at.path)
    for old in predecessors:
        below |= Q(path__startswith=old.path)
    qs = visible.filter(below).exclude(pk=at.pk)
    for word in search_key(query).split():
        qs = qs.filter(search_key__contains=word)
    return (
        qs.select_related("parent")
        .annotate(child_count=Count("children"), kind_rank=kind_rank())
        .order_by("depth", "kind_rank", "name", "pk")
    )
