"""The pivot table as people read it: Vietnamese figures on the page, and the same table as an
XLSX workbook (numbers as numbers) or a CSV file (UTF-8 with a byte order mark, for Excel).

Both files open with what the figures are: the fixed dimension, the data state, the boundaries
and the coverage. Every text cell, headers included, goes through `neutralise`.
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from phongtrao.analytics.pivot import Cell, Dimension, Measure, PivotTable, Role
from phongtrao.analytics.states import STATE_LABELS
from phongtrao.core.spreadsheets import neutralise, neutralise_row
from phongtrao.core.text import format_number
from phongtrao.reporting.selectors import Boundaries
from phongtrao.units.forms import unit_dated

DIMENSION_LABELS = {
    Dimension.INDICATOR: gettext_lazy("Indicators"),
    Dimension.UNIT: gettext_lazy("Units"),
    Dimension.PERIOD: gettext_lazy("Periods"),
}
BOUNDARY_LABELS = {
    Boundaries.HISTORICAL: gettext_lazy("as the units were at the period's end"),
    Boundaries.CURRENT: gettext_lazy("today's units, carrying the figures of the old ones"),
}
MEASURE_LABELS = {
    Measure.VALUE: gettext_lazy("Figure"),
    Measure.PREVIOUS: gettext_lazy("Same period last year"),
    Measure.CHANGE: gettext_lazy("Change"),
    Measure.PERCENT: gettext_lazy("Change (%)"),
    Measure.RANK: gettext_lazy("Rank"),
}
NO_FIGURE = "—"


def shown(cell: Cell, measure: Measure) -> str:
    """A figure as officials write it: 2.150, +12, −3,5%; "—" where there is none."""
    value = cell.measure(measure)
    if value is None:
        return NO_FIGURE
    text = format_number(value)
    if measure in (Measure.CHANGE, Measure.PERCENT) and value > 0:
        text = f"+{text}"
    return f"{text}%" if measure == Measure.PERCENT else text


def summary(table: PivotTable) -> list[str]:
    """What the figures are: the page says it above the table."""
    query = table.query
    where = unit_dated(query.unit) if query.unit is not None else _("the whole country")
    return [
        _("Data table: %(unit)s") % {"unit": where},
        *table.fixed,
        _("Data: %(state)s") % {"state": STATE_LABELS[query.state]},
        _("Boundaries: %(boundaries)s") % {"boundaries": BOUNDARY_LABELS[query.boundaries]},
    ]


def heading(table: PivotTable) -> list[str]:
    """The lines above the table in both files: the summary, the coverage and the notes."""
    return [*summary(table), *table.coverage, *table.notes]


def column_headers(table: PivotTable) -> list[str]:
    """One header per column of figures: the member, and the measure when there are several."""
    headers = []
    for member in table.columns:
        for measure in table.measures:
            if len(table.measures) == 1:
                headers.append(member.label)
            else:
                headers.append(f"{member.label} – {MEASURE_LABELS[measure]}")
    return headers


@dataclass(frozen=True)
class FileRow:
    cells: list[Any]
    bold: bool = False
    header: bool = False


def file_rows(table: PivotTable) -> Iterator[FileRow]:
    """The rows both files hold: the heading, a blank line, the header, one row per line."""
    for line in heading(table):
        yield FileRow([line])
    yield FileRow([])
    header = [str(DIMENSION_LABELS[table.query.rows]), *column_headers(table)]
    yield FileRow(header, bold=True, header=True)
    for line in table.lines:
        figures = [cell.measure(m) for cell in line.cells for m in table.measures]
        yield FileRow([line.member.label, *figures], bold=line.member.role != Role.ITEM)


def write_xlsx(table: PivotTable) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = str(_("Data table"))[:31]
    bold = Font(bold=True)
    for row in file_rows(table):
        sheet.append([_cell(value) for value in row.cells])
        for cell in sheet[sheet.max_row]:
            if row.bold:
                cell.font = bold
            if isinstance(cell.value, int | float):
                # Thousands grouped as the reader's Excel writes them (2.150 in Vietnamese).
                cell.number_format = "#,##0" if isinstance(cell.value, int) else "#,##0.0##"
        if row.header:
            sheet.freeze_panes = f"B{sheet.max_row + 1}"
    sheet.column_dimensions["A"].width = 45
    for index in range(2, 2 + len(table.columns) * len(table.measures)):
        sheet.column_dimensions[get_column_letter(index)].width = 16
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value: Any) -> Any:
    """Figures as numbers (whole ones as int, so Excel shows no ".0"), text neutralised."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return neutralise(value)


def _plain(value: Any) -> Any:
    """A figure as CSV writes it: 1240 and 12.5, never 1.24E+3."""
    if isinstance(value, Decimal):
        return format(value, "f")
    return "" if value is None else value


def write_csv(table: PivotTable) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in file_rows(table):
        # Text is neutralised before figures become text: "-3" is a number, not a formula.
        writer.writerow([_plain(value) for value in neutralise_row(row.cells)])
    # The byte order mark tells Excel the file is UTF-8, so "Bờ Y" is not garbled.
    return ("\ufeff" + out.getvalue()).encode("utf-8")
