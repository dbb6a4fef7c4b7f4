from pathlib import Path

from phongtrao.core.spreadsheets import ImportCheck, Problem
from phongtrao.tests.uploads import huge_sheet_xlsx, read_capped, shared_strings_xlsx


def test_a_problem_reads_as_one_line_where_its_reader_names_the_place():
    problem = Problem(3, "cột comment", "Quá dài.", where="Dòng 3")
    assert str(problem) == "Dòng 3, cột comment: Quá dài."


def test_a_check_is_ok_only_with_rows_and_no_problem():
    assert ImportCheck(rows=[1]).ok
    assert not ImportCheck().ok
    assert not ImportCheck(rows=[1], problems=[Problem(0, "", "Hỏng.")]).ok


# --- read_table: the small-table reader of the unit and registry imports ---------------------

PEAK_MB = 260
READ_TABLE = """
from pathlib import Path
from phongtrao.core.spreadsheets import FileProblem, read_table
try:
    read_table(name="units.xlsx", content=Path(path).read_bytes())
except FileProblem as exc:
    raise ValueError(str(exc)) from None
"""


def test_an_xlsx_with_millions_of_shared_strings_is_refused_in_bounded_memory(tmp_path: Path):
    # given a 130 KB workbook whose shared-strings part unpacks to 51 MB (3 million strings)
    path = shared_strings_xlsx(tmp_path / "strings.xlsx")
    # when the unit (or registry) import reads it
    outcome = read_capped(READ_TABLE, path)
    # then it is refused before openpyxl loads the strings
    assert outcome["error"] == (
        "ValueError('Tệp giải nén ra nhiều hơn mức máy chủ nhận (tổng cộng 500 MB, 20 MB cho "
        "một phần được đọc trọn); hãy chia thành các tệp nhỏ hơn.')"
    )
    assert outcome["peak_mb"] < PEAK_MB


def test_an_xlsx_whose_sheet_declares_a_million_rows_is_refused(tmp_path: Path):
    # given a 5 KB workbook declaring A1:XFD1048576
    path = huge_sheet_xlsx(tmp_path / "sheet.xlsx")
    # when the unit (or registry) import reads it
    outcome = read_capped(READ_TABLE, path, timeout=60)
    # then it is refused
    assert outcome["error"] == (
        "ValueError('Trang tính có hơn 200.000 dòng; hãy chia thành các tệp nhỏ hơn.')"
    )
    assert outcome["peak_mb"] < PEAK_MB
