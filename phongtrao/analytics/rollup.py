"""The roll-up engine: any indicator, unit, period and boundaries, over the unit's subtree.

What a number means (DESIGN.md): a value entered for a unit is what that unit itself did; a
unit's total is its own value plus the own values of every unit below it, each counted once.
In today's boundaries a unit also carries the subtrees of the old units it took over, each by
its share; a value inside two of a unit's roots counts once, for the nearer (longer) one.

Every read goes through `rollup`: many indicators x units x periods in a fixed number of
queries, whatever their numbers. The sums of each root's subtree come from `root_sums`.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from phongtrao.analytics.states import DEFAULT_STATE, STORED_STATES, DataState
from phongtrao.analytics.totals import RootSums, RootUnit, root_sums
from phongtrao.catalog.models import Aggregation, Indicator, ValueType
from phongtrao.catalog.periods import period_parse
from phongtrao.reporting.selectors import Boundaries, period_ids_within
from phongtrao.units.models import Unit, UnitSuccession

QUANTUM = Decimal("0.000001")
ONE = Decimal(1)

Key = tuple[int, int, str]  # (indicator id, unit id, period asked for)


@dataclass(frozen=True)
class Root:
    unit: RootUnit
    weight: Decimal


def rollup_roots(units: Sequence[Unit], boundaries: Boundaries) -> dict[int, list[Root]]:
    """Each unit's roots, nearest first: itself, and in today's boundaries its predecessors."""
    roots = {u.pk: [Root(RootUnit(u.pk, u.path), ONE)] for u in units}
    if boundaries == Boundaries.CURRENT and units:
        # Only the id and the path of an old unit are needed: no whole rows.
        successions = UnitSuccession.objects.filter(
            successor__in=[u.pk for u in units]
        ).values_list("successor_id", "predecessor_id", "predecessor__path", "share")
        for successor_id, pk, path, share in successions:
            roots[successor_id].append(Root(RootUnit(pk, path), share))
    return {pk: sorted(r, key=lambda root: len(root.unit.path), reverse=True)
            for pk, r in roots.items()}  # fmt: skip


def _nested_in(inner: RootUnit, roots: list[Root]) -> Root | None:
    """The nearest other root whose subtree holds `inner`'s (roots are nearest first)."""
    for root in roots:
        shorter = len(root.unit.path) < len(inner.path)
        if shorter and inner.path.startswith(root.unit.path):
            return root
    return None


def _period_ids(periods: Iterable[str]) -> dict[str, list[str]]:
    return {p: period_ids_within(period_parse(p)) for p in periods}


def _number(value: Decimal) -> Decimal:
    return value.quantize(QUANTUM).normalize()


def rollup(
    *,
    indicators: Sequence[Indicator],
    units: Sequence[Unit],
    periods: Sequence[str],
    boundaries: Boundaries | str = Boundaries.HISTORICAL,
    state: DataState | str = DEFAULT_STATE,
) -> dict[Key, Decimal]:
    """Totals keyed (indicator id, unit id, period); a key is missing when no unit reported.

    A period counts the values of every period inside it (a year its months and quarters).
    """
    boundaries, state = Boundaries(boundaries), DataState(state)
    if not (indicators and units and periods):
        return {}
    roots = rollup_roots(units, boundaries)
    within = _period_ids(periods)
    all_roots = {root.unit.pk: root.unit for rs in roots.values() for root in rs}
    sums = root_sums(
        roots=list(all_roots.values()),
        indicators=list(indicators),
        period_ids=sorted({p for ids in within.values() for p in ids}),
        states=STORED_STATES[state],
    )
    # Sums and averages add up row by row, so the work grows with the rows read, not with
    # the cells asked; the rare last-value and maximum indicators go cell by cell.
    plain = {i.pk for i in indicators if i.aggregation in (Aggregation.SUM, Aggregation.AVERAGE)}
    result = _added_up(sums, roots, within, plain, indicators)
    for indicator in indicators:
        if indicator.pk in plain:
            continue
        for unit in units:
            for period in periods:
                value = _cell(indicator, roots[unit.pk], within[period], sums)
                if value is not None:
                    result[(indicator.pk, unit.pk, period)] = _number(value)
    return result


