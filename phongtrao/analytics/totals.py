"""The sums of each root's subtree, per indicator, stored period and state.

(v0: read directly from the values by path prefix; replaced by maintained totals.)
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from phongtrao.catalog.models import Indicator
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
        self.totals[key] += total
        if maximum is not None and (key not in self.maxima or maximum > self.maxima[key]):
            self.maxima[key] = maximum


def root_sums(
    *,
    roots: Sequence[Unit],
    indicators: Sequence[Indicator],
    period_ids: Sequence[str],
    states: Sequence[str],
    below: bool = True,
) -> RootSums:
    """Count, sum and maximum of the numbers in each root's subtree (its own only: below=False)."""
    sums = RootSums()
    if not roots:
        return sums
    where = Q()
    for root in roots:
        where |= Q(unit__path__startswith=root.path) if below else Q(unit=root)
    rows = DataValue.objects.filter(
        where, indicator__in=list(indicators), period__in=list(period_ids),
        state__in=list(states), number__isnull=False,
    ).values_list("indicator_id", "unit_id", "unit__path", "period", "number")  # fmt: skip
    for indicator_id, unit_id, path, period, number in rows:
        for root in roots:
            if root.pk == unit_id or (below and path.startswith(root.path)):
                sums.add((indicator_id, root.pk, period), 1, number, number)
    return sums
