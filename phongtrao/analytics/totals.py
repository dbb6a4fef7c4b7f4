"""The sums of each root's subtree, per indicator, stored period and state, in two queries.

Why maintained totals (analytics/models.py) and not a read of the values themselves: measured
with 12.5 million values (issue 18), the roll-up that read the values by path prefix took 164 s
on PostgreSQL (433 s on SQLite) for a national pivot, since a prefix reads every value of the
subtree; a DHIS2-style denormalised table answered in 0.6-6.6 s but only after a rebuild of
half a minute, stale in between. Totals per ancestor, indicator, period and state, kept by
triggers in the transaction of every write, answer a national pivot from a few thousand rows
(see docs/BENCHMARKS.md, `phongtrao bench analytics`), and a saved cell is in every
ancestor's total before its request returns: nothing to rebuild, nothing stale.

A root's subtree sum is its own values (read from the values) plus its row of totals. The
maximum is not maintained (it cannot be taken back when a value falls); the rare indicator
aggregated by maximum is read from the values of the subtree, in one more query.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import connections, router
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from phongtrao.analytics.models import SubtreeTotal
from phongtrao.catalog.models import Aggregation, Indicator
from phongtrao.catalog.periods import period_parse
from phongtrao.core.text import format_number
from phongtrao.reporting.models import DataValue
from phongtrao.reporting.selectors import period_ids_within
from phongtrao.units.models import Unit

SumKey = tuple[int, int, str]  # (indicator id, root unit id, stored period)


class RootUnit(NamedTuple):
    """A unit as a root of a sum needs it: its id and its path. The roll-up names every root
    so, the old units it reads as pairs too: a whole Unit built for each predecessor was
    hundreds of model instances on a province's home page, a fifth of its time in Python."""

    pk: int
    path: str


