"""Reads of data values: roll-ups over a unit's subtree, in either set of boundaries."""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.db.models import Avg, Case, DecimalField, F, Max, Q, Sum, Value, When
from django.utils import timezone

from phongtrao.catalog.models import Aggregation, Indicator, ReportForm, ReportFormItem, ValueType
from phongtrao.catalog.outliers import DEFAULT_THRESHOLD, modified_z_score
from phongtrao.catalog.periods import MONTHS_IN, Period, PeriodType, period_parse, periods_between
from phongtrao.catalog.selectors import indicator_get
from phongtrao.core.text import format_number
from phongtrao.registries.selectors.indicators import DERIVED_CODES, registry_indicator_values
from phongtrao.reporting.models import DataValue
from phongtrao.reporting.value_parsing import value_display
from phongtrao.units.models import Unit, UnitSuccession
from phongtrao.units.selectors import unit_get


class Boundaries(StrEnum):
    # Units as they were when the period ended (Kon Tum in 2019).
    HISTORICAL = "historical"
    # Today's units, each carrying the data of the units it took over (Quảng Ngãi for 2019).
    CURRENT = "current"


def period_ids_within(period: Period) -> list[str]:
    """The period and every shorter period inside it: 2019 -> 2019, 2019S1 … 201912."""
    ids = []
    for period_type in PeriodType:
        if MONTHS_IN[period_type] <= MONTHS_IN[period.type]:
            ids += [p.id for p in periods_between(period.start, period.end, period_type)]
    return ids


def rollup_roots(*, unit: Unit) -> list[tuple[str, Decimal]]:
    """(path, weight) of the subtrees whose data a unit carries in today's boundaries."""
    roots = [(unit.path, Decimal(1))]
    for succession in UnitSuccession.objects.filter(successor=unit).select_related("predecessor"):
        roots.append((succession.predecessor.path, succession.share))
    return roots


def _nearest_first(roots: list[tuple]) -> list[tuple]:
    # Longer paths first: a unit inside two roots counts for the nearer one.
    return sorted(roots, key=lambda r: len(r[0]), reverse=True)


def _weighted(roots: list[tuple[str, Decimal]]) -> Case:
    return Case(
        *[
            When(unit__path__startswith=path, then=Value(weight))
            for path, weight, *_key in _nearest_first(roots)
        ],
        default=Value(Decimal(0)),
        output_field=DecimalField(max_digits=10, decimal_places=4),
    )


def _in_roots(roots: list[tuple]) -> Q:
    within = Q()
    for path, *_rest in roots:
        within |= Q(unit__path__startswith=path)
    return within


def value_rollup(
    *,
    indicator: Indicator,
    unit: Unit,
    period: str,
    boundaries: Boundaries = Boundaries.HISTORICAL,
    user: Any = None,
) -> Decimal | None:
    """The indicator's value for the unit's whole subtree and the period, in one query."""
    parsed = period_parse(period)
    roots = rollup_roots(unit=unit) if boundaries == Boundaries.CURRENT else [(unit.path, 1)]
    qs = DataValue.objects.filter(_in_roots(roots), indicator=indicator, number__isnull=False)
    if user is not None:
        qs = qs.visible_to(user)
    ids = period_ids_within(parsed)
    if indicator.aggregation == Aggregation.LAST:
        # The latest period inside the requested one that has any value.
        latest = qs.filter(period__in=ids).order_by("-period").values_list("period", flat=True)
        ids = list(latest[:1])
    qs = qs.filter(period__in=ids)
    weighted = F("number") * _weighted(roots)
    aggregate = {
        Aggregation.SUM: Sum(weighted),
        Aggregation.LAST: Sum(weighted),
        Aggregation.AVERAGE: Avg("number"),
        Aggregation.MAX: Max("number"),
    }[Aggregation(indicator.aggregation)]
    result = qs.aggregate(v=aggregate)["v"]
    return None if result is None else Decimal(result).quantize(Decimal("0.000001")).normalize()


def value_sums_by_root(
    *,
    indicator: Indicator,
    period: str,
    roots: list[tuple[str, Decimal, int]],
    within: list[tuple[str, Decimal]],
) -> dict[int, Decimal]:
    """A summed indicator's total for the period per key, in one grouped query.

    `roots` are (path, weight, key): a value counts, with the weight, for the nearest root that
    holds it, as in `value_rollup`, so one unit's roots (its own subtree and its predecessors')
    share a key. Only values inside `within` (the roots of the unit the keys belong to) count.
    """
    ordered = _nearest_first(roots)
    root = Case(
        *[When(unit__path__startswith=path, then=Value(key)) for path, _weight, key in ordered]
    )
    rows = (
        DataValue.objects.filter(
            _in_roots(within),
            _in_roots(roots),
            indicator=indicator,
            period__in=period_ids_within(period_parse(period)),
            number__isnull=False,
        )
        .values(root=root)
        .annotate(total=Sum(F("number") * _weighted(roots)))
    )
    return {
        row["root"]: Decimal(row["total"]).quantize(Decimal("0.000001")).normalize() for row in rows
    }


