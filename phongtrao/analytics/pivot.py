"""The pivot table: rows and columns chosen from indicators, units and periods, the third
dimension fixed; totals, the same period a year earlier, the rank among sibling units.

Every figure comes from one `rollup` call: the cells, the totals the engine must compute and the
previous year's values. A total of a sum indicator is the sum of the cells it totals; any other
aggregation (average, maximum, last value) cannot be added up, so its total is the engine's own
figure for the parent unit or for the one period the listed periods make up. With the few reads
around it (the units on the axis, the coverage) a table costs a fixed number of queries, whatever
its numbers of units, indicators and periods.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from phongtrao.analytics.pivot_periods import enclosing_period, year_before
from phongtrao.analytics.pivot_units import level_label, pivot_units
from phongtrao.analytics.rollup import rollup
from phongtrao.analytics.selectors import coverages
from phongtrao.analytics.states import DEFAULT_STATE, DataState
from phongtrao.catalog.models import Aggregation, Indicator, ReportForm, ReportFormItem
from phongtrao.catalog.ownership import visible_q
from phongtrao.catalog.periods import (
    Period,
    period_containing,
)
from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.text import format_date, format_number
from phongtrao.reporting.selectors import Boundaries
from phongtrao.units.forms import unit_dated
from phongtrao.units.models import Unit

# A table larger than this is refused with a message: it would not be read on a screen.
MAX_CELLS = 20_000
FESTIVAL_FORM = "FESTIVAL"
PERCENT_QUANTUM = Decimal("0.1")


class Dimension(StrEnum):
    INDICATOR = "indicator"
    UNIT = "unit"
    PERIOD = "period"


class Measure(StrEnum):
    VALUE = "value"
    PREVIOUS = "previous"
    CHANGE = "change"
    PERCENT = "percent"
    RANK = "rank"


class Role(StrEnum):
    """What a row or column stands for."""

    ITEM = "item"
    # The units or periods above it added up (another aggregation: the engine's own total).
    TOTAL = "total"
    # The parent unit's total from the engine, shown when it is more than its units' sum
    # (the parent's own figures, or units between it and the level shown).
    WHOLE = "whole"


@dataclass(frozen=True)
class PivotQuery:
    rows: Dimension
    columns: Dimension
    indicators: tuple[Indicator, ...]
    # The unit whose subtree an axis lists, or the fixed unit; None: the whole country.
    unit: Unit | None
    level: str
    # Of one type, in order; the fixed dimension's several periods are totalled.
    periods: tuple[Period, ...]
    state: DataState = DEFAULT_STATE
    boundaries: Boundaries = Boundaries.HISTORICAL
    compare: bool = False
    rank: bool = False

    @property
    def fixed(self) -> Dimension:
        return next(d for d in Dimension if d not in (self.rows, self.columns))

    @property
    def axes(self) -> tuple[Dimension, Dimension]:
        return (self.rows, self.columns)

    @property
    def day(self) -> date:
        """The units listed are those in force that day: at the last period's end in the
        boundaries of the time, today in today's."""
        if self.boundaries == Boundaries.CURRENT:
            return timezone.localdate()
        return self.periods[-1].end


@dataclass(frozen=True)
class Member:
    """One row or column: an indicator, a unit or a period, or a total of them."""

    dimension: Dimension
    label: str
    role: Role = Role.ITEM
    item: Any = None
    # A unit with units below it in force that day: its header re-opens the table on them.
    drill: bool = False

    @property
    def coordinate(self) -> Any:
        return self.item if self.role == Role.ITEM else self.role


@dataclass(frozen=True)
class Cell:
    value: Decimal | None
    previous: Decimal | None = None
    rank: int | None = None

    @property
    def change(self) -> Decimal | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def percent(self) -> Decimal | None:
        change = self.change
        if change is None or not self.previous:
            return None
        return (change * 100 / self.previous).quantize(PERCENT_QUANTUM)

    def measure(self, measure: Measure) -> Decimal | int | None:
        return {
            Measure.VALUE: self.value,
            Measure.PREVIOUS: self.previous,
            Measure.CHANGE: self.change,
            Measure.PERCENT: self.percent,
            Measure.RANK: self.rank,
        }[measure]


@dataclass(frozen=True)
class Line:
    member: Member
    cells: list[Cell]