@dataclass
class RootSums:
    counts: dict[SumKey, int] = field(default_factory=lambda: defaultdict(int))
    totals: dict[SumKey, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    maxima: dict[SumKey, Decimal] = field(default_factory=dict)

    def count(self, indicator_id: int, unit_id: int, period: str) -> int:
        return self.counts.get((indicator_id, unit_id, period), 0)

    def total(self, indicator_id: int, unit_id: int, period: str) -> Decimal:
        return self.totals.get((indicator_id, unit_id, period), Decimal(0))

    def maximum(self, indicator_id: int, unit_id: int, period: str) -> Decimal | None:
        return self.maxima.get((indicator_id, unit_id, period))

    def add(self, key: SumKey, count: int, total: Decimal, maximum: Decimal | None) -> None:
        self.counts[key] += count
        self.totals[key] += total
        if maximum is not None and (key not in self.maxima or maximum > self.maxima[key]):
            self.maxima[key] = maximum


def root_sums(
    *,
    roots: Sequence[Unit | RootUnit],
    indicators: Sequence[Indicator],
    period_ids: Sequence[str],
    states: Sequence[str],
    below: bool = True,
) -> RootSums:
    """Count, sum (and for indicators aggregated by maximum, maximum) of the numbers in each
    root's subtree, or of its own values only (below=False)."""
    sums = RootSums()
    if not (roots and indicators and period_ids):
        return sums
    root_ids = [root.pk for root in roots]
    indicator_ids = [i.pk for i in indicators]
    periods, period_params = _periods_sql(period_ids)
    # Plain SQL: the rows are a few thousand, and the ORM's compiling and converting cost more
    # than the queries (6 of 14 ms for the national pivot). The own values are read without
    # the indicators, so the planner takes the (unit, period) index: the unique (indicator,
    # period, unit) one would be probed for every indicator asked.
    own = _rows(
        f"SELECT indicator_id, unit_id, period, COUNT(*), SUM(number), MAX(number) "
        f"FROM {DataValue._meta.db_table} WHERE unit_id IN ({_marks(root_ids)}) AND ({periods}) "
        f"AND state IN ({_marks(states)}) AND number IS NOT NULL "
        "GROUP BY indicator_id, unit_id, period",
        [*root_ids, *period_params, *states],
    )
    asked = set(indicator_ids)
    for indicator_id, unit_id, period, n, total, maximum in own:
        if indicator_id in asked:
            sums.add((indicator_id, unit_id, period), n, _decimal(total), _decimal(maximum))
    if not below:
        return sums
    totals = _rows(
        f"SELECT indicator_id, unit_id, period, SUM(count), SUM(total) "
        f"FROM {SubtreeTotal._meta.db_table} WHERE unit_id IN ({_marks(root_ids)}) "
        f"AND ({periods}) AND indicator_id IN ({_marks(indicator_ids)}) "
        f"AND state IN ({_marks(states)}) AND count > 0 GROUP BY indicator_id, unit_id, period",
        [*root_ids, *period_params, *indicator_ids, *states],
    )
    for indicator_id, unit_id, period, n, total in totals:
        sums.add((indicator_id, unit_id, period), n, _decimal(total), None)
    maxed = [i for i in indicators if i.aggregation == Aggregation.MAX]
    if maxed:
        filters = {"state__in": list(states), "period__in": list(period_ids)}
        _subtree_maxima(sums, roots, maxed, filters)
    return sums


def _marks(items: Sequence) -> str:
    return ", ".join(["%s"] * len(items))


def _rows(sql: str, params: list) -> list[tuple]:
    # Where the ORM would read the totals: the replica inside core.routers.replica_reads().
    with connections[router.db_for_read(SubtreeTotal)].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _decimal(number: Any) -> Decimal | None:
    # PostgreSQL gives Decimals; SQLite floats, taken by their shortest spelling.
    if number is None or isinstance(number, Decimal):
        return number
    return Decimal(str(number))


def _periods_sql(period_ids: Sequence[str]) -> tuple[str, list[str]]:
    """The periods as ranges where they make whole years: every id of a year starts with it
    ("2024", "2024S1", "2024Q3", "202408"), so a year is the range ["2024", "2025"), one range
    scan per unit in the indexes instead of a probe for each of its 19 ids."""
    by_year: dict[str, set[str]] = defaultdict(set)
    for period_id in period_ids:
        by_year[period_id[:4]].add(period_id)
    parts, params = [], []
    for year, ids in sorted(by_year.items()):
        if ids >= _year_ids(year):
            parts.append("(period >= %s AND period < %s)")
            params += [year, str(int(year) + 1)]
        else:
            parts.append(f"period IN ({_marks(ids)})")
            params += sorted(ids)
    return " OR ".join(parts), params


def _year_ids(year: str) -> set[str]:
    return set(period_ids_within(period_parse(year)))


def _subtree_maxima(
    sums: RootSums, roots: Sequence[Unit | RootUnit], indicators: list, filters: dict
) -> None:
    within = Q()
    for root in roots:
        within |= Q(unit__path__startswith=root.path)
    filters = filters | {"indicator_id__in": [i.pk for i in indicators]}
    rows = DataValue.objects.filter(within, number__isnull=False, **filters).values_list(
        "indicator_id", "unit__path", "period", "number"
    )
    for indicator_id, path, period, number in rows:
        for root in roots:
            if path.startswith(root.path):
                key = (indicator_id, root.pk, period)
                if key not in sums.maxima or number > sums.maxima[key]:
                    sums.maxima[key] = number


def _key(row: tuple) -> tuple:
    unit_id, indicator_id, period, state, *_rest = row
    return unit_id, indicator_id, period, state


def totals_recount() -> dict[tuple, tuple[int, Decimal]]:
    """Every subtree total counted again from the values, as the triggers should have kept it:
    {(unit, indicator, period, state): (count, sum)}, one grouped query."""
    rows = (
        DataValue.objects.filter(number__isnull=False)
        .values_list("unit__ancestors__ancestor_id", "indicator_id", "period", "state")
        .annotate(n=Count("pk"), s=Sum("number"))
        .order_by()
    )
    return {_key(row): (row[4], Decimal(row[5])) for row in rows if row[0] is not None}


def totals_differences() -> list[str]:
    """Where the kept totals differ from a full recount; empty when they agree."""
    kept = {
        _key(row): (row[4], Decimal(row[5]))
        for row in SubtreeTotal.objects.filter(count__gt=0).values_list(
            "unit_id", "indicator_id", "period", "state", "count", "total"
        )
    }
    counted = totals_recount()
    differences = []
    for key in sorted(set(kept) | set(counted), key=str):
        have, want = kept.get(key), counted.get(key)
        if have is None or want is None or have[0] != want[0] or abs(have[1] - want[1]) > EPSILON:
            unit_id, indicator_id, period, state = key
            differences.append(
                _(
                    "Unit %(unit)s, indicator %(indicator)s, %(period)s, %(state)s: kept "
                    "%(kept)s, counted %(counted)s"
                )
                % {
                    "unit": unit_id, "indicator": indicator_id, "period": period, "state": state,
                    "kept": _figure(have), "counted": _figure(want),
                }
            )  # fmt: skip
    return differences


def _figure(found: tuple[int, Decimal] | None) -> str:
    if found is None:
        return _("nothing")
    return _("%(count)s values, sum %(total)s") % {
        "count": format_number(found[0]),
        "total": format_number(found[1]),
    }


# SQLite adds floating-point numbers; PostgreSQL's numeric sums are exact.
EPSILON = Decimal("0.0001")