def value_get(
    *, indicator_code: str, unit_code: str, period: str, boundaries: str = "historical"
) -> Decimal | None:
    """`values get`: the unit is looked up on the period's end (historical) or today (current)."""
    parsed = period_parse(period)
    boundaries = Boundaries(boundaries)
    on = parsed.end if boundaries == Boundaries.HISTORICAL else timezone.localdate()
    unit = unit_get(code=unit_code, on=on)
    indicator = indicator_get(code=indicator_code)
    return value_rollup(indicator=indicator, unit=unit, period=period, boundaries=boundaries)


HISTORY_PERIODS = 5


@dataclass
class EntryCell:
    indicator: Indicator
    value: DataValue | None
    history: list[Decimal]
    outlier_score: Decimal | None = None
    # The figure the unit's registries give (phongtrao.registries), when they give one.
    derived: Decimal | None = None

    @property
    def derived_mismatch(self) -> bool:
        # An empty registry says the unit does not keep it, not that the figure is wrong.
        number = self.value.number if self.value else None
        return bool(self.derived) and number is not None and number != self.derived

    @property
    def display(self) -> str:
        return value_display(self.indicator, self.value.value if self.value else None)

    @property
    def input_value(self) -> str:
        """What the input box shows: the Vietnamese spelling of numbers (2.150, 2,5)."""
        if self.value is None:
            return ""
        if self.value.number is not None and self.indicator.value_type != ValueType.YES_NO:
            return format_number(self.value.number)
        return self.value.value


@dataclass
class EntrySection:
    name: str
    cells: list[EntryCell]


def entry_grid(*, form: ReportForm, unit: Unit, period: str) -> list[EntrySection]:
    """The entry screen's sections and cells, with each cell's history, in four queries."""
    items = list(
        ReportFormItem.objects.filter(form=form)
        .select_related("section", "indicator")
        .order_by("section__order", "section_id", "order", "id")
    )
    indicator_ids = [item.indicator_id for item in items]
    values = {
        v.indicator_id: v
        for v in DataValue.objects.filter(
            unit=unit, period=period, indicator_id__in=indicator_ids
        ).select_related("updated_by")
    }
    history = _history(unit=unit, period=period, indicator_ids=indicator_ids)
    derived = _registry_values(items, unit=unit, period=period)
    threshold = form.outlier_threshold or DEFAULT_THRESHOLD
    sections: list[EntrySection] = []
    for item in items:
        if not sections or sections[-1].name != item.section.name:
            sections.append(EntrySection(item.section.name, []))
        cell = _cell(
            item.indicator,
            values.get(item.indicator_id),
            history=history.get(item.indicator_id, []),
            derived=derived.get(item.indicator.code),
            threshold=threshold,
        )
        sections[-1].cells.append(cell)
    return sections


def entry_cell(*, form: ReportForm, indicator: Indicator, unit: Unit, period: str) -> EntryCell:
    """One cell as `entry_grid` draws it, for redrawing it after a save: its value, the
    outlier warning against its history and the figure the registries give."""
    value = (
        DataValue.objects.filter(indicator=indicator, unit=unit, period=period)
        .select_related("updated_by")
        .first()
    )
    history = _history(unit=unit, period=period, indicator_ids=[indicator.pk])
    derived = _registry_values([ReportFormItem(indicator=indicator)], unit=unit, period=period)
    return _cell(
        indicator,
        value,
        history=history.get(indicator.pk, []),
        derived=derived.get(indicator.code),
        threshold=form.outlier_threshold or DEFAULT_THRESHOLD,
    )


def _history(*, unit: Unit, period: str, indicator_ids: list[int]) -> dict[int, list[Decimal]]:
    """The numbers of the unit's previous periods, per indicator."""
    previous, p = [], period_parse(period)
    for _i in range(HISTORY_PERIODS):
        p = p.previous()
        previous.append(p.id)
    history: dict[int, list[Decimal]] = {}
    for indicator_id, number in DataValue.objects.filter(
        unit=unit, period__in=previous, indicator_id__in=indicator_ids, number__isnull=False
    ).values_list("indicator_id", "number"):
        history.setdefault(indicator_id, []).append(number)
    return history


def _cell(
    indicator: Indicator,
    value: DataValue | None,
    *,
    history: list[Decimal],
    derived: Decimal | None,
    threshold: Decimal,
) -> EntryCell:
    cell = EntryCell(indicator, value, history, derived=derived)
    if value and value.number is not None:
        score = modified_z_score(value.number, history)
        if score is not None and abs(score) > threshold:
            cell.outlier_score = score
    return cell


def entry_derived(*, form: ReportForm, unit: Unit, period: str) -> dict[Indicator, Decimal]:
    """The figures the registries give for the form's indicators."""
    items = list(ReportFormItem.objects.filter(form=form).select_related("indicator"))
    found = _registry_values(items, unit=unit, period=period)
    return {i.indicator: found[i.indicator.code] for i in items if i.indicator.code in found}


def _registry_values(items: list[ReportFormItem], *, unit: Unit, period: str) -> dict:
    """Figures the registries derive, only when the form asks for one of them."""
    if not any(item.indicator.code in DERIVED_CODES for item in items):
        return {}
    return registry_indicator_values(unit=unit, period=period)
