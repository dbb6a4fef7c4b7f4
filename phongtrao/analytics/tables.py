"""The tables under the dashboards' charts and the map: one structure that the page shows, the
chart draws (charts.js reads the page's table) and the CSV download writes, so the three never
disagree.

Cells hold raw values (Decimal, int, str, date or None); each column says how to show its cells.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from phongtrao.core.spreadsheets import neutralise
from phongtrao.units.models import Unit


class Kind(StrEnum):
    TEXT = "text"
    # A unit: its name, linked to its dashboard on the page; its name in the CSV.
    UNIT = "unit"
    NUMBER = "number"
    # A difference from last year: "+5", "−3".
    CHANGE = "change"
    # A percentage: "85,7%"; a change in percent: "+12,5%".
    PERCENT = "percent"
    PERCENT_CHANGE = "percent_change"
    DATE = "date"


NUMERIC = (Kind.NUMBER, Kind.CHANGE, Kind.PERCENT, Kind.PERCENT_CHANGE)


class ChartType(StrEnum):
    LINE = "line"
    BAR = "bar"
    # Horizontal bars: one per unit, for rankings.
    HBAR = "hbar"


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind = Kind.TEXT


@dataclass(frozen=True)
class Row:
    cells: list[Any]
    # "own" (a unit's own report) or "total": shown apart, and left out of the chart.
    role: str = ""


@dataclass(frozen=True)
class Chart:
    type: ChartType
    # The column whose cells name the points (a year, a unit) and those drawn as series.
    labels: int
    series: list[int]
    # Draw at most this many rows that have a figure (a ranking of a hundred communes).
    limit: int = 0
    # The top of the value axis when it has one (100 for percentages); else the data's.
    maximum: int | None = None


@dataclass(frozen=True)
class Table:
    # The URL's name for it, and the stem of the CSV file's name.
    name: str
    file_stem: str
    title: str
    columns: list[Column]
    rows: list[Row]
    chart: Chart | None = None
    # One line under the title: what the figures are.
    caption: str = ""

    @property
    def lines(self) -> list[tuple[Row, list[tuple[Any, Column]]]]:
        """Each row with its cells beside their columns, for a template."""
        return [(row, list(zip(row.cells, self.columns, strict=True))) for row in self.rows]


def _csv_cell(value: Any, kind: Kind) -> Any:
    if value is None:
        return ""
    if isinstance(value, Unit):
        return neutralise(value.name)
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        # Machine numbers ("1240", "12.5"): a spreadsheet reads them in any language.
        return format(value.normalize(), "f")
    if kind in NUMERIC:
        return value
    return neutralise(str(value))


def table_csv(table: Table) -> str:
    """The table as CSV: UTF-8 with a byte order mark (Excel then reads the diacritics), the
    page's headers, machine numbers; text cells neutralised against spreadsheet formulas."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(c.header) for c in table.columns])
    for row in table.rows:
        writer.writerow(
            [_csv_cell(v, c.kind) for v, c in zip(row.cells, table.columns, strict=True)]
        )
    return out.getvalue()
