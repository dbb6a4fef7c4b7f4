"""What every spreadsheet import and export shares: reading a small table (the unit and
registry imports), problems found in a file, and formula neutralising for every spreadsheet
and CSV the application writes.

A text cell starting with one of FORMULA_START is run by a spreadsheet as a formula (OWASP,
CSV injection): a name such as "=HYPERLINK(…)" typed by one commune would then run on every
computer that opens an export. Every text cell, headers included, goes through `neutralise`;
the import takes the apostrophe off again with `unneutralise`, so an export imports back
unchanged.
"""

import csv
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from phongtrao.core.text import clean_text
from phongtrao.core.uploads import (
    NUL,
    UploadRefused,
    check_text,
    check_width,
    check_zip,
    nul_refused,
    upload_limits,
)

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Text a spreadsheet would run, prefixed with an apostrophe; anything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def neutralise_row(values: Iterable[Any]) -> list[Any]:
    return [neutralise(value) for value in values]


def unneutralise(text: str) -> str:
    """Undo `neutralise`, so a file we exported imports back unchanged."""
    return text[1:] if text[:1] == "'" and text[1:2] in FORMULA_START else text


@dataclass(slots=True)
class Problem:
    """One thing wrong in an imported file, said where the person filling it can find it.

    `row` is the file's row (0: the file as a whole, 1: its header), or the record's position
    in a file without rows (JSON); problems are listed in its order. `where` is the place as
    the file's reader names it ("Dòng 3", "dataValues[3]"), for the imports that print one line
    per problem: "Dòng 3, cột comment: …".
    """

    row: int
    column: str
    message: str
    where: str = ""

    def __str__(self) -> str:
        return f"{self.where}, {self.column}: {self.message}"


@dataclass
class ImportCheck:
    """A file checked whole before anything is written: its rows and every problem at once."""

    rows: list[Any] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


# Rows read of a small table: far more than a commune's units or a year's registry entries.
MAX_ROWS = 5000


class FileProblem(Exception):
    """The file as a whole cannot be read; nothing in it is checked further."""


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return clean_text(str(value))


def _read_xlsx(content: bytes) -> list[list[str]]:
    check_zip(content, kind="xlsx")
    max_columns = upload_limits().max_columns
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileProblem(_("The file cannot be read as an Excel (.xlsx) workbook.")) from exc
    try:
        sheet = book.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            if len(values) > max_columns:
                check_width(len(values))
            rows.append([_cell_text(v) for v in values])
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        book.close()


def _read_csv(content: bytes) -> list[list[str]]:
    check_text(content)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileProblem(
            _("The CSV file is not in UTF-8; save it again as “CSV UTF-8” and upload it.")
        ) from exc
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = []
    try:
        for values in csv.reader(io.StringIO(text), dialect):
            rows.append([clean_text(v) for v in values])
            if len(rows) > MAX_ROWS + 1:
                break
    except csv.Error as exc:
        raise FileProblem(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from exc
    return rows


def _refuse_nul(rows: list[list[str]]) -> None:
    """PostgreSQL cannot store NUL in text, nor compare a code holding it: refused here,
    where the row and column can still be named."""
    for number, cells in enumerate(rows, start=1):
        for index, cell in enumerate(cells):
            if NUL in cell:
                raise FileProblem(
                    _("Row %(row)s, column %(column)s: %(reason)s")
                    % {
                        "row": number,
                        "column": get_column_letter(index + 1),
                        "reason": nul_refused(),
                    }
                )


def read_table(*, name: str, content: bytes) -> list[list[str]]:
    """The file's cells as NFC text, row by row, header first."""
    lower = name.lower()
    if lower.endswith(".xls"):
        raise FileProblem(_("Old Excel files (.xls) are not accepted; save the file as .xlsx."))
    try:
        if content.startswith(b"PK") or lower.endswith(".xlsx"):
            rows = _read_xlsx(content)
        else:
            rows = _read_csv(content)
    except UploadRefused as exc:
        raise FileProblem(exc.message) from None
    _refuse_nul(rows)
    return rows
