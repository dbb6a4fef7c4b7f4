import io
import unicodedata

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from phongtrao.core.models import AuditEvent
from phongtrao.core.roles import Role
from phongtrao.core.spreadsheets import Problem
from phongtrao.units.import_template import build_template
from phongtrao.units.imports import check_file
from phongtrao.units.models import Unit, UnitKind
from phongtrao.units.selectors import today

pytestmark = pytest.mark.django_db

HEADER = ["Mã", "Tên", "Loại", "Loại hình", "Mã đơn vị cấp trên", "Người liên hệ", "Điện thoại"]


@pytest.fixture
def clerk(make_user, bo_y):
    return make_user("boy_nhaplieu", Role.DATA_ENTRY, (bo_y,))


def csv_bytes(rows: list[list[str]], *, sep: str = ",", bom: bool = True) -> bytes:
    text = "\n".join(sep.join(cells) for cells in [HEADER, *rows]) + "\n"
    return ("\ufeff" if bom else "").encode() + text.encode("utf-8")


def xlsx_bytes(rows: list[list[object]], header: list[str] = HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def check(content: bytes, *, parent: Unit, user, name: str = "don-vi.csv"):
    return check_file(name=name, content=content, parent=parent, user=user, on=today())


def counts() -> tuple[int, int]:
    return Unit.objects.count(), AuditEvent.objects.count()


# --- reading and checking --------------------------------------------------------------------


def test_a_good_csv_with_bom_and_nfd_text_is_ready(clerk, bo_y):
    # given a CSV saved by Excel (BOM) with text copied from an old Word file (NFD)
    name = unicodedata.normalize("NFD", "Thôn Đăk Răng")
    content = csv_bytes(
        [
            ["", name, "Khu dân cư", "Thôn", "", "Nguyễn Văn An", "0905 123 456"],
            ["BY-TH", "Trường THCS Bờ Y", "co so giao duc", "", "23377", "", ""],
        ]
    )
    # when
    result = check(content, parent=bo_y, user=clerk)
    # then
    assert result.problems == []
    assert result.ok is True
    assert [(d.code, d.name, d.kind, d.parent_id, d.row) for d in result.drafts()] == [
        ("23377-001", "Thôn Đăk Răng", UnitKind.RESIDENTIAL_AREA, bo_y.pk, 2),
        ("BY-TH", "Trường THCS Bờ Y", UnitKind.SCHOOL, bo_y.pk, 3),
    ]


def test_kinds_are_read_with_or_without_diacritics_in_any_case(clerk, bo_y):
    content = csv_bytes(
        [
            ["", "A", "KHU DAN CU", "", "", "", ""],
            ["", "B", "Cơ quan", "", "", "", ""],
            ["", "C", "doanh NGHIỆP", "", "", "", ""],
            ["", "D", "Cơ sở giáo dục", "", "", "", ""],
            ["", "E", "đơn vị công an", "", "", "", ""],
        ]
    )
    result = check(content, parent=bo_y, user=clerk)
    assert [d.kind for d in result.drafts()] == [
        UnitKind.RESIDENTIAL_AREA,
        UnitKind.AGENCY,
        UnitKind.ENTERPRISE,
        UnitKind.SCHOOL,
        UnitKind.POLICE_UNIT,
    ]


def test_a_semicolon_csv_without_bom_is_read(clerk, bo_y):
    content = csv_bytes([["", "Làng Le", "khu dân cư", "Làng", "", "", ""]], sep=";", bom=False)
    result = check(content, parent=bo_y, user=clerk)
    assert [(d.name, d.type_name) for d in result.drafts()] == [("Làng Le", "Làng")]


def test_an_xlsx_with_numbers_in_cells_is_read_as_text(clerk, bo_y):
    # given a workbook where Excel stored the parent code and the code as numbers
    content = xlsx_bytes(
        [[123, "Thôn Iệc", "khu dân cư", "Thôn", 23377, "Y Thị Hoa", "0905123456"]]
    )
    # when
    result = check(content, parent=bo_y, user=clerk, name="don-vi.xlsx")
    # then
    assert result.problems == []
    draft = result.drafts()[0]
    assert (draft.code, draft.name, draft.contact_phone) == ("123", "Thôn Iệc", "0905123456")


def test_codes_given_automatically_skip_the_codes_written_in_the_file(clerk, bo_y, make_area):
    # given one area already numbered 001 and a row of the file that takes 005
    make_area(bo_y, "Thôn Cũ")
    content = csv_bytes(
        [
            ["", "Thôn A", "khu dân cư", "", "", "", ""],
            ["23377-005", "Thôn B", "khu dân cư", "", "", "", ""],
            ["", "Thôn C", "khu dân cư", "", "", "", ""],
        ]
    )
    result = check(content, parent=bo_y, user=clerk)
    assert [d.code for d in result.drafts()] == ["23377-006", "23377-005", "23377-007"]


def test_every_problem_is_named_by_row_column_and_reason(clerk, bo_y, cam_thanh, make_area):
    # given an area that exists already and a file with one problem per row
    make_area(bo_y, "Thôn Iệc")
    content = csv_bytes(
        [
            ["", "", "khu dân cư", "", "", "", ""],
            ["", "Thôn A", "hợp tác xã", "", "", "", ""],
            ["", "Thôn B", "khu dân cư", "", "99999", "", ""],
            ["", "Thôn C", "khu dân cư", "", cam_thanh.code, "", ""],
            ["", "Thôn D", "khu dân cư", "", "51", "", ""],
            ["", "Thôn E", "khu dân cư", "", "", "", ""],
            ["", "thôn e", "khu dân cư", "", "", "", ""],
            ["X-1", "Thôn F", "khu dân cư", "", "", "", ""],
            ["X-1", "Thôn G", "khu dân cư", "", "", "", ""],
            ["23377-001", "Thôn H", "khu dân cư", "", "", "", ""],
            ["", "=HYPERLINK(1)", "khu dân cư", "", "", "", ""],
            ["", "Thôn Iệc", "khu dân cư", "", "", "", ""],
            ["", "Thôn K", "khu dân cư", "", "", "", "gọi ông An"],
        ]
    )
    # when
    result = check(content, parent=bo_y, user=clerk)
    # then
    assert result.ok is False
    assert result.problems == [
        Problem(2, "Tên", "Tên đang để trống."),
        Problem(
            3,
            "Loại",
            "Loại “hợp tác xã” không hợp lệ; hãy ghi một trong các loại: khu dân cư, cơ quan, "
            "doanh nghiệp, cơ sở giáo dục, đơn vị Công an.",
        ),
        Problem(
            4,
            "Mã đơn vị cấp trên",
            f"Không có tỉnh hoặc xã nào mang mã 99999 vào ngày {today():%d/%m/%Y}.",
        ),
        Problem(5, "Mã đơn vị cấp trên", "Phường Cẩm Thành nằm ngoài các đơn vị bạn quản lý."),
        Problem(6, "Mã đơn vị cấp trên", "Tỉnh Quảng Ngãi nằm ngoài các đơn vị bạn quản lý."),
        Problem(8, "Tên", "Trùng tên với dòng 7."),
        Problem(10, "Mã", "Trùng mã với dòng 9."),
        Problem(11, "Mã", "Mã 23377-001 đã được dùng cho một đơn vị khác."),
        Problem(
            12,
            "Tên",
            "Ô bắt đầu bằng “=”: hệ thống chỉ nhận văn bản, không nhận công thức; "
            "hãy bỏ dấu này hoặc ghi giá trị theo cách khác.",
        ),
        Problem(13, "Tên", "Xã Bờ Y đã có khu dân cư tên Thôn Iệc."),
        Problem(
            14,
            "Điện thoại",
            "Số điện thoại chỉ gồm chữ số, dấu cách, dấu + ở đầu và các dấu . ( ) -.",
        ),
    ]


def test_a_parent_that_cannot_hold_the_kind_is_a_problem(make_user, quang_ngai, bo_y):
    # given a provincial user importing below the province
    user = make_user("qn_nhaplieu", Role.DATA_ENTRY, (quang_ngai,))
    content = csv_bytes(
        [
            ["", "Thôn A", "khu dân cư", "", "", "", ""],
            ["", "Thôn B", "khu dân cư", "", "23377", "", ""],
            ["", "Công an tỉnh", "đơn vị Công an", "", "", "", ""],
        ]
    )
    # when
    result = check(content, parent=quang_ngai, user=user)
    # then the first row needs a commune; the others are fine
    assert result.problems == [
        Problem(2, "Loại", "Không thể đặt khu dân cư trực thuộc Tỉnh Quảng Ngãi."),
    ]
    assert [r.parent.name for r in result.rows] == ["Tỉnh Quảng Ngãi", "Xã Bờ Y", "Tỉnh Quảng Ngãi"]


def test_a_phone_with_a_country_code_is_not_a_formula(clerk, bo_y):
    content = csv_bytes([["", "Thôn A", "khu dân cư", "", "", "", "+84 905 123 456"]])
    result = check(content, parent=bo_y, user=clerk)
    assert result.problems == []


def test_a_missing_or_unknown_column_is_a_problem_of_row_1(clerk, bo_y):
    content = xlsx_bytes([["Thôn A", "x"]], header=["Tên", "Ghi chú nội bộ"])
    result = check(content, parent=bo_y, user=clerk, name="a.xlsx")
    assert result.problems == [
        Problem(1, "Ghi chú nội bộ", "Cột không có trong mẫu."),
        Problem(1, "Loại", "Thiếu cột này."),
    ]


def test_a_csv_not_in_utf8_is_refused(clerk, bo_y):
    content = "Tên,Loại\nThôn Iệc,khu dân cư\n".encode("utf-16")
    result = check(content, parent=bo_y, user=clerk)
    assert result.problems == [
        Problem(
            0,
            "",
            "Tệp CSV không dùng bảng mã UTF-8; hãy lưu lại dưới dạng “CSV UTF-8” rồi tải lên.",
        )
    ]


def test_a_damaged_xlsx_is_refused(clerk, bo_y):
    result = check(b"PK\x03\x04 not a workbook", parent=bo_y, user=clerk, name="a.xlsx")
    assert result.problems == [Problem(0, "", "Không đọc được tệp Excel (.xlsx).")]


def test_a_file_with_only_headers_has_nothing_to_import(clerk, bo_y):
    result = check(csv_bytes([]), parent=bo_y, user=clerk)
    assert result.problems == [Problem(0, "", "Tệp không có dòng nào để nhập.")]


def test_the_template_has_the_headers_the_import_reads(clerk, bo_y):
    # given the downloadable template
    book = load_workbook(io.BytesIO(build_template()))
    # when reading its header row
    header = [c.value for c in next(book.worksheets[0].iter_rows(max_row=1))]
    # then
    assert header == HEADER


# --- the import pages ------------------------------------------------------------------------


def upload(client, parent: Unit, content: bytes, name: str = "don-vi.csv"):
    file = io.BytesIO(content)
    file.name = name
    return client.post(reverse("units:import", args=[parent.pk]), {"file": file})


def test_upload_shows_a_preview_and_confirm_writes_every_row(client, clerk, bo_y):
    # given
    client.force_login(clerk)
    content = csv_bytes(
        [
            ["", "Thôn Đăk Răng", "khu dân cư", "Thôn", "", "Nguyễn Văn An", "0905 123 456"],
            ["", "Trường THCS Bờ Y", "cơ sở giáo dục", "", "", "", ""],
        ]
    )
    before = counts()
    # when uploading
    preview = upload(client, bo_y, content)
    # then nothing is written yet and both rows are shown
    assert counts() == before
    body = preview.content.decode()
    assert "2 dòng sẵn sàng để nhập." in body
    assert "Thôn Đăk Răng" in body and "23377-002" in body
    # when confirming
    response = client.post(reverse("units:import", args=[bo_y.pk]), {"confirm": "1"})
    # then
    assert response.status_code == 302
    created = Unit.objects.filter(parent=bo_y).order_by("code")
    assert [(u.code, u.name, u.contact_phone) for u in created] == [
        ("23377-001", "Thôn Đăk Răng", "0905 123 456"),
        ("23377-002", "Trường THCS Bờ Y", ""),
    ]
    events = AuditEvent.objects.filter(object_id__in=[str(u.pk) for u in created])
    assert sorted(events.values_list("source", "actor__username")) == [
        ("import", "boy_nhaplieu"),
        ("import", "boy_nhaplieu"),
    ]
    assert counts() == (before[0] + 2, before[1] + 2)


def test_a_file_with_a_problem_writes_nothing_and_cannot_be_confirmed(client, clerk, bo_y):
    # given a file whose second row has no name
    client.force_login(clerk)
    content = csv_bytes(
        [["", "Thôn A", "khu dân cư", "", "", "", ""], ["", "", "khu dân cư", "", "", "", ""]]
    )
    before = counts()
    # when uploading, then trying to confirm anyway
    preview = upload(client, bo_y, content)
    confirm = client.post(reverse("units:import", args=[bo_y.pk]), {"confirm": "1"})
    # then
    body = preview.content.decode()
    assert "Tệp có 1 lỗi; sẽ không có đơn vị nào được nhập." in body
    assert 'name="confirm"' not in body
    assert "Không có gì để nhập: hãy tải tệp lên lại." in confirm.content.decode()
    assert counts() == before


def test_confirm_checks_again_and_writes_nothing_if_the_data_changed(
    client, clerk, bo_y, make_area
):
    # given a previewed file, then someone adds one of its areas by hand
    client.force_login(clerk)
    upload(
        client,
        bo_y,
        csv_bytes(
            [
                ["", "Thôn A", "khu dân cư", "", "", "", ""],
                ["", "Thôn B", "khu dân cư", "", "", "", ""],
            ]
        ),
    )
    make_area(bo_y, "Thôn B")
    before = counts()
    # when
    response = client.post(reverse("units:import", args=[bo_y.pk]), {"confirm": "1"})
    # then
    body = response.content.decode()
    assert "Tệp có 1 lỗi; sẽ không có đơn vị nào được nhập." in body
    assert "Xã Bờ Y đã có khu dân cư tên Thôn B." in body
    assert counts() == before


def test_confirm_gives_codes_anew_when_a_code_was_taken_meanwhile(client, clerk, bo_y, make_area):
    # given a preview that gave 23377-001, then an area made by hand takes that code
    client.force_login(clerk)
    upload(client, bo_y, csv_bytes([["", "Thôn A", "khu dân cư", "", "", "", ""]]))
    make_area(bo_y, "Thôn Khác")
    # when
    client.post(reverse("units:import", args=[bo_y.pk]), {"confirm": "1"})
    # then
    assert Unit.objects.get(parent=bo_y, name="Thôn A").code == "23377-002"


def test_the_import_page_of_a_commune_out_of_scope_is_not_found(client, make_user, cam_thanh, bo_y):
    user = make_user("camthanh_nhaplieu", Role.DATA_ENTRY, (cam_thanh,))
    client.force_login(user)
    before = counts()
    get = client.get(reverse("units:import", args=[bo_y.pk]))
    post = upload(client, bo_y, csv_bytes([["", "Thôn A", "khu dân cư", "", "", "", ""]]))
    assert (get.status_code, post.status_code) == (404, 404)
    assert counts() == before


def test_a_viewer_cannot_import(client, make_user, bo_y):
    client.force_login(make_user("boy_xem", Role.VIEWER, (bo_y,)))
    response = client.get(reverse("units:import", args=[bo_y.pk]))
    assert response.status_code == 403


def test_the_template_downloads_as_xlsx(client, clerk):
    client.force_login(clerk)
    response = client.get(reverse("units:import_template"))
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == 'attachment; filename="mau-nhap-don-vi.xlsx"'
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["Đơn vị", "Hướng dẫn"]


def test_a_nul_in_a_unit_code_is_refused_with_its_row_and_column(clerk, bo_y):
    # given a CSV whose second row's code holds a NUL (PostgreSQL cannot compare it)
    content = csv_bytes([["BY-\x0001", "Thôn Một", "khu dân cư", "", "", "", ""]])
    before = counts()
    # when it is checked
    result = check(content, parent=bo_y, user=clerk)
    # then the problem names the row and the column, and nothing was written
    assert [(p.row, p.column, p.message) for p in result.problems] == [
        (
            0,
            "",
            "Dòng 2, cột A: Ô có ký tự NUL (mã ký tự 0), là ký tự không được chấp nhận; hãy xoá "
            "ký tự đó rồi tải tệp lên lại.",
        )
    ]
    assert result.ok is False
    assert counts() == before
