"""The XLSX template: units in rows, a form's indicators in columns, codes in a hidden row.

Row 1 holds the Vietnamese headers people read; row 2 (hidden) holds the machine codes the
import reads, so renaming or translating a header never breaks a file.
"""

from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from phongtrao.catalog.models import Indicator, ValueType
from phongtrao.core.spreadsheets import neutralise, neutralise_row
from phongtrao.core.text import search_key
from phongtrao.core.uploads import check_rows, check_width, check_zip, upload_limits
from phongtrao.reporting.transfer.formats import Format, Reader, Record, unusable

DATA_SHEET = "Số liệu"
META_SHEET = "_phongtrao"
UNIT, UNIT_NAME, PERIOD = "unit", "unit_name", "period"
FIRST_ROW = 3
MAX_NUMBER = "999999999999999"


class XlsxReader(Reader):
    format = Format.XLSX
    machine = False  # people type "2.150" and "2,5" into spreadsheets

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.may_hold_nul = check_zip(path, kind="xlsx").may_hold_nul
        self.codes = self._read_codes()

    def _open(self):
        try:
            return load_workbook(self.path, read_only=True, data_only=True)
        except (InvalidFileException, OSError, KeyError, ValueError) as exc:
            raise unusable(
                _("The file is not an XLSX workbook: %(error)s") % {"error": exc}
            ) from None

    def _sheet(self, book):
        return book[DATA_SHEET] if DATA_SHEET in book.sheetnames else book.worksheets[0]

    def _read_codes(self) -> list[str]:
        book = self._open()
        try:
            if META_SHEET in book.sheetnames:
                meta = book[META_SHEET].iter_rows(max_row=10, max_col=2, values_only=True)
                for key, value in meta:
                    if key == "form" and value:
                        self.form_code = str(value).strip()
            rows = self._sheet(book).iter_rows(min_row=2, max_row=2, values_only=True)
            codes = [str(c).strip() if c is not None else "" for c in next(rows, ())]
            check_width(len(codes))
            missing = [c for c in (UNIT, PERIOD) if c not in codes]
            by_year = missing and _looks_by_year(self._sheet(book))
        finally:
            book.close()
        if by_year:
            raise unusable(
                _("This is a workbook by year (a sheet per unit): import it in the format "
                  "“XLSX by year” (--format history-xlsx).")
            )  # fmt: skip
        if missing:
            raise unusable(
                _("Row 2 of the sheet must hold the codes of the columns; missing: %(codes)s.")
                % {"codes": ", ".join(missing)}
            )
        return codes

    def column(self, field: str, record: Record) -> str:
        if field in ("indicator", "value"):
            label = f"{record.col} ({record.indicator})"
        else:
            label = get_column_letter(self.codes.index(UNIT if field == "unit" else PERIOD) + 1)
        return _("column %(column)s") % {"column": label}

    def records(self) -> Iterator[Record]:
        unit_at, period_at = self.codes.index(UNIT), self.codes.index(PERIOD)
        value_columns = [
            (i, code.upper(), get_column_letter(i + 1))
            for i, code in enumerate(self.codes)
            if code and code not in (UNIT, UNIT_NAME, PERIOD)
        ]
        limits = upload_limits()
        book = self._open()
        try:
            rows = self._sheet(book).iter_rows(min_row=FIRST_ROW, values_only=True)
            for number, row in enumerate(rows, start=FIRST_ROW):
                # The scan counted the rows written; openpyxl also makes up the rows skipped.
                if number > limits.max_rows:
                    check_rows(number, limits)
                if len(row) > limits.max_columns:
                    check_width(len(row))
                unit, period = _cell(row, unit_at), _cell(row, period_at)
                for i, code, letter in value_columns:
                    value = row[i] if i < len(row) else None
                    if value is None or (isinstance(value, str) and not value.strip()):
                        continue  # an empty cell says nothing; it never clears a value
                    yield Record(number, code, unit, period, value, None, letter)
        finally:
            book.close()


