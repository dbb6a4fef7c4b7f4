"""The annex tables as a spreadsheet: numbers stay numbers, shown the Vietnamese way."""

import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from phongtrao.core.spreadsheets import neutralise, neutralise_row

# [$-42A] is Vietnamese: Excel and LibreOffice set in Vietnamese show 2.150 and 12,5.
WHOLE = "[$-42A]#,##0"
DECIMAL = "[$-42A]#,##0.0##"
SIGNED = "[$-42A]+#,##0.###;-#,##0.###;0"
HEADINGS = ["STT", "Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị tính", "Năm {year}", "Năm {previous_year}",
            "Tăng (+), giảm (-)"]  # fmt: skip
WIDTHS = [6, 28, 60, 14, 14, 14, 16]
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _number_cell(cell, value: Decimal | None, signed: bool = False) -> None:
    if value is None:
        return
    cell.value = int(value) if value == value.to_integral_value() else float(value)
    cell.number_format = SIGNED if signed else (WHOLE if isinstance(cell.value, int) else DECIMAL)


def xlsx_render(*, context: dict[str, Any]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Phụ lục"
    sheet.append([neutralise(context["annex_title"])])
    sheet.append([neutralise(context["annex_subtitle"])])
    sheet.append([neutralise(f"{context['issuer']} - {context['unit_name']}")])
    # Which data the figures are, and how many of the units that must report they cover.
    sheet.append([neutralise(context["data_note"])])
    sheet.append(neutralise_row(h.format(**context) for h in HEADINGS))
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font, cell.border = Font(bold=True), BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet["A1"].font = sheet["A2"].font = Font(bold=True)
    for section in context["annex"]:
        sheet.append(["", "", neutralise(section["name"])])
        sheet.cell(sheet.max_row, 3).font = Font(bold=True)
        for row in section["rows"]:
            sheet.append(neutralise_row([row["number"], row["code"], row["name"], row["unit"]]))
            line = sheet.max_row
            _number_cell(sheet.cell(line, 5), row["value_number"])
            _number_cell(sheet.cell(line, 6), row["previous_number"])
            if row["difference_number"] is None:
                # "—" when only one year has a figure, as the Word annex says it.
                sheet.cell(line, 7).value = row["difference"] or None
                sheet.cell(line, 7).alignment = Alignment(horizontal="right")
            else:
                _number_cell(sheet.cell(line, 7), row["difference_number"], signed=True)
    for line in sheet.iter_rows(min_row=header_row + 1, max_row=sheet.max_row, max_col=7):
        for cell in line:
            cell.border = BOX
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[chr(64 + index)].width = width
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