@dataclass
class PivotTable:
    query: PivotQuery
    columns: list[Member]
    lines: list[Line]
    measures: list[Measure]
    # "Chỉ tiêu: …", "Kỳ: …": what the fixed dimension is held at.
    fixed: list[str] = field(default_factory=list)
    coverage: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class _Figures:
    """The engine's answers, and the totals and ranks made from them."""

    found: dict[tuple[int, int, str], Decimal]
    units: list[Unit]
    periods: list[Period]
    parent: Unit | None
    enclosing: Period | None
    ranks: dict[tuple[int, str], list[Decimal]] = field(default_factory=dict)

    def _raw(self, indicator: Indicator, unit: Unit, period: Period, back: int) -> Decimal | None:
        return self.found.get((indicator.pk, unit.pk, year_before(period, back).id))

    def value(self, indicator: Indicator, unit: Any, period: Any, back: int = 0) -> Decimal | None:
        if unit == Role.WHOLE:
            unit = self.parent
        units = self.units if unit == Role.TOTAL else [unit]
        periods = self.periods if period == Role.TOTAL else [period]
        if indicator.aggregation != Aggregation.SUM:
            # Not to be added up: the engine's total for the parent or the enclosing period.
            if unit == Role.TOTAL and self.parent is not None:
                units = [self.parent]
            if period == Role.TOTAL and self.enclosing is not None:
                periods = [self.enclosing]
        found = [
            v for u in units for p in periods if (v := self._raw(indicator, u, p, back)) is not None
        ]  # fmt: skip
        if not found:
            return None
        if len(units) == 1 and len(periods) == 1:
            return found[0]
        if indicator.aggregation == Aggregation.SUM:
            return sum(found, Decimal(0))
        if indicator.aggregation == Aggregation.MAX:
            return max(found)
        return None

    def rank(self, indicator: Indicator, unit: Unit, period: Any) -> int | None:
        value = self.value(indicator, unit, period)
        if value is None:
            return None
        key = (indicator.pk, str(period) if period == Role.TOTAL else period.id)
        if key not in self.ranks:
            values = [self.value(indicator, u, period) for u in self.units]
            self.ranks[key] = sorted((v for v in values if v is not None), reverse=True)
        # Competition ranking: equal figures share a rank, the next one skips (1, 1, 3).
        return 1 + sum(1 for v in self.ranks[key] if v > value)


def _members(
    query: PivotQuery, dimension: Dimension, units: list[Unit], periods: list[Period]
) -> list[Member]:
    if dimension == Dimension.INDICATOR:
        return [Member(dimension, ind.name, item=ind) for ind in query.indicators]
    if dimension == Dimension.PERIOD:
        members = [Member(dimension, p.label, item=p) for p in periods]
        if len(periods) > 1:
            members.append(Member(dimension, _("Total"), Role.TOTAL))
        return members
    members = [Member(dimension, unit_dated(u), item=u, drill=u.below > 0) for u in units]
    if len(units) > 1:
        members.append(Member(dimension, _("Total"), Role.TOTAL))
    if query.unit is not None and units:
        label = _("All of %(unit)s (its own figures included)") % {"unit": unit_dated(query.unit)}
        members.append(Member(dimension, label, Role.WHOLE, item=query.unit))
    return members


def _fixed_coordinate(query: PivotQuery) -> Any:
    if query.fixed == Dimension.INDICATOR:
        return query.indicators[0]
    if query.fixed == Dimension.UNIT:
        return query.unit
    return query.periods[0] if len(query.periods) == 1 else Role.TOTAL


def _check(query: PivotQuery) -> None:
    if query.rows == query.columns:
        raise AppError(ErrorCode.INVALID, _("Rows and columns must be two different dimensions."))
    if not query.indicators:
        raise AppError(ErrorCode.INVALID, _("Choose at least one indicator."))
    if query.fixed == Dimension.INDICATOR and len(query.indicators) != 1:
        raise AppError(
            ErrorCode.INVALID,
            _(
                "Indicators are neither rows nor columns: choose exactly one indicator, or put "
                "indicators in the rows or the columns."
            ),
        )
    if query.fixed == Dimension.UNIT and query.unit is None:
        raise AppError(
            ErrorCode.INVALID,
            _("Units are neither rows nor columns: choose one unit, not the whole country."),
        )


def _drop_whole_if_same(lines: list[Line], columns: list[Member]) -> tuple[list[Line], list]:
    """The parent's own total is shown only where it says more than its units' total."""

    def same(a: list[Cell], b: list[Cell]) -> bool:
        return [c.value for c in a] == [c.value for c in b]

    roles = [line.member.role for line in lines]
    if Role.WHOLE in roles:
        whole = lines[roles.index(Role.WHOLE)]
        reference = lines[roles.index(Role.TOTAL)] if Role.TOTAL in roles else lines[0]
        if same(whole.cells, reference.cells):
            lines = [line for line in lines if line is not whole]
        return lines, columns
    roles = [member.role for member in columns]
    if Role.WHOLE in roles:
        w = roles.index(Role.WHOLE)
        r = roles.index(Role.TOTAL) if Role.TOTAL in roles else 0
        if all(line.cells[w].value == line.cells[r].value for line in lines):
            columns = columns[:w] + columns[w + 1 :]
            lines = [Line(line.member, line.cells[:w] + line.cells[w + 1 :]) for line in lines]
    return lines, columns


def _describe(query: PivotQuery) -> list[str]:
    where = unit_dated(query.unit) if query.unit is not None else _("the whole country")
    if query.fixed == Dimension.INDICATOR:
        fixed = _("Indicator: %(name)s") % {"name": query.indicators[0].name}
    elif query.fixed == Dimension.UNIT:
        fixed = _("Unit: %(unit)s") % {"unit": where}
    elif len(query.periods) == 1:
        fixed = _("Period: %(period)s") % {"period": query.periods[0].label}
    else:
        fixed = _("Periods: %(first)s to %(last)s, totalled") % {
            "first": query.periods[0].label, "last": query.periods[-1].label,
        }  # fmt: skip
    lines = [fixed]
    if Dimension.UNIT in query.axes:
        lines.append(
            _("Units: %(level)s of %(unit)s in force on %(date)s")
            % {"level": level_label(query.level), "unit": where, "date": format_date(query.day)}
        )
    return lines


