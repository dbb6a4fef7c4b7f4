"""Who approves a unit's report: the approver rule the workflow applies, the reminder of who can
reopen a closed period, and who is told that a report waits for approval.

Approval goes bottom-up: an approver approves what units below their own submitted, never
their own unit's report nor one of a unit their own only succeeded at the same level.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from phongtrao.accounts.models import User
from phongtrao.core.roles import Role
from phongtrao.units.models import Unit, UnitKind, UnitSuccession

# Levels of the hierarchy, highest first; every grassroots kind shares the lowest.
LEVELS = {UnitKind.PROVINCE: 0, UnitKind.DISTRICT: 1, UnitKind.COMMUNE: 2}
GRASSROOTS_LEVEL = 3


def unit_level(unit: Unit) -> int:
    return LEVELS.get(unit.kind, GRASSROOTS_LEVEL)


def reaches(units: list[Unit]) -> dict[int, list[tuple[str, bool]]]:
    """Per unit: the paths it stands over, its own and (flagged) its 2025 predecessors'."""
    reach: dict[int, list[tuple[str, bool]]] = {u.pk: [(u.path, False)] for u in units}
    inherited = UnitSuccession.objects.filter(successor__in=units).values_list(
        "successor_id", "predecessor__path"
    )
    for successor_id, path in inherited:
        reach[successor_id].append((path, True))
    return reach


def stands_above(unit: Unit, paths: list[tuple[str, bool]], other: Unit) -> bool:
    """`other` lies strictly below `unit` or one of its predecessors; what the unit reaches
    through the succession only counts from a higher level (a commune never outranks the
    commune it succeeded, nor that commune's old province)."""
    return any(
        other.path.startswith(path)
        and other.path != path
        and (not inherited or unit_level(unit) < unit_level(other))
        for path, inherited in paths
    )


@dataclass(frozen=True)
class ApproverReach:
    """An approver's units and the paths each stands over, read once for as many reports as
    they act on (a bulk approval, the entry screen's offered steps, who is told of a report)."""

    held: tuple[Unit, ...]
    paths: dict[int, list[tuple[str, bool]]]

    def acting_for(self, unit: Unit) -> Unit | None:
        """The highest of the held units that stands above `unit`, or None."""
        above = [u for u in self.held if stands_above(u, self.paths[u.pk], unit)]
        return min(above, key=lambda u: (unit_level(u), len(u.path)), default=None)

    def above(self, acting: Unit, other: Unit) -> bool:
        """`acting`, one of the held units, stands above `other`."""
        return stands_above(acting, self.paths[acting.pk], other)


def approver_reach(actor: Any) -> ApproverReach:
    """The actor's reach, in two queries (their units, the successions those took over)."""
    held = list(actor.units.all()) if getattr(actor, "is_authenticated", False) else []
    return ApproverReach(tuple(held), reaches(held))


def approving_unit(*, actor: Any, unit: Unit, reach: ApproverReach | None = None) -> Unit | None:
    """The highest of the actor's units that stands above `unit`, or None."""
    return (reach or approver_reach(actor)).acting_for(unit)


def can_approve(*, actor: Any, unit: Unit, reach: ApproverReach | None = None) -> bool:
    if not actor.has_role(Role.APPROVER):
        return False
    return actor.is_superuser or approving_unit(actor=actor, unit=unit, reach=reach) is not None


def approver_reach_q(actor: Any) -> Q:
    """Units the actor stands above (`stands_above`, in SQL): strictly below one of their
    units, or below a unit one of theirs succeeded when at a lower level than theirs."""
    if actor.is_superuser:
        return Q()
    held = list(actor.units.all())
    condition = Q(pk__in=[])
    for unit, paths in reaches(held).items():
        level = unit_level(next(u for u in held if u.pk == unit))
        lower = [k for k in UnitKind.values if LEVELS.get(k, GRASSROOTS_LEVEL) > level]
        for path, inherited in paths:
            below = Q(path__startswith=path) & ~Q(path=path)
            condition |= below & Q(kind__in=lower) if inherited else below
    return condition


@dataclass(frozen=True)
class Reopening:
    """Who can reopen a unit's closed periods: the units of the lowest level above it that
    have an approver (empty: none has; a system administrator must)."""

    unit: Unit
    periods: list[str]
    approvers_at: list[Unit]


def closed_period_reopeners(*, closed: dict[int, set[str]]) -> list[Reopening]:
    """For an import refused for closed periods (unit id -> periods): per unit, the approver
    level above it, by name. Reads the units above each unit (its ancestors, and today's units
    that took over an ancestor from a higher level) and who holds them, in four queries."""
    units = Unit.objects.in_bulk(list(closed))
    ancestors = {pk: unit.ancestor_ids for pk, unit in units.items()}
    every = {a for ids in ancestors.values() for a in ids}
    above = {pk: set(ids) for pk, ids in ancestors.items()}
    successions = UnitSuccession.objects.filter(predecessor_id__in=every).values_list(
        "predecessor_id", "successor_id", "successor__kind"
    )
    for predecessor, successor, kind in successions:
        for pk, unit in units.items():
            # A unit that took over an ancestor stands above from a higher level only.
            higher = LEVELS.get(kind, GRASSROOTS_LEVEL) < unit_level(unit)
            if predecessor in ancestors[pk] and higher:
                above[pk].add(successor)
    candidates = {c for ids in above.values() for c in ids}
    roles = [r for r in Role.values if r not in (Role.VIEWER, Role.DATA_ENTRY)]
    held = set(
        User.units.through.objects.filter(
            unit_id__in=candidates, user__is_active=True, user__role__in=roles
        ).values_list("unit_id", flat=True)
    )
    named = Unit.objects.in_bulk(list(held))
    found = []
    for pk in sorted(units, key=lambda pk: units[pk].path):
        levels = [named[c] for c in above[pk] if c in named]
        lowest = max((unit_level(u) for u in levels), default=None)
        at = sorted((u for u in levels if unit_level(u) == lowest), key=lambda u: u.path)
        found.append(Reopening(units[pk], sorted(closed[pk]), at))
    return found


def report_approvers(*, unit: Unit) -> list[User]:
    """The active approvers told that the unit's report waits: those of the lowest level above
    it that has one (the level that reviews it first), each passing `can_approve`."""
    reopening = closed_period_reopeners(closed={unit.pk: set()})[0]
    held = list(
        User.objects.filter(units__in=reopening.approvers_at, is_active=True)
        .distinct()
        .prefetch_related("units")
    )
    # One read of the successions for every candidate's units, not one per candidate.
    paths = reaches(list({u.pk: u for user in held for u in user.units.all()}.values()))
    found = []
    for user in held:
        units = tuple(user.units.all())
        reach = ApproverReach(units, {u.pk: paths[u.pk] for u in units})
        if can_approve(actor=user, unit=unit, reach=reach):
            found.append(user)
    return found
