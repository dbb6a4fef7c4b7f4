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

from django.db.models import Count, Max, Q, Sum

from phongtrao.analytics.models import SubtreeTotal
from phongtrao.catalog.models import Aggregation, Indicator
from phongtrao.reporting.models import DataValue
from phongtrao.units.models import Unit

SumKey = tuple[int, int, str]  # (indicator id, root unit id, stored period)


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
        self.totals[key] += Decimal(total)
        if maximum is not None and (key not in self.maxima or maximum > self.maxima[key]):
            self.maxima[key] = Decimal(maximum)


def root_sums(
    *,
    roots: Sequence[Unit],
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
    filters = {"indicator_id__in": [i.pk for i in indicators], "state__in": list(states)}
    periods = _periods_q(period_ids)
    root_ids = [root.pk for root in roots]
    # Without the indicators, so the planner takes the (unit, period) index: a unit holds few
    # values, while the unique (indicator, period, unit) index would be probed for every
    # combination asked (63 provinces x 34 indicators x 19 periods: 40,000 probes for nothing).
    own = (
        DataValue.objects.filter(
            periods, unit_id__in=root_ids, state__in=filters["state__in"], number__isnull=False
        )
        .values_list("indicator_id", "unit_id", "period")
        .annotate(n=Count("pk"), s=Sum("number"), m=Max("number"))
        .order_by()
    )  # fmt: skip
    asked = set(filters["indicator_id__in"])
    for indicator_id, unit_id, period, n, s, m in own:
        if indicator_id in asked:
            sums.add((indicator_id, unit_id, period), n, s, m)
    if not below:
        return sums
    totals = (
        SubtreeTotal.objects.filter(periods, unit_id__in=root_ids, count__gt=0, **filters)
        .values_list("indicator_id", "unit_id", "period")
        .annotate(n=Sum("count"), s=Sum("total"))
        .order_by()
    )
    for indicator_id, unit_id, period, n, s in totals:
        sums.add((indicator_id, unit_id, period), n, s, None)
    maxed = [i for i in indicators if i.aggregation == Aggregation.MAX]
    if maxed:
        _subtree_maxima(sums, roots, maxed, filters | {"period__in": list(period_ids)})
    return sums


def _periods_q(period_ids: Sequence[str]) -> Q:
    """The periods as ranges where they make whole years: every id of a year starts with it
    ("2024", "2024S1", "2024Q3", "202408"), so a year is the range ["2024", "2025"), one range
    scan per unit in the indexes instead of a probe for each of its 19 ids."""
    by_year: dict[str, set[str]] = defaultdict(set)
    for period_id in period_ids:
        by_year[period_id[:4]].add(period_id)
    q = Q()
    for year, ids in by_year.items():
        if ids >= _year_ids(year):
            q |= Q(period__gte=year, period__lt=str(int(year) + 1))
        else:
            q |= Q(period__in=sorted(ids))
    return q


def _year_ids(year: str) -> set[str]:
    from phongtrao.catalog.periods import period_parse
    from phongtrao.reporting.selectors import period_ids_within

    return set(period_ids_within(period_parse(year)))


def _subtree_maxima(sums: RootSums, roots: Sequence[Unit], indicators: list, filters: dict) -> None:
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
            differences.append(f"{key}: kept {have}, counted {want}")
    return differences


# SQLite adds floating-point numbers; PostgreSQL's numeric sums are exact.
EPSILON = Decimal("0.0001")
