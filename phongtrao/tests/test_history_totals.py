"""Past years loaded at once (reporting's history load) reach the totals analytics keeps: the
load writes values and approves their reports in one import, and the totals follow (issue 19).
Across floors (reporting writes, analytics reads), so here."""

from pathlib import Path

import pytest
from openpyxl import Workbook

from phongtrao.analytics.selectors import value_get
from phongtrao.analytics.totals import totals_differences
from phongtrao.reporting.transfer.commit import values_import

pytestmark = pytest.mark.django_db

HEADER = ["Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị tính", 2019, 2020]


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    """Two communes of Kon Tum in 2019 (Thị trấn Plei Kần and Xã Đăk Xú, in Bờ Y today)."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in {
        "23377 Thị trấn Plei Kần": [["SCHEMES_NEW", "", "", 61, 70]],
        "23389 Xã Đăk Xú": [["SCHEMES_NEW", "", "", 12, None]],
    }.items():
        sheet = book.create_sheet(title)
        sheet.append(HEADER)
        for row in rows:
            sheet.append(row)
    path = tmp_path / "lich-su.xlsx"
    book.save(path)
    return path


def test_a_history_load_keeps_the_totals_exact(workbook):
    values_import(path=workbook, fmt="history-xlsx", allow_closed=True)
    assert totals_differences() == []


def test_a_history_load_is_in_the_approved_totals_of_then_and_of_today(workbook):
    # when
    values_import(path=workbook, fmt="history-xlsx", allow_closed=True)
    # then Kon Tum's 2019 approved total holds both communes, and so does today's Quảng Ngãi
    approved = {"indicator_code": "SCHEMES_NEW", "period": "2019", "state": "approved"}
    assert value_get(unit_code="62", **approved) == 73
    assert value_get(unit_code="51", boundaries="current", **approved) == 73
    assert value_get(unit_code="23377", boundaries="current", **approved) == 73
