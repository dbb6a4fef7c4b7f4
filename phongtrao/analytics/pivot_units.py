"""The units of a pivot table: the one it is about (in the user's scope), the units an axis
lists below it, and where an old unit's figures went (today's boundaries) or a new unit's came
from (the boundaries of the time)."""

from datetime import date
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.units.models import Unit, UnitKind, UnitSuccession, valid_on
from phongtrao.units.scope import in_scope, scope_paths
from phongtrao.units.selectors import kind_rank

# The level of the units on an axis: the chosen unit's own children (else a unit kind).
CHILDREN = ""

LEVEL_LABELS = {
    CHILDREN: gettext_lazy("the units directly below"),
    UnitKind.DISTRICT: gettext_lazy("the districts"),
    UnitKind.COMMUNE: gettext_lazy("the communes, wards and special zones"),
    UnitKind.RESIDENTIAL_AREA: gettext_lazy("the residential areas"),
}


def level_label(level: str) -> str:
    return str(LEVEL_LABELS.get(level) or UnitKind(level).label)


def pivot_units(*, parent: Unit | None, level: str, day: date, user: Any) -> list[Unit]:
    """The units an axis lists, in force on `day`, each with how many units below it are
    (`below`), in one query: the parent's children, or its descendants of one kind."""
    qs = Unit.objects.visible_to(user).filter(valid_on(day))
    if level:
        qs = qs.filter(kind=level)
        if parent is not None:
            qs = qs.filter(path__startswith=parent.path).exclude(pk=parent.pk)
    else:
        qs = qs.filter(parent=parent) if parent is not None else qs.filter(depth=0)
    qs = qs.annotate(
        below=Count("children", filter=valid_on(day, "children__")), kind_rank=kind_rank()
    )
    return list(qs.order_by("kind_rank", "path"))


def pivot_unit(*, user: Any, pk: int | None) -> Unit | None:
    """The unit a table is about; None (the whole country) only for a user who sees it all.
    A unit out of the user's scope is not found, like a missing one."""
    if pk is None:
        if "" in scope_paths(user):
            return None
        raise AppError(ErrorCode.INVALID, _("Choose a unit."))
    unit = Unit.objects.visible_to(user).select_related("parent").filter(pk=pk).first()
    if unit is None:
        raise AppError(ErrorCode.NOT_FOUND, _("There is no such unit."))
    return unit


def current_successor(*, unit: Unit, user: Any) -> Unit | None:
    """Today's unit that carries an old unit's figures: the default successor of the unit, or
    of its nearest ancestor that has one (an old district's is its province's); one query."""
    candidates = [unit.pk, *reversed(unit.ancestor_ids)]
    successions = (
        UnitSuccession.objects.filter(predecessor_id__in=candidates)
        .select_related("successor__parent")
        .order_by("-is_default", "successor__name")
    )
    by_predecessor: dict[int, Unit] = {}
    for succession in successions:
        if in_scope(user, succession.successor):
            by_predecessor.setdefault(succession.predecessor_id, succession.successor)
    return next((by_predecessor[pk] for pk in candidates if pk in by_predecessor), None)


def earlier_units(*, unit: Unit, user: Any) -> list[Unit]:
    """The old units a unit took over, for a table asked of it before it existed."""
    successions = UnitSuccession.objects.filter(successor=unit).select_related("predecessor")
    found = [s.predecessor for s in successions.order_by("predecessor__path")]
    return [u for u in found if in_scope(user, u)]