def pivot_coverage(*, query: PivotQuery, user: Any) -> list[str]:
    """How many units that must report each form holding the indicators are in the table, for
    each of the form's periods the table's periods fall in; the festival form first."""
    holding = ReportFormItem.objects.filter(indicator__in=query.indicators).values("form")
    forms = sorted(
        ReportForm.objects.filter(visible_q(user), is_active=True, pk__in=holding),
        key=lambda form: (form.code != FESTIVAL_FORM, form.code),
    )
    pairs = [
        (form, period)
        for form in forms
        for period in dict.fromkeys(
            period_containing(p.end, form.period_type) for p in query.periods
        )
    ]
    found = coverages(
        pairs=[(form, period.id) for form, period in pairs],
        unit=query.unit, state=query.state, boundaries=query.boundaries,
    )  # fmt: skip
    return [
        f"{form.name}, {period.label}: {coverage.label}"
        for (form, period), coverage in zip(pairs, found, strict=True)
    ]


def _shown(members: list[Member]) -> int:
    # The whole parent's line is left out when it says nothing more than the total.
    return sum(1 for member in members if member.role != Role.WHOLE)


def pivot_table(*, query: PivotQuery, user: Any) -> PivotTable:
    """The whole table: one roll-up of every cell, total and previous year's value."""
    _check(query)
    periods = list(query.periods)
    on_axis = Dimension.UNIT in query.axes
    if on_axis:
        units = pivot_units(parent=query.unit, level=query.level, day=query.day, user=user)
    else:
        units = [query.unit]
    parent = query.unit if on_axis else None
    rows = _members(query, query.rows, units, periods)
    columns = _members(query, query.columns, units, periods)
    cells = _shown(rows) * _shown(columns)
    if cells > MAX_CELLS:
        raise AppError(
            ErrorCode.INVALID,
            _(
                "The table would have %(cells)s cells, more than %(max)s: choose fewer units, "
                "indicators or periods, or a unit lower down."
            )
            % {"cells": format_number(cells), "max": format_number(MAX_CELLS)},
        )
    enclosing = enclosing_period(periods)
    asked = list(dict.fromkeys([*periods, *([enclosing] if enclosing else [])]))
    if query.compare:
        asked = list(dict.fromkeys([*asked, *(year_before(p) for p in asked)]))
    found = rollup(
        indicators=list(query.indicators), units=[*units, *([parent] if parent else [])],
        periods=[p.id for p in asked], boundaries=query.boundaries, state=query.state,
    )  # fmt: skip
    figures = _Figures(found, units, periods, parent, enclosing)
    fixed = _fixed_coordinate(query)
    ranked = query.rank and on_axis

    def cell(row: Member, column: Member) -> Cell:
        at = {
            query.fixed: fixed,
            row.dimension: row.coordinate,
            column.dimension: column.coordinate,
        }
        indicator, unit, period = at[Dimension.INDICATOR], at[Dimension.UNIT], at[Dimension.PERIOD]
        return Cell(
            figures.value(indicator, unit, period),
            figures.value(indicator, unit, period, back=1) if query.compare else None,
            figures.rank(indicator, unit, period) if ranked and isinstance(unit, Unit) else None,
        )

    lines = [Line(row, [cell(row, column) for column in columns]) for row in rows]
    lines, columns = _drop_whole_if_same(lines, columns)
    measures = [Measure.VALUE]
    if query.compare:
        measures += [Measure.PREVIOUS, Measure.CHANGE, Measure.PERCENT]
    if ranked:
        measures.append(Measure.RANK)
    return PivotTable(
        query=query, columns=columns, lines=lines, measures=measures, fixed=_describe(query),
        coverage=pivot_coverage(query=query, user=user), notes=_notes(query, units, enclosing),
    )  # fmt: skip


def _notes(query: PivotQuery, units: list[Unit], enclosing: Period | None) -> list[str]:
    notes = []
    if Dimension.UNIT in query.axes and not units:
        notes.append(
            _("No unit below %(unit)s was in force on %(date)s.")
            % {
                "unit": unit_dated(query.unit) if query.unit else _("the whole country"),
                "date": format_date(query.day),
            }
        )
    not_summed = [i for i in query.indicators if i.aggregation != Aggregation.SUM]
    several = len(query.periods) > 1 and enclosing is None
    if not_summed and (several or (Dimension.UNIT in query.axes and query.unit is None)):
        notes.append(
            _(
                "%(names)s cannot be added up: its total is given only over one unit or one "
                "whole year, half or quarter, and left empty elsewhere."
            )
            % {"names": ", ".join(i.name for i in not_summed)}
        )
    return notes
