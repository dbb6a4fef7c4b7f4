"""The history workbook: a sheet per unit, indicators in rows, a column per year.

In 2019 Thị trấn Plei Kần (23377) and Xã Đăk Xú (23389) were communes of Tỉnh Kon Tum; both
are in Xã Bờ Y (23377 again) since 1/7/2025. The festival form closed 2019 on 31/01/2020.
"""

from io import BytesIO
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from phongtrao.catalog.models import Indicator
from phongtrao.core.models import AuditEvent
from phongtrao.core.roles import Role
from phongtrao.reporting.models import DataValue, Submission, ValueImport, ValueState
from phongtrao.reporting.tests.conftest import run_values as run
from phongtrao.reporting.transfer.commit import values_import
from phongtrao.reporting.transfer.history import GUIDE_SHEET, history_template_write

pytestmark = pytest.mark.django_db

HEADER = ["Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị tính", 2019, 2020]


def workbook(tmp_path: Path, sheets: dict[str, list[list]], name: str = "lich-su.xlsx") -> Path:
    """A workbook of these sheets (title -> rows), the first one replacing the default."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def good(tmp_path: Path) -> Path:
    return workbook(
        tmp_path,
        {
            "23377 Thị trấn Plei Kần": [
                ["Số liệu các năm của Thị trấn Plei Kần"],  # a title above the header
                HEADER,
                ["SCHEMES_NEW", "Số mô hình xây dựng mới", "mô hình", 61, "70"],
                ["FESTIVAL_EVENTS", "Số điểm tổ chức Ngày hội", "điểm", 3, None],
            ],
            "23389": [HEADER, ["SCHEMES_NEW", "Số mô hình xây dựng mới", "mô hình", "1.012", None]],
        },
    )


def load(path: Path, *more: str) -> tuple[int, list[str], str]:
    return run("import", str(path), "--format", "history-xlsx", "--allow-closed", *more)


def counts() -> tuple[int, ...]:
    return (
        DataValue.objects.count(),
        Submission.objects.count(),
        AuditEvent.objects.count(),
        ValueImport.objects.count(),
    )


def test_a_good_workbook_writes_its_values_approved(tmp_path, festival, plei_kan):
    # when
    code, out, _err = load(good(tmp_path))
    # then
    assert (code, out) == (
        0,
        ["imported 4", "updated 0", "ignored 0", "closed-periods 4", "approved-reports 3"],
    )
    stored = DataValue.objects.order_by("unit__code", "period", "indicator__code")
    assert list(
        stored.values_list("unit__code", "period", "indicator__code", "value", "state")
    ) == [
        ("23377", "2019", "FESTIVAL_EVENTS", "3", ValueState.APPROVED),
        ("23377", "2019", "SCHEMES_NEW", "61", ValueState.APPROVED),
        ("23377", "2020", "SCHEMES_NEW", "70", ValueState.APPROVED),
        ("23389", "2019", "SCHEMES_NEW", "1012", ValueState.APPROVED),
    ]
    assert DataValue.objects.filter(period="2019", unit__code="23377").first().unit == plei_kan


def test_values_get_prints_what_a_history_workbook_loaded(tmp_path, festival):
    # given the workbook loaded
    load(good(tmp_path))
    # when the default state (submitted and approved) is read, for a commune and Kon Tum
    commune = run("get", "--indicator", "SCHEMES_NEW", "--unit", "23377", "--period", "2019")
    province = run("get", "--indicator", "SCHEMES_NEW", "--unit", "62", "--period", "2019")
    # then
    assert (commune, province) == ((0, ["61"], ""), (0, ["1073"], ""))


def test_a_workbook_with_one_bad_cell_writes_nothing_and_names_sheet_row_and_column(
    tmp_path, festival
):
    # given the good workbook with "7O" (a letter O) typed for Plei Kần's 2020
    path = workbook(
        tmp_path,
        {
            "23377 Thị trấn Plei Kần": [
                HEADER,
                ["SCHEMES_NEW", "Số mô hình xây dựng mới", "mô hình", 61, "7O"],
            ],
            "23389": [HEADER, ["SCHEMES_NEW", "Số mô hình xây dựng mới", "mô hình", 12, None]],
        },
    )
    before = counts()
    # when
    code, out, _err = load(path)
    # then
    assert (code, out) == (
        1,
        [
            "imported 2", "updated 0", "ignored 0", "closed-periods 2", "approved-reports 0",
            "Trang tính “23377 Thị trấn Plei Kần”, dòng 2, cột E (2020): “7O” không phải là số.",
        ],
    )  # fmt: skip
    assert counts() == before


def test_an_unknown_indicator_is_named_by_its_sheet_row_and_column(tmp_path, festival):
    path = workbook(tmp_path, {"23389": [HEADER, ["SCHEMES_OLD", "Mô hình", "", 4, None]]})
    code, out, _err = load(path)
    assert (code, out[5:]) == (
        1,
        ['Trang tính “23389”, dòng 2, cột A: Không có chỉ tiêu nào có mã "SCHEMES_OLD".'],
    )


def test_a_sheet_of_todays_unit_with_years_before_it_began_is_refused(tmp_path, festival, bo_y):
    # given a sheet for today's Xã Bờ Y (current boundaries) with 2019 and 2020
    path = workbook(
        tmp_path, {"23377 Xã Bờ Y": [HEADER, ["SCHEMES_NEW", "Mô hình mới", "", 74, 80]]}
    )
    before = counts()
    # when
    code, out, _err = load(path)
    # then each year is refused once, naming the old units to load it under
    olds = "23377 Thị trấn Plei Kần, 23389 Xã Đăk Xú, 23395 Xã Pờ Y"
    assert (code, out[5:]) == (
        1,
        [
            f"Trang tính “23377 Xã Bờ Y”, dòng 2, tên trang tính: Xã Bờ Y chỉ có từ ngày "
            f"01/07/2025, sau kỳ {year}: số liệu kỳ {year} thuộc các đơn vị cũ đã nhập vào đơn vị "
            f"này; hãy nhập cho các đơn vị đó: {olds}."
            for year in (2019, 2020)
        ],
    )
    assert counts() == before


def test_a_code_of_today_only_names_the_old_units_too(tmp_path, festival):
    # given Đặc khu Lý Sơn (21548, since 2025) with a 2019 figure
    path = workbook(tmp_path, {"21548": [HEADER, ["SCHEMES_NEW", "Mô hình mới", "", 4, None]]})
    # when
    code, out, _err = load(path)
    # then
    assert (code, out[5:]) == (
        1,
        [
            "Trang tính “21548”, dòng 2, tên trang tính: Đặc khu Lý Sơn chỉ có từ ngày "
            "01/07/2025, sau kỳ 2019: số liệu kỳ 2019 thuộc các đơn vị cũ đã nhập vào đơn vị "
            "này; hãy nhập cho các đơn vị đó: 536 Huyện Lý Sơn."
        ],
    )


def test_a_sheet_named_for_another_unit_than_its_codes_is_refused(tmp_path, festival):
    path = workbook(
        tmp_path, {"23389 Xã Đăk Ang": [HEADER, ["SCHEMES_NEW", "Mô hình", "", 4, None]]}
    )
    code, out, _err = load(path)
    assert (code, out[5:]) == (
        1,
        [
            "Trang tính “23389 Xã Đăk Ang”, dòng 2, tên trang tính: Tên trang tính ghi “Xã Đăk "
            "Ang” nhưng đơn vị mang mã 23389 năm 2019 là Xã Đăk Xú; hãy sửa tên trang tính, "
            "hoặc chỉ để mã."
        ],
    )


def test_a_workbook_of_the_wrong_shape_is_unusable_and_says_where(tmp_path, festival):
    # given a sheet without a code in its name, and one with a header that is not a year
    path = workbook(
        tmp_path,
        {
            "Plei Kần": [HEADER],
            "23389": [["Mã chỉ tiêu", "Chỉ tiêu", "Ghi chú", 2019, "năm ngoái"]],
            "Sheet1": [],
        },
    )
    before = counts()
    # when
    code, out, err = load(path)
    # then
    assert (code, out) == (2, [])
    assert err == (
        "Trang tính “Plei Kần”: tên trang tính phải bắt đầu bằng mã đơn vị, như “23377 Thị trấn "
        "Plei Kần”. Trang tính “23389”, cột E: tiêu đề “năm ngoái” không phải là một năm (viết "
        "2019)."
    )
    assert counts() == before


def test_a_history_workbook_without_allow_closed_is_an_ordinary_import(tmp_path, festival):
    # given
    before = counts()
    # when
    code, out, _err = run("import", str(good(tmp_path)), "--format", "history-xlsx")
    # then the closed years refuse it
    assert (code, out[3]) == (
        1,
        "Trang tính “23377 Thị trấn Plei Kần”, dòng 3, cột D (2019): Năm 2019 đã khóa nhập liệu "
        "từ ngày 31/01/2020; đề nghị cán bộ phê duyệt mở lại.",
    )
    assert counts() == before


def test_the_template_has_a_sheet_per_unit_of_then_and_the_stored_values(
    tmp_path, festival, kon_tum, plei_kan
):
    # given a stored 2020 figure of Plei Kần
    DataValue.objects.create(
        indicator=Indicator.objects.get(code="SCHEMES_NEW"), unit=plei_kan, period="2020",
        value="70", number=70,
    )  # fmt: skip
    out = BytesIO()
    # when
    history_template_write(out, form=festival, unit=kon_tum, first=2019, last=2020, user=None)
    # then Kon Tum and its 102 communes of 2020 each have a sheet, and the guide is last
    book = load_workbook(BytesIO(out.getvalue()))
    assert len(book.sheetnames) == 104
    assert (book.sheetnames[0], book.sheetnames[-1]) == ("62 Tỉnh Kon Tum", GUIDE_SHEET)
    sheet = book["23377 Thị trấn Plei Kần"]
    assert [c.value for c in sheet[1]] == ["Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị tính", 2019, 2020]
    row = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "SCHEMES_NEW")
    assert row == ("SCHEMES_NEW", "Số mô hình xây dựng mới", "mô hình", None, 70)


def test_a_filled_template_loads_its_new_figures_only(tmp_path, festival, kon_tum, plei_kan):
    # given the template of 2019-2020 with one figure typed in
    out = BytesIO()
    history_template_write(out, form=festival, unit=kon_tum, first=2019, last=2020, user=None)
    book = load_workbook(BytesIO(out.getvalue()))
    sheet = book["23377 Thị trấn Plei Kần"]
    row = next(r for r in sheet.iter_rows() if r[0].value == "SCHEMES_NEW")
    row[3].value = 61
    path = tmp_path / "mau.xlsx"
    book.save(path)
    # when
    result = values_import(path=path, fmt="history-xlsx", allow_closed=True)
    # then
    assert (result.imported, result.problem_count, result.approved_reports) == (1, 0, 1)


def test_the_template_page_downloads_the_workbook(client, festival, kon_tum, clerk, quang_ngai):
    # given a Bờ Y clerk: Bờ Y took over Plei Kần, Đăk Xú and Pờ Y
    client.force_login(clerk)
    bo_y = clerk.units.get()
    # when
    response = client.get(
        reverse("reporting:history_template"),
        {"form": "FESTIVAL", "unit": bo_y.pk, "first": 2019, "last": 2024},
    )
    # then
    assert response["Content-Disposition"] == 'attachment; filename="23377_2019-2024_theo_nam.xlsx"'
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == [
        "23377 Thị trấn Plei Kần", "23389 Xã Đăk Xú", "23395 Xã Pờ Y", GUIDE_SHEET
    ]  # fmt: skip


def test_the_template_page_refuses_years_across_the_reform(client, festival, clerk):
    client.force_login(clerk)
    bo_y = clerk.units.get()
    response = client.get(
        reverse("reporting:history_template"),
        {"form": "FESTIVAL", "unit": bo_y.pk, "first": 2023, "last": 2026},
    )
    assert response.context["choice"].errors["last"] == [
        "Số liệu các năm trước 2025 nhập theo đơn vị lúc đó, các năm sau theo đơn vị hiện nay: "
        "hãy tải mỗi phần một tệp."
    ]


def test_a_workbook_by_year_imported_as_xlsx_says_which_format_it_is(tmp_path, festival):
    # given the good workbook, with no format given: its .xlsx is taken for the XLSX template
    before = counts()
    # when
    code, out, err = run("import", str(good(tmp_path)), "--allow-closed")
    # then
    assert (code, out, counts()) == (2, [], before)
    assert err == (
        "Đây là sổ theo năm (mỗi đơn vị một trang tính): hãy nhập với định dạng “XLSX theo "
        "năm” (--format history-xlsx)."
    )


def test_the_template_page_picks_the_unit_in_the_tree_keeping_the_choices(
    client, festival, quang_ngai, make_user
):
    # given the province's approver, whose scope holds thousands of units
    client.force_login(make_user("qn_approver", Role.APPROVER, (quang_ngai,)))
    choices = {"form": "FESTIVAL", "first": "2019", "last": "2024"}
    # when they search below the province for Plei Kần
    response = client.get(
        reverse("reporting:history_template"),
        {**choices, "at": quang_ngai.pk, "q": "plei kan", "search": "1"},
    )
    # then the page is drawn again with the commune found, the choices kept, and no select
    html = response.content.decode()
    assert "Content-Disposition" not in response
    assert [u.name for u in response.context["pick"].units.object_list] == ["Thị trấn Plei Kần"]
    assert response.context["choice"].initial == choices
    assert '<select name="unit"' not in html


def test_the_template_page_refuses_a_village_naming_what_it_is_for(
    client, festival, clerk, make_area
):
    # given a village of Bờ Y, picked in the tree
    client.force_login(clerk)
    village = make_area(clerk.units.get(), "Thôn Một")
    # when the clerk asks for its workbook
    response = client.get(
        reverse("reporting:history_template"),
        {"form": "FESTIVAL", "unit": village.pk, "first": 2019, "last": 2024, "download": "1"},
    )
    # then nothing is downloaded and the page says which units have one
    assert "Content-Disposition" not in response
    assert response.context["choice"].errors["unit"] == [
        "Sổ theo năm lập cho tỉnh, huyện hoặc xã; hãy chọn một đơn vị như vậy."
    ]