def _added_up(
    sums: RootSums,
    roots: dict[int, list[Root]],
    within: dict[str, list[str]],
    plain: set[int],
    indicators: Sequence[Indicator],
) -> dict[Key, Decimal]:
    # Each root's place in each unit: its weight, and the weight of the root that encloses it
    # (a value inside a nearer root was counted there: take it out of the outer one); None for
    # a weight of one, the usual case, which then costs no multiplication.
    places: dict[int, list[tuple[int, Decimal | None, Decimal | None]]] = defaultdict(list)
    for unit_pk, unit_roots in roots.items():
        for root in unit_roots:
            outer = _nested_in(root.unit, unit_roots)
            weight = None if root.weight == ONE else root.weight
            places[root.unit.pk].append((unit_pk, weight, outer.weight if outer else None))
    asked_in: dict[str, list[str]] = defaultdict(list)
    for asked, ids in within.items():
        for period_id in ids:
            asked_in[period_id].append(asked)
    counts: dict[Key, int] = defaultdict(int)
    totals: dict[Key, Decimal] = defaultdict(Decimal)
    # What the shares add to a plain sum: weighted = totals + adjusted.
    adjusted: dict[Key, Decimal] = defaultdict(Decimal)
    for (indicator_id, root_pk, period_id), count in sums.counts.items():
        if not count or indicator_id not in plain:
            continue
        total = sums.totals[(indicator_id, root_pk, period_id)]
        for asked in asked_in[period_id]:
            for unit_pk, weight, outer in places[root_pk]:
                key = (indicator_id, unit_pk, asked)
                counts[key] += count
                totals[key] += total
                if weight is not None:
                    adjusted[key] += total * (weight - ONE)
                if outer is not None:
                    counts[key] -= count
                    totals[key] -= total
                    adjusted[key] -= total * (outer - ONE)
    weighted = {key: totals[key] + extra for key, extra in adjusted.items()}
    averaged = {i.pk for i in indicators if i.aggregation == Aggregation.AVERAGE}
    # A sum of whole numbers is whole, unless a share divided it; SQLite adds floats, whose
    # last digits are noise at a national scale of VND.
    whole = {i.pk for i in indicators if i.value_type in (ValueType.WHOLE, ValueType.YES_NO)}
    found = {}
    for key, n in counts.items():
        if n <= 0:
            continue
        if key[0] in averaged:
            found[key] = _number(totals[key] / n)
        elif key not in weighted:
            found[key] = (
                totals[key].quantize(ONE).normalize() if key[0] in whole else _number(totals[key])
            )
        else:
            found[key] = _number(weighted[key])
    return found


def _cell(
    indicator: Indicator, roots: list[Root], period_ids: list[str], sums: RootSums
) -> Decimal | None:
    aggregation = Aggregation(indicator.aggregation)
    if aggregation == Aggregation.LAST:
        # The latest period inside the asked one that has any value in the unit's roots.
        filled = [
            p for p in period_ids if any(sums.count(indicator.pk, r.unit.pk, p) for r in roots)
        ]
        period_ids = [max(filled)] if filled else []
    if aggregation == Aggregation.MAX:
        found = [
            m for r in roots for p in period_ids
            if (m := sums.maximum(indicator.pk, r.unit.pk, p)) is not None
        ]  # fmt: skip
        return max(found) if found else None
    count, total, weighted = 0, Decimal(0), Decimal(0)
    for root in roots:
        parent = _nested_in(root.unit, roots)
        for p in period_ids:
            c, s = (
                sums.count(indicator.pk, root.unit.pk, p),
                sums.total(indicator.pk, root.unit.pk, p),
            )
            if not c:
                continue
            # A value inside a nearer root was counted there: take it out of the outer root.
            count, total, weighted = count + c, total + s, weighted + s * root.weight
            if parent is not None:
                count, total = count - c, total - s
                weighted -= s * parent.weight
    if count <= 0:
        return None
    if aggregation == Aggregation.AVERAGE:
        return total / count
    return weighted


def unit_total(
    *,
    indicator: Indicator,
    unit: Unit,
    period: str,
    boundaries: Boundaries | str = Boundaries.HISTORICAL,
    state: DataState | str = DEFAULT_STATE,
) -> Decimal | None:
    """One indicator's total for one unit and period (the `values get` figure)."""
    found = rollup(
        indicators=[indicator], units=[unit], periods=[period], boundaries=boundaries, state=state
    )
    return found.get((indicator.pk, unit.pk, period))


def own_values(
    *,
    indicators: Sequence[Indicator],
    units: Sequence[Unit],
    periods: Sequence[str],
    state: DataState | str = DEFAULT_STATE,
) -> dict[Key, Decimal]:
    """What each unit itself reported (no unit below it), keyed like `rollup`."""
    if not (indicators and units and periods):
        return {}
    within = _period_ids(periods)
    sums = root_sums(
        roots=list(units),
        indicators=list(indicators),
        period_ids=sorted({p for ids in within.values() for p in ids}),
        states=STORED_STATES[DataState(state)],
        below=False,
    )
    result: dict[Key, Decimal] = {}
    own = {unit.pk: [Root(RootUnit(unit.pk, unit.path), ONE)] for unit in units}
    for indicator in indicators:
        for unit in units:
            for period in periods:
                value = _cell(indicator, own[unit.pk], within[period], sums)
                if value is not None:
                    result[(indicator.pk, unit.pk, period)] = _number(value)
    return result