def _looks_by_year(sheet: Any) -> bool:
    """Column A of one of the first rows reads "Mã chỉ tiêu": the history workbook's header."""
    head = sheet.iter_rows(max_row=10, max_col=1, values_only=True)
    return any(row and search_key(str(row[0] or "")) == "ma chi tieu" for row in head)


def _cell(row: tuple, index: int) -> str:
    value = row[index] if index < len(row) else None
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _validation(indicator: Indicator) -> DataValidation | None:
    error = _("Enter a number of zero or more.")
    if indicator.value_type == ValueType.YES_NO:
        return DataValidation(type="list", formula1=f'"{_("Yes")},{_("No")}"', allow_blank=True)
    if indicator.value_type not in (ValueType.WHOLE, ValueType.DECIMAL):
        return None
    kind = "whole" if indicator.value_type == ValueType.WHOLE else "decimal"
    if indicator.allow_negative:
        rule = DataValidation(
            type=kind, operator="between", formula1=f"-{MAX_NUMBER}", formula2=MAX_NUMBER
        )
        error = _("Enter a number.")
    else:
        rule = DataValidation(type=kind, operator="greaterThanOrEqual", formula1="0")
    if kind == "whole":
        error = (
            _("Enter a whole number of zero or more.") if not indicator.allow_negative else error
        )
    rule.error, rule.errorTitle, rule.showErrorMessage = error, _("Invalid value"), True
    rule.allow_blank = True
    return rule


def _cell_value(indicator: Indicator, value: str, number: Decimal | None) -> Any:
    if indicator.value_type == ValueType.YES_NO:
        return _("Yes") if value == "true" else _("No")
    if indicator.value_type == ValueType.TEXT or number is None:
        return neutralise(value)
    return int(number) if number == number.to_integral_value() else number.normalize()


def write_template(
    out: IO[bytes],
    *,
    form_code: str,
    period: str,
    indicators: list[Indicator],
    units: Iterable[tuple[int, str, str]],
    values: dict[tuple[int, int], tuple[str, Decimal | None]],
) -> None:
    """`units`: (id, code, name) in order; `values`: (unit id, indicator id) -> stored value."""
    book = Workbook()
    sheet = book.active
    sheet.title = DATA_SHEET
    headers = [_("Unit code"), _("Unit"), _("Period")]
    headers += [
        f"{i.name} ({i.unit_of_measure})" if i.unit_of_measure else i.name for i in indicators
    ]
    sheet.append(neutralise_row(headers))
    sheet.append([UNIT, UNIT_NAME, PERIOD, *[i.code for i in indicators]])
    count = 0
    for unit_id, code, name in units:
        row = neutralise_row([code, name, period])
        for indicator in indicators:
            stored = values.get((unit_id, indicator.pk))
            row.append(_cell_value(indicator, *stored) if stored else None)
        sheet.append(row)
        count += 1
    last = FIRST_ROW + max(count, 1) - 1
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[1].height = 60
    sheet.row_dimensions[2].hidden = True
    for row in sheet.iter_rows(min_row=FIRST_ROW, max_row=last, max_col=3):
        for cell in row:
            cell.number_format = "@"  # codes stay text: "02" must not become 2
    sheet.column_dimensions["A"].width = 12
    sheet.column_dimensions["B"].width = 40
    sheet.column_dimensions["C"].width = 10
    for offset, indicator in enumerate(indicators, start=4):
        letter = get_column_letter(offset)
        sheet.column_dimensions[letter].width = 18
        rule = _validation(indicator)
        if rule is not None:
            rule.add(f"{letter}{FIRST_ROW}:{letter}{last}")
            sheet.add_data_validation(rule)
    sheet.freeze_panes = f"D{FIRST_ROW}"
    meta = book.create_sheet(META_SHEET)
    meta.append(neutralise_row(["form", form_code]))
    meta.append(neutralise_row(["period", period]))
    meta.sheet_state = "hidden"
    book.save(out)
