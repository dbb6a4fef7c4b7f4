"""The template people fill with grassroots units, and the words they write in "Loại".

The file's Vietnamese headers are its contract with the people filling it, so they are not
translated; the file itself is read by `core.spreadsheets.read_table`.
"""

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from phongtrao.units.models import UnitKind

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
