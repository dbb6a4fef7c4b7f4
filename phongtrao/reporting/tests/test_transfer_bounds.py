"""The values import refuses a memory or time bomb before parsing it (issue 16, item 2).

Each file is read in a child process capped at a few GB of address space, which reports its
own peak memory: Python with Django and the readers' libraries takes about 170 MB.
"""

from pathlib import Path

from phongtrao.tests.uploads import deep_json, huge_sheet_xlsx, read_capped, shared_strings_xlsx

PEAK_MB = 260
READ_ALL = """
from pathlib import Path
from phongtrao.reporting.transfer.readers import reader_for
for _record in reader_for(Path(path), "{fmt}").records():
    pass
"""


def test_a_json_nested_200000_deep_is_refused_in_bounded_memory(tmp_path: Path):
    # given a 400 KB dataValueSet nested 200,000 deep (it once took the server down)
    path = deep_json(tmp_path / "deep.json")
    # when the values import reads it
    outcome = read_capped(READ_ALL.format(fmt="dhis2-json"), path)
    # then it is refused before ijson sees it, in the memory of an idle process
    assert outcome["error"] == "Tệp lồng nhau sâu hơn 20 cấp."
    assert outcome["peak_mb"] < PEAK_MB


def test_an_xlsx_with_millions_of_shared_strings_is_refused_in_bounded_memory(tmp_path: Path):
    # given a 130 KB workbook whose shared-strings part unpacks to 51 MB (3 million strings)
    path = shared_strings_xlsx(tmp_path / "strings.xlsx")
    # when the values import reads it
    outcome = read_capped(READ_ALL.format(fmt="xlsx"), path)
    # then it is refused before openpyxl loads the strings
    assert outcome["error"] == (
        "Tệp giải nén ra nhiều hơn mức máy chủ nhận (tổng cộng 500 MB, 20 MB cho một phần được "
        "đọc trọn); hãy chia thành các tệp nhỏ hơn."
    )
    assert outcome["peak_mb"] < PEAK_MB


def test_an_xlsx_whose_sheet_declares_a_million_rows_is_refused(tmp_path: Path):
    # given a 5 KB workbook declaring A1:XFD1048576 (openpyxl pads every row to that size)
    path = huge_sheet_xlsx(tmp_path / "sheet.xlsx")
    # when the values import reads it
    outcome = read_capped(READ_ALL.format(fmt="xlsx"), path, timeout=60)
    # then it is refused instead of previewed as "0 problems" after half a minute
    assert outcome["error"] == "Trang tính có hơn 200.000 dòng; hãy chia thành các tệp nhỏ hơn."
    assert outcome["peak_mb"] < PEAK_MB
