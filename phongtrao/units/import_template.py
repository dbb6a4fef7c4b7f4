"""Spreadsheets and CSV files as rows of text, and the template people fill with units.

Used by every import of a small table (grassroots units, registries); the file's Vietnamese
headers are its contract with the people filling it, so they are not translated.
"""

import csv
import io
import zipfile
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

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
from phongtrao.units.models import UnitKind

MAX_ROWS = 5000

# field -> header, in the template's order.
COLUMNS = {
    "code": "Mã",
    "name": "Tên",
    "kind": "Loại",
    "type_name": "Loại hình",
    "parent_code": "Mã đơn vị cấp trên",
    "contact_name": "Người liên hệ",
    "contact_phone": "Điện thoại",
}
# The words people write in "Loại"; matched without diacritics or case.
KIND_LABELS = {
    UnitKind.RESIDENTIAL_AREA: "khu dân cư",
    UnitKind.AGENCY: "cơ quan",
    UnitKind.ENTERPRISE: "doanh nghiệp",
    UnitKind.SCHOOL: "cơ sở giáo dục",
    UnitKind.POLICE_UNIT: "đơn vị Công an",
}


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


def build_template() -> bytes:
    """The XLSX people fill in: the headers, text-formatted columns and a list for "Loại"."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Đơn vị"
    sheet.append(list(COLUMNS.values()))
    widths = {"code": 14, "name": 32, "kind": 18, "type_name": 14, "parent_code": 20}
    for index, name in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = widths.get(name, 18)
        # Text format keeps the leading 0 of phone numbers and codes such as "00123".
        for row in range(2, 1001):
            sheet.cell(row=row, column=index).number_format = "@"
    kinds = DataValidation(type="list", formula1=f'"{",".join(KIND_LABELS.values())}"')
    kinds.add("C2:C1000")
    sheet.add_data_validation(kinds)
    sheet.freeze_panes = "A2"

    guide = book.create_sheet("Hướng dẫn")
    for line in [
        ["Cột", "Bắt buộc", "Nội dung"],
        ["Mã", "Không", "Để trống: hệ thống tự cấp mã <mã xã>-001, -002 …"],
        ["Tên", "Có", "Tên đầy đủ, ví dụ: Thôn Đăk Răng"],
        ["Loại", "Có", ", ".join(KIND_LABELS.values())],
        ["Loại hình", "Không", "Thôn, làng, bản, ấp, tổ dân phố, khu phố …"],
        ["Mã đơn vị cấp trên", "Không", "Mã xã (hoặc mã tỉnh với cơ quan, doanh nghiệp, "
         "cơ sở giáo dục, đơn vị Công an); để trống: đơn vị đang nhập"],
        ["Người liên hệ", "Không", "Họ và tên"],
        ["Điện thoại", "Không", "Ví dụ: 0905 123 456"],
        [],
        ["Ví dụ"],
        list(COLUMNS.values()),
        ["", "Thôn Đăk Răng", "khu dân cư", "Thôn", "23377", "Nguyễn Văn An", "0905 123 456"],
        ["", "Trường THCS Bờ Y", "cơ sở giáo dục", "", "", "", ""],
    ]:  # fmt: skip
        guide.append(line)
    guide.column_dimensions["A"].width = 20
    guide.column_dimensions["C"].width = 70
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
