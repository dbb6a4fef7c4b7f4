"""The registries' import reads with the units' table reader: a NUL is refused there."""

import pytest

from phongtrao.core.models import AuditEvent
from phongtrao.core.roles import Role
from phongtrao.registries.models import Scheme
from phongtrao.registries.registry import FESTIVALS, SCHEMES
from phongtrao.registries.transfer import check_file

pytestmark = pytest.mark.django_db


def test_a_nul_in_a_unit_code_is_refused_with_its_row_and_column(make_user, bo_y):
    # given a CSV whose third row's unit code holds a NUL (PostgreSQL cannot compare it)
    clerk = make_user("boy_clerk", Role.DATA_ENTRY, (bo_y,))
    content = (
        "Mã đơn vị,Tên mô hình,Loại mô hình,Ngày thành lập\n"
        "23377,Camera an ninh,Camera,01/02/2024\n"
        "23377,Tổ tự quản,Camera,01/02/2024\n"
        "233\x0077,Tổ liên gia,Camera,01/02/2024\n"
    ).encode()
    before = Scheme.objects.count(), AuditEvent.objects.count()
    # when it is checked
    check = check_file(SCHEMES, name="so.csv", content=content, user=clerk)
    # then the problem names the row and the column, and nothing was written
    assert [(p.row, p.column, p.message) for p in check.problems] == [
        (
            0,
            "",
            "Dòng 4, cột A: Ô có ký tự NUL (mã ký tự 0), là ký tự không được chấp nhận; hãy xoá "
            "ký tự đó rồi tải tệp lên lại.",
        )
    ]
    assert check.ok is False
    assert (Scheme.objects.count(), AuditEvent.objects.count()) == before


def test_a_registry_file_reads_thousands_and_refuses_scientific_notation(make_user, bo_y):
    # given a festival file: 1.200 participants, then 1e5 participants
    clerk = make_user("boy_clerk", Role.DATA_ENTRY, (bo_y,))
    content = (
        "Mã đơn vị,Ngày tổ chức,Địa điểm,Số người tham dự,Giá trị quà tặng (đồng)\n"
        "23377,19/08/2025,Thôn Iệc,1.200,20.500.000\n"
        "23377,19/08/2025,Thôn Iệc,1e5,0\n"
    ).encode()
    # when
    check = check_file(FESTIVALS, name="so.csv", content=content, user=clerk)
    # then only the second row is refused, in Vietnamese
    assert [p.message for p in check.problems] == ["“1e5” viết dạng số mũ; hãy viết đầy đủ con số."]
