"""The history workbook: past years as provinces keep them, one sheet per unit.

Each sheet is one unit; its name starts with the unit's code, then (optionally) its name:
"23377 Thị trấn Plei Kần". The header row has "Mã chỉ tiêu" in column A (rows above it, a
title, are skipped), then "Chỉ tiêu" and, if wanted, "Đơn vị tính" (read by nobody), then one
column per year ("2019" or "Năm 2019"). Below it, one indicator per row: its code in column A,
its name in column B, a figure per year. An empty cell says nothing (it never clears a value).

A code is looked up on each year's last day, as in every import: 23377 is Thị trấn Plei Kần
in 2019 and Xã Bờ Y from 2025. When the sheet's name also names the unit, that must be the
unit the code names that year, so a sheet of today's Xã Bờ Y (current boundaries) with figures
for 2019 is refused, naming the old units its figures belong to.

The Vietnamese headers and sheet names are the file's contract with the people filling it, so
they are not translated (like units/import_template.py); the messages are.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.db.models import Q
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from phongtrao.catalog.models import Indicator, ReportForm, ReportFormUnitKind
from phongtrao.catalog.selectors import form_indicators
from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.spreadsheets import neutralise, neutralise_row
from phongtrao.core.text import clean_text, format_number, search_key
from phongtrao.core.uploads import check_rows, check_width, check_zip, upload_limits
from phongtrao.reporting.models import DataValue
from phongtrao.reporting.transfer.formats import Format, Reader, Record, unusable
from phongtrao.reporting.transfer.units import NAME, SHORT, UnitCache
from phongtrao.reporting.transfer.xlsx import _cell_value
from phongtrao.units.models import ADMINISTRATIVE_KINDS, Unit, UnitSuccession
from phongtrao.units.scope import scope_q

GUIDE_SHEET = "Hướng dẫn"
CODE_HEADER, NAME_HEADER, MEASURE_HEADER = "Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị tính"
# Where the header row is looked for: rows above it (a title) are skipped.
HEADER_ROWS = 10
# Column headers that carry nothing to import (besides the indicator's name in column B).
IGNORED_HEADERS = {"", "chi tieu", "ten chi tieu", "don vi tinh", "dvt", "ghi chu", "stt", "tt"}
CODE_HEADERS = {"ma chi tieu", "ma"}
_YEAR = re.compile(r"(?:nam )?((?:19|20)\d\d)")
# A record's position: the sheet's index times this, plus the row (rows are bounded far below).
SHEET_ROWS = 10**9
# Excel's limit on a sheet's name, and the characters it refuses in one.
SHEET_NAME_MAX = 31
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")


@dataclass
class Sheet:
    index: int
    title: str
    code: str
    name_key: str  # the unit's name as the sheet's name gives it, without diacritics
    header_row: int
    years: list[tuple[int, str, str]] = field(default_factory=list)  # column, year, letter
    named: set[str] = field(default_factory=set)  # years whose unit problem has been said
    matches: dict[int, bool] = field(default_factory=dict)  # unit id -> the name gives it


def _year(value: Any) -> str | None:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return str(value) if 1900 <= value <= 2099 else None
    match = _YEAR.fullmatch(search_key(str(value)))
    return match.group(1) if match else None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_text(str(value))


def _names_match(name_key: str, name: str, short: str) -> bool:
    """The sheet's name gives this unit: its full name (or the start of it, cut at Excel's 31
    characters), or holds its short name ("TT Plei Kần", "Xã Bờ Y")."""
    full, short = search_key(name), search_key(short)
    return full.startswith(name_key) or (bool(short) and short in name_key)


class HistoryReader(Reader):
    format = Format.HISTORY_XLSX
    machine = False  # people type "2.150" and "2,5" into spreadsheets
    names_units = True

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.may_hold_nul = check_zip(path, kind="xlsx").may_hold_nul
        self.sheets = self._read_sheets()
        self.by_index = {sheet.index: sheet for sheet in self.sheets}

    def _open(self) -> Any:
        try:
            return load_workbook(self.path, read_only=True, data_only=True)
        except (InvalidFileException, OSError, KeyError, ValueError) as exc:
            raise unusable(
                _("The file is not an XLSX workbook: %(error)s") % {"error": exc}
            ) from None

    def _read_sheets(self) -> list[Sheet]:
        """Every sheet's unit code, header row and year columns, from its first rows; the
        problems of the workbook's shape, all at once."""
        problems: list[str] = []
        sheets: list[Sheet] = []
        book = self._open()
        try:
            for index, sheet in enumerate(book.worksheets):
                if sheet.title == GUIDE_SHEET or getattr(sheet, "sheet_state", "") != "visible":
                    continue
                found = self._sheet(index, sheet, problems)
                if found is not None:
                    sheets.append(found)
        finally:
            book.close()
        if not sheets and not problems:
            problems.append(_("The workbook has no sheet of figures."))
        if problems:
            raise unusable(" ".join(problems))
        return sheets

    def _sheet(self, index: int, sheet: Any, problems: list[str]) -> Sheet | None:
        title = sheet.title
        where = _("Sheet “%(sheet)s”") % {"sheet": title}
        head = []
        for row in sheet.iter_rows(max_row=HEADER_ROWS, values_only=True):
            check_width(len(row))
            head.append(row)
        if not any(_text(v) for row in head for v in row):
            return None  # an empty sheet ("Sheet1" of a new workbook) holds nothing
        code, _space, name = clean_text(title).partition(" ")
        if not code[:1].isdigit():
            problems.append(
                _("%(where)s: the sheet's name must begin with the unit's code, as “23377 "
                  "Thị trấn Plei Kần”.") % {"where": where}
            )  # fmt: skip
            return None
        for number, row in enumerate(head, start=1):
            if row and search_key(_text(row[0])) in CODE_HEADERS:
                found = Sheet(index, title, code, search_key(name), number)
                self._years(found, row, where, problems)
                return found
        problems.append(
            _("%(where)s: no header row; column A of the row above the indicators must read "
              "“%(header)s”.") % {"where": where, "header": CODE_HEADER}
        )  # fmt: skip
        return None

    def _years(self, sheet: Sheet, row: tuple, where: str, problems: list[str]) -> None:
        seen: dict[str, str] = {}
        for column, value in enumerate(row[2:], start=2):
            letter = get_column_letter(column + 1)
            year = _year(value) if value is not None else None
            if year is None:
                if search_key(_text(value)) not in IGNORED_HEADERS:
                    problems.append(
                        _("%(where)s, column %(column)s: the header “%(header)s” is not a year "
                          "(write 2019).") % {"where": where, "column": letter,
                                              "header": _text(value)}
                    )  # fmt: skip
                continue
            if year in seen:
                problems.append(
                    _("%(where)s: the year %(year)s is in columns %(first)s and %(second)s.")
                    % {"where": where, "year": year, "first": seen[year], "second": letter}
                )
                continue
            seen[year] = letter
            sheet.years.append((column, year, letter))

    def where(self, pos: int) -> str:
        sheet = self.by_index[pos // SHEET_ROWS]
        return _("Sheet “%(sheet)s”, row %(row)s") % {"sheet": sheet.title, "row": pos % SHEET_ROWS}

    def column(self, field: str, record: Record) -> str:
        if field == "indicator":
            return _("column %(column)s") % {"column": "A"}
        if field == "unit":
            return _("the sheet's name")
        return _("column %(column)s") % {"column": f"{record.col} ({record.period})"}

    def unit_problem(
        self, record: Record, unit: tuple, period: Any, units: UnitCache
    ) -> str | bool:
        """A sheet that names its unit: the code's unit in that year must be the one named;
        said once per sheet and year."""
        sheet = self.by_index[record.pos // SHEET_ROWS]
        if not sheet.name_key:
            return False
        matches = sheet.matches.get(unit[0])
        if matches is None:
            matches = sheet.matches[unit[0]] = _names_match(sheet.name_key, unit[2], unit[4])
        if matches:
            return False
        if period.id in sheet.named:
            return True
        sheet.named.add(period.id)
        for later in units.later(sheet.code, period.end):
            if _names_match(sheet.name_key, later[NAME], later[SHORT]):
                # A sheet of today's unit (current boundaries) with a year before it began.
                return units.too_early(later, period.id)
        return _(
            "The sheet's name says “%(name)s”, but the unit with code %(code)s in %(period)s "
            "is %(unit)s; correct the sheet's name, or leave only the code."
        ) % {
            "name": sheet.title.partition(" ")[2], "code": sheet.code, "period": period.id,
            "unit": unit[2],
        }  # fmt: skip

    def records(self) -> Iterator[Record]:
        limits = upload_limits()
        book = self._open()
        try:
            for sheet in self.sheets:
                rows = book.worksheets[sheet.index].iter_rows(
                    min_row=sheet.header_row + 1, values_only=True
                )
                base = sheet.index * SHEET_ROWS
                for number, row in enumerate(rows, start=sheet.header_row + 1):
                    if number > limits.max_rows:
                        check_rows(number, limits)
                    if len(row) > limits.max_columns:
                        check_width(len(row))
                    code = _text(row[0]) if row else ""
                    for column, year, letter in sheet.years:
                        value = row[column] if column < len(row) else None
                        if value is None or (isinstance(value, str) and not value.strip()):
                            continue  # an empty cell says nothing; it never clears a value
                        yield Record(base + number, code, sheet.code, year, value, None, letter)
        finally:
            book.close()


def sheet_title(code: str, name: str, taken: set[str]) -> str:
    """ "23377 Thị trấn Plei Kần", cut to Excel's 31 characters, unique in the workbook."""
    title = _NOT_IN_SHEET_NAMES.sub(" ", f"{code} {name}")[:SHEET_NAME_MAX].strip()
    base, n = title, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[: SHEET_NAME_MAX - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


GUIDE = [
    ["Sổ số liệu các năm (nạp số liệu lịch sử)"],
    [],
    ["Mỗi trang tính là một đơn vị. Tên trang tính bắt đầu bằng mã đơn vị, có thể kèm tên: "
     "“23377 Thị trấn Plei Kần”."],
    ["Mã đơn vị được tra theo ngày cuối của từng năm: mã 23377 năm 2019 là Thị trấn Plei Kần, "
     "từ năm 2025 là Xã Bờ Y."],
    ["Số liệu trước 01/7/2025 nhập theo đơn vị cũ (tỉnh, huyện, xã lúc đó); trang tính của đơn "
     "vị mới có số liệu các năm trước 2025 bị từ chối, kèm tên các đơn vị cũ cần dùng."],
    ["Dòng tiêu đề: cột A “Mã chỉ tiêu”, cột B “Chỉ tiêu”, cột C “Đơn vị tính” (không đọc), "
     "rồi mỗi năm một cột: 2019, 2020 …"],
    ["Mỗi dòng một chỉ tiêu: mã ở cột A (ví dụ SCHEMES_NEW), số liệu ở cột năm. Ô để trống "
     "không thay đổi gì."],
    ["Số viết 2.150 hoặc 2150; phần lẻ dùng dấu phẩy: 2,5."],
    ["Cả tệp được kiểm tra trước; chỉ một ô sai là không ghi gì, và thông báo nêu trang "
     "tính, dòng, cột."],
]  # fmt: skip


def write_history(
    out: IO[bytes],
    *,
    units: Iterable[tuple[int, str, str]],
    indicators: list[Indicator],
    years: list[int],
    values: dict[tuple[int, int, str], tuple[str, Decimal | None]],
) -> int:
    """A sheet per unit ((id, code, name) in order), the indicators in rows, a column a year,
    with the stored values ((unit id, indicator id, year) -> (value, number)) filled in.
    Returns how many values it wrote."""
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = {GUIDE_SHEET.lower()}
    written = 0
    for unit_id, code, name in units:
        sheet = book.create_sheet(sheet_title(code, name, taken))
        sheet.append([CODE_HEADER, NAME_HEADER, MEASURE_HEADER, *years])
        for indicator in indicators:
            row: list[Any] = neutralise_row([indicator.code, indicator.name])
            row.append(neutralise(indicator.unit_of_measure))
            for year in years:
                stored = values.get((unit_id, indicator.pk, str(year)))
                row.append(_cell_value(indicator, *stored) if stored else None)
                written += stored is not None
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for letter, width in (("A", 30), ("B", 50), ("C", 14)):
            sheet.column_dimensions[letter].width = width
        for offset in range(len(years)):
            sheet.column_dimensions[get_column_letter(4 + offset)].width = 12
        sheet.freeze_panes = "D2"
    guide = book.create_sheet(GUIDE_SHEET)
    for line in GUIDE:
        guide.append(line)
    guide.column_dimensions["A"].width = 120
    book.save(out)
    return written


# A template holds at most this many sheets: a province's communes of 2019 are a few hundred.
MAX_TEMPLATE_SHEETS = 1000


def history_template_units(*, form: ReportForm, unit: Unit, year: int, user: Any) -> list[tuple]:
    """(id, code, name) of the administrative units that report the form under `unit` (or
    under the units it took over in 2025) as they were at the end of `year`, in tree order:
    for 2019, today's Quảng Ngãi gives the communes of Kon Tum and of the old Quảng Ngãi."""
    roots = [unit.path] + list(
        UnitSuccession.objects.filter(successor=unit).values_list("predecessor__path", flat=True)
    )
    under = Q(pk__in=[])
    for path in roots:
        under |= Q(path__startswith=path)
    if user is not None:  # None: the system, which reads every unit
        under &= scope_q(user)
    kinds = ReportFormUnitKind.objects.filter(form=form, kind__in=ADMINISTRATIVE_KINDS)
    units = (
        Unit.objects.filter(under, kind__in=kinds.values("kind"))
        .valid_on(date(year, 12, 31))
        .order_by("path")
        .values_list("id", "code", "name")
    )
    found = list(units[: MAX_TEMPLATE_SHEETS + 1])
    if len(found) > MAX_TEMPLATE_SHEETS:
        raise AppError(
            ErrorCode.INVALID,
            _("More than %(n)s units would each need a sheet: choose a unit lower down.")
            % {"n": format_number(MAX_TEMPLATE_SHEETS)},
        )
    return found


def history_template_write(
    out: IO[bytes], *, form: ReportForm, unit: Unit, first: int, last: int, user: Any
) -> int:
    """The history workbook to fill: a sheet per unit reporting the form, the form's indicators
    in rows, a column per year from `first` to `last`, with the values already stored."""
    units = history_template_units(form=form, unit=unit, year=last, user=user)
    indicators = form_indicators(form=form)
    years = list(range(first, last + 1))
    stored = DataValue.objects.filter(
        unit_id__in=[u[0] for u in units],
        indicator__in=indicators,
        period__in=[str(y) for y in years],
    ).values_list("unit_id", "indicator_id", "period", "value", "number")
    values = {(u, i, p): (value, number) for u, i, p, value, number in stored.order_by()}
    return write_history(out, units=units, indicators=indicators, years=years, values=values)
