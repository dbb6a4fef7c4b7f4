"""The bounds on uploaded files (core/uploads.py), each with a small limit set for the test."""

import io
import zipfile
from pathlib import Path

import pytest

from phongtrao.core.uploads import BLOCK, UploadRefused, check_json, check_text, check_zip
from phongtrao.tests.uploads import shared_strings_xlsx


def test_shared_strings_over_the_limit_are_refused(settings, tmp_path: Path):
    # given a limit of 10 shared strings and a workbook holding 11
    settings.PHONGTRAO_UPLOAD_MAX_SHARED_STRINGS = 10
    path = shared_strings_xlsx(tmp_path / "strings.xlsx", count=11)
    # when / then
    with pytest.raises(UploadRefused) as refused:
        check_zip(path, kind="xlsx")
    assert (
        refused.value.message == "Sổ tính có hơn 10 chuỗi văn bản khác nhau; hãy chia nhỏ sổ tính."
    )


def test_shared_strings_at_the_limit_pass(settings, tmp_path: Path):
    settings.PHONGTRAO_UPLOAD_MAX_SHARED_STRINGS = 10
    path = shared_strings_xlsx(tmp_path / "strings.xlsx", count=10)
    assert check_zip(path, kind="xlsx").may_hold_nul is False


def _sheet_xlsx(cells_xml: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr(
            "xl/worksheets/sheet1.xml",
            b"<worksheet><sheetData>" + cells_xml + b"</sheetData></worksheet>",
        )
    return out.getvalue()


def test_a_row_with_more_cells_than_columns_allowed_is_refused(settings):
    # given at most 5 columns, and a sheet without <dimension> whose row has 6 cells
    settings.PHONGTRAO_UPLOAD_MAX_COLUMNS = 5
    content = _sheet_xlsx(b"<row r='1'>" + b"<c><v>1</v></c>" * 6 + b"</row>")
    # when / then
    with pytest.raises(UploadRefused) as refused:
        check_zip(content, kind="xlsx")
    assert refused.value.message == "Một dòng của trang tính có hơn 5 cột."


def test_more_rows_than_allowed_are_refused(settings):
    settings.PHONGTRAO_UPLOAD_MAX_ROWS = 3
    content = _sheet_xlsx(b"<row><c><v>1</v></c></row>" * 4)
    with pytest.raises(UploadRefused) as refused:
        check_zip(content, kind="xlsx")
    assert refused.value.message == "Trang tính có hơn 3 dòng; hãy chia thành các tệp nhỏ hơn."


def test_an_escaped_nul_in_a_sheet_is_noted():
    content = _sheet_xlsx(b"<row><c t='inlineStr'><is><t>a_x0000_b</t></is></c></row>")
    assert check_zip(content, kind="xlsx").may_hold_nul is True


def test_a_part_read_whole_over_the_limit_is_refused(settings):
    # given parts read whole limited to 1 MB, and a DOCX body of 2 MB
    settings.PHONGTRAO_UPLOAD_MAX_XML_PART_BYTES = 1_000_000
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as document:
        document.writestr("word/document.xml", b"<w:p/>" * 350_000)
    # when / then
    with pytest.raises(UploadRefused) as refused:
        check_zip(out.getvalue(), kind="docx")
    assert refused.value.message == (
        "Tệp giải nén ra nhiều hơn mức máy chủ nhận (tổng cộng 500 MB, 1 MB cho một phần được "
        "đọc trọn); hãy chia thành các tệp nhỏ hơn."
    )


def test_a_file_larger_than_the_limit_is_refused(settings):
    settings.PHONGTRAO_UPLOAD_MAX_BYTES = 1_000_000
    with pytest.raises(UploadRefused) as refused:
        check_text(b"a\n" * 500_001)
    assert refused.value.message == "Tệp lớn hơn 1 MB; hãy chia thành các tệp nhỏ hơn."


def test_json_brackets_inside_strings_do_not_count(settings, tmp_path: Path):
    # given a depth limit of 3 and strings full of brackets, one across the first block's end
    settings.PHONGTRAO_UPLOAD_MAX_JSON_DEPTH = 3
    filler = "x" * (BLOCK - 12)
    path = tmp_path / "values.json"
    path.write_text('{"a": "' + filler + '[[[[{{{{\\"[[[[", "b": [{"c": "]]]]"}]}')
    # when / then: the file is three deep
    assert check_json(path).may_hold_nul is False


def test_json_deeper_than_the_limit_is_refused(settings, tmp_path: Path):
    settings.PHONGTRAO_UPLOAD_MAX_JSON_DEPTH = 3
    path = tmp_path / "values.json"
    path.write_text('{"a": [[{"b": 1}]]}')
    with pytest.raises(UploadRefused) as refused:
        check_json(path)
    assert refused.value.message == "Tệp lồng nhau sâu hơn 3 cấp."


def test_a_csv_line_longer_than_a_block_is_refused():
    content = b"indicator,unit\n" + b"," * (BLOCK + 1) + b"\nA,B\n"
    with pytest.raises(UploadRefused) as refused:
        check_text(content)
    assert refused.value.message == "Một dòng của tệp dài hơn 1 MB."


def test_csv_lines_across_blocks_pass_and_nul_is_noted():
    content = b"a,b\x00\n" + b"x" * (BLOCK - 10) + b"\n" + b"y" * (BLOCK - 10) + b"\n"
    assert check_text(content).may_hold_nul is True


def _pending(name: str, age_hours: float) -> Path:
    import os
    import time

    from phongtrao.core.uploads import pending_imports_dir

    path = pending_imports_dir() / name
    path.write_bytes(b"indicator,unit\n")
    stamp = time.time() - age_hours * 3600
    os.utime(path, (stamp, stamp))
    return path


def test_the_purge_command_deletes_uploads_older_than_a_day_only():
    # given an upload left for 25 hours and one made an hour ago
    from django.core.management import call_command

    old, recent = _pending("old.csv", 25), _pending("recent.csv", 1)
    out = io.StringIO()
    # when
    call_command("uploads", "purge", stdout=out)
    # then
    assert out.getvalue() == "removed 1\n"
    assert (old.exists(), recent.exists()) == (False, True)
