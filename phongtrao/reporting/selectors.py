"""Reads of data values for the entry screen; totals over a subtree are analytics' (rollup.py)."""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from phongtrao.catalog.models import Indicator, ReportForm, ReportFormItem, ValueType
from phongtrao.catalog.outliers import DEFAULT_THRESHOLD, modified_z_score
from phongtrao.catalog.periods import MONTHS_IN, Period, PeriodType, period_parse, periods_between
from phongtrao.core.text import format_number
from phongtrao.core.unset import UNSET, Unset
from phongtrao.registries.selectors.indicators import DERIVED_CODES, registry_indicator_values
from phongtrao.reporting.models import DataValue, ImportJob
from phongtrao.reporting.value_parsing import value_display
from phongtrao.units.models import Unit


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


HISTORY_PERIODS = 5


@dataclass
class EntryCell:
    indicator: Indicator
    value: DataValue | None
    history: list[Decimal]
    outlier_score: Decimal | None = None
    # The figure the unit's own registry entries give (phongtrao.registries), when they give one.
    derived: Decimal | None = None

    @property
    def derived_mismatch(self) -> bool:
        # An empty registry says the unit does not keep it, not that the figure is wrong.
        number = self.value.number if self.value else None
        return bool(self.derived) and number is not None and number != self.derived

    @property
    def implausible(self) -> bool:
        """Above the indicator's plausible bound (set in the catalogue): warned, not refused."""
        return self.indicator.is_implausible(self.value.number if self.value else None)

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
    """The entry screen's sections and cells, with each cell's history and the registries'
    figures, in four queries whatever the form's size."""
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


def entry_cell(
    *,
    form: ReportForm,
    indicator: Indicator,
    unit: Unit,
    period: str,
    value: DataValue | None | Unset = UNSET,
) -> EntryCell:
    """One cell as `entry_grid` draws it, for redrawing it after a save: its value, the
    outlier warning against its history and the figure the registries give.

    `value` is the cell's value when the caller holds it (the one just saved); the registries
    count this cell's indicator only, so a redraw costs the same whatever the form's size.
    """
    if value is UNSET:
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
    """The figures the unit's own registry entries give for the form's indicators."""
    items = list(ReportFormItem.objects.filter(form=form).select_related("indicator"))
    found = _registry_values(items, unit=unit, period=period)
    return {i.indicator: found[i.indicator.code] for i in items if i.indicator.code in found}


def _registry_values(items: list[ReportFormItem], *, unit: Unit, period: str) -> dict:
    """Figures the registries derive for these items' indicators (one query, none when no item
    is counted by a registry)."""
    codes = [item.indicator.code for item in items if item.indicator.code in DERIVED_CODES]
    if not codes:
        return {}
    return registry_indicator_values(unit=unit, period=period, codes=codes)


def import_jobs_recent(
    *, status: str | None = None, page: int = 1, per_page: int = 50
) -> list[ImportJob]:
    """Every import job, newest first, one page of them: for the administrator's `jobs`."""
    qs = ImportJob.objects.order_by("-created_at", "-pk")
    if status:
        qs = qs.filter(status=status)
    start = (max(page, 1) - 1) * per_page
    return list(qs[start : start + per_page])
