"""Importing files: all or nothing, every problem named by row and column."""

import json
import re
import unicodedata
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from phongtrao.core.errors import AppError
from phongtrao.core.models import AuditEvent
from phongtrao.core.roles import Role
from phongtrao.reporting.models import (
    DataValue,
    Submission,
    SubmissionStatus,
    ValueChange,
    ValueImport,
)
from phongtrao.reporting.services import data_value_save
from phongtrao.reporting.tests.conftest import run_values as run
from phongtrao.reporting.transfer.commit import values_import
from phongtrao.reporting.transfer.formats import Record
from phongtrao.reporting.transfer.validate import Validator
from phongtrao.units.models import REFORM_DATE, Unit, UnitKind

pytestmark = pytest.mark.django_db

HEADER = "indicator,unit,period,value,comment\n"


def write(tmp_path: Path, text: str, name: str = "values.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def counts() -> tuple[int, int, int, int]:
    return (
        DataValue.objects.count(),
        AuditEvent.objects.count(),
        ValueImport.objects.count(),
        ValueChange.objects.count(),
    )


def test_a_valid_csv_is_imported(tmp_path, form, bo_y):
    # given
    path = write(
        tmp_path, HEADER + "SCHEMES_NEW,23377,2026,1240,\nFESTIVAL_EVENTS,23377,2026,3,x\n"
    )
    # when
    code, out, _err = run("import", str(path))
    # then
    assert (code, out) == (0, ["imported 2", "updated 0", "ignored 0"])
    stored = DataValue.objects.get(indicator__code="SCHEMES_NEW", unit=bo_y, period="2026")
    assert (stored.value, stored.number, stored.source, stored.version) == (
        "1240",
        1240,
        "import",
        1,
    )


def test_an_import_is_recorded_once_with_each_value_it_created(tmp_path, form, bo_y):
    # given
    path = write(
        tmp_path, HEADER + "SCHEMES_NEW,23377,2026,1240,\nFESTIVAL_EVENTS,23377,2026,3,x\n"
    )
    # when
    result = values_import(path=path)
    # then the import, with who, which file and the counts, reaching Bờ Y only
    record = ValueImport.objects.get()
    assert result.value_import_id == record.pk
    assert (record.file_name, record.format, record.source, record.actor) == (
        "values.csv", "csv", "import", None
    )  # fmt: skip
    assert (record.imported, record.updated, record.ignored) == (2, 0, 0)
    assert (record.unit, record.unit_path) == (bo_y, bo_y.path)
    # and one change per value, from nothing, at version 1
    values = {v.indicator.code: v.pk for v in DataValue.objects.select_related("indicator")}
    changes = record.changes.order_by("pk").values_list(
        "value_id", "version", "before", "after", "before_comment", "after_comment"
    )
    assert list(changes) == [
        (values["SCHEMES_NEW"], 1, None, "1240", None, ""),
        (values["FESTIVAL_EVENTS"], 1, None, "3", None, "x"),
    ]


def test_an_import_has_one_audit_event_linking_to_its_changes(tmp_path, form, bo_y):
    # given
    path = write(
        tmp_path, HEADER + "SCHEMES_NEW,23377,2026,1240,\nFESTIVAL_EVENTS,23377,2026,3,x\n"
    )
    before = AuditEvent.objects.count()
    # when
    values_import(path=path)
    # then the audit holds the import, not each value
    record = ValueImport.objects.get()
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.get(content_type__model="valueimport")
    assert (event.action, event.content_type.model, event.object_id, event.source) == (
        "create", "valueimport", str(record.pk), "import"
    )  # fmt: skip
    assert (event.unit_id, event.object_repr) == (bo_y.pk, "values.csv")
    assert event.link == reverse("reporting:value_import", args=[record.pk])
    assert event.changes["imported"] == [None, 2]


def test_an_import_that_changes_nothing_is_not_recorded(tmp_path, form, bo_y, indicators):
    # given the file's only value already stored as it is
    DataValue.objects.create(
        indicator=indicators["SCHEMES_NEW"], unit=bo_y, period="2026", value="5", number=5
    )
    path = write(tmp_path, HEADER + "SCHEMES_NEW,23377,2026,5,\n")
    before = counts()
    # when
    result = values_import(path=path)
    # then
    assert (result.ignored, result.value_import_id) == (1, None)
    assert counts() == before


def test_an_import_over_two_communes_is_recorded_under_their_province(
    tmp_path, form, bo_y, cam_thanh, quang_ngai
):
    # given values of two communes of Quảng Ngãi
    path = write(tmp_path, HEADER + "SCHEMES_NEW,23377,2026,1,\nSCHEMES_NEW,21025,2026,2,\n")
    # when
    values_import(path=path)
    # then
    record = ValueImport.objects.get()
    assert (record.unit, record.unit_path) == (quang_ngai, quang_ngai.path)


def test_an_imported_value_never_takes_the_id_of_a_deleted_one(tmp_path, form, bo_y, indicators):
    # given the newest value deleted, so its id is free at the end of the table
    gone = DataValue.objects.create(
        indicator=indicators["SCHEMES_NEW"], unit=bo_y, period="2025", value="1", number=1
    )
    gone_id = gone.pk
    gone.delete()
    path = write(tmp_path, HEADER + "SCHEMES_NEW,23377,2026,7,\nFESTIVAL_EVENTS,23377,2026,8,\n")
    # when
    values_import(path=path)
    # then the new values come after it, and each change names its own value
    stored = list(DataValue.objects.order_by("pk").values_list("pk", "value"))
    assert [value for _pk, value in stored] == ["7", "8"]
    assert stored[0][0] > gone_id
    assert list(ValueChange.objects.order_by("pk").values_list("value_id", "after")) == stored


def test_a_unit_code_is_looked_up_on_the_periods_end(tmp_path, form, bo_y, plei_kan):
    # given 23377 named Thị trấn Plei Kần until 30/6/2025 and Xã Bờ Y after
    path = write(tmp_path, HEADER + "SCHEMES_NEW,23377,2024,1,\nSCHEMES_NEW,23377,2026,2,\n")
    # when
    run("import", str(path))
    # then
    assert DataValue.objects.get(period="2024").unit == plei_kan
    assert DataValue.objects.get(period="2026").unit == bo_y


def test_changed_values_are_updated_and_identical_ones_ignored(tmp_path, form, bo_y, indicators):
    # given
    for code, value in (("SCHEMES_NEW", "5"), ("FESTIVAL_EVENTS", "7")):
        DataValue.objects.create(
            indicator=indicators[code], unit=bo_y, period="2026", value=value, number=value
        )
    path = write(tmp_path, HEADER + "SCHEMES_NEW,23377,2026,6,\nFESTIVAL_EVENTS,23377,2026,7,\n")
    # when
    code, out, _err = run("import", str(path))
    # then
    assert (code, out) == (0, ["imported 0", "updated 1", "ignored 1"])
    changed = DataValue.objects.get(indicator__code="SCHEMES_NEW")
    assert (changed.value, changed.version) == ("6", 2)
    # and the import's only change is that value's, from 5 to 6 at version 2
    record = ValueImport.objects.get()
    assert (record.imported, record.updated, record.ignored) == (0, 1, 1)
    changes = record.changes.values_list("value_id", "version", "before", "after")
    assert list(changes) == [(changed.pk, 2, "5", "6")]


def test_a_file_with_one_bad_row_writes_nothing(tmp_path, form, bo_y):
    # given
    before = counts()
    path = write(
        tmp_path, HEADER + "SCHEMES_NEW,23377,2026,12,\nFESTIVAL_EVENTS,23377,2026,mười,\n"
    )
    # when
    code, out, err = run("import", str(path))
    # then
    assert code == 1
    assert out == [
        "imported 1", "updated 0", "ignored 0",
        "Dòng 3, cột value: “mười” không phải là số.",
    ]  # fmt: skip
    assert err == "Tệp bị từ chối: không ghi gì."
    assert counts() == before


def test_past_the_first_thousand_problems_the_rest_are_counted(tmp_path, form, bo_y):
    # given a file with 2,234 bad values
    before = counts()
    path = write(tmp_path, HEADER + "SCHEMES_NEW,23377,2026,x,\n" * 2234)
    # when
    code, out, _err = run("import", str(path))
    # then the first 1,000 are named and the rest counted, the Vietnamese way
    assert code == 1
    assert len(out) == 3 + 1000 + 1
    assert out[3] == "Dòng 2, cột value: “x” không phải là số."
    assert out[-1] == "… và 1.234 lỗi khác"
    assert counts() == before


def test_a_csv_refuses_thousands_and_scientific_notation_rather_than_misreading_them(
    tmp_path, form, bo_y
):
    # given a kg value written with Vietnamese thousands and a count in scientific notation
    path = write(
        tmp_path,
        HEADER + "EXPLOSIVES_SURRENDERED_KG,23377,2026,1.200,\nSCHEMES_NEW,23377,2026,1e5,\n",
    )
    # when
    result = values_import(path=path)
    # then nothing is written, and neither is read as 1,2 or 100.000
    assert [str(p) for p in result.problems] == [
        "Dòng 2, cột value: “1.200” có thể là số có dấu chấm ngăn cách hàng nghìn hoặc số thập "
        "phân: trong tệp này hãy viết số không có dấu ngăn cách hàng nghìn (1200) và phần thập "
        "phân sau dấu chấm (1.2).",
        "Dòng 3, cột value: “1e5” viết dạng số mũ; hãy viết đầy đủ con số.",
    ]
    assert (result.written, DataValue.objects.count()) == (False, 0)


def test_a_csv_value_with_three_decimals_written_by_our_export_reads_back(tmp_path, form, bo_y):
    # given 1,234 kg as our export writes it
    path = write(tmp_path, HEADER + "EXPLOSIVES_SURRENDERED_KG,23377,2026,1.2340,\n")
    # when
    result = values_import(path=path)
    # then
    assert result.written is True
    assert DataValue.objects.get().value == "1.234"


def test_every_kind_of_problem_is_named_with_row_and_column(tmp_path, form, bo_y):
    # given
    rows = [
        "NOPE,23377,2026,1,",
        "SCHEMES_NEW,99999,2026,1,",
        "SCHEMES_NEW,23377,2026Q9,1,",
        "SCHEMES_NEW,23377,2026Q1,1,",
        "SCHEMES_NEW,23377,2026,-3,",
        "SCHEMES_NEW,23377,2026,2.5,",
        "SCHEMES_NEW,23377,2026,4,",
        "SCHEMES_NEW,23377,2026,4,",
    ]
    path = write(tmp_path, HEADER + "\n".join(rows) + "\n")
    # when
    result = values_import(path=path)
    # then
    assert [str(p) for p in result.problems] == [
        'Dòng 2, cột indicator: Không có chỉ tiêu nào có mã "NOPE".',
        "Dòng 3, cột unit: Không có đơn vị nào mang mã 99999 vào ngày 31/12/2026.",
        "Dòng 4, cột period: " + result.problems[2].message,
        "Dòng 5, cột period: " + result.problems[3].message,
        "Dòng 6, cột value: Số đếm không được âm (-3).",
        "Dòng 7, cột value: 2,5 không phải là số nguyên.",
        "Dòng 9, cột unit: Chỉ tiêu, đơn vị và kỳ này đã có ở Dòng 8.",
    ]
    assert "2026Q9" in result.problems[2].message
    assert "2026Q1" in result.problems[3].message
    assert (result.problem_count, result.written) == (7, False)


def test_duplicates_in_different_chunks_are_named(tmp_path, form, bo_y):
    # given the same key on rows 2 and 5, read in chunks of two rows
    rows = ["SCHEMES_NEW,23377,2026,1,", "SCHEMES_MAINTAINED,23377,2026,1,",
            "FESTIVAL_EVENTS,23377,2026,1,", "SCHEMES_NEW,23377,2026,1,"]  # fmt: skip
    path = write(tmp_path, HEADER + "\n".join(rows) + "\n")
    before = counts()
    # when
    result = values_import(path=path, chunk_size=2)
    # then
    assert [str(p) for p in result.problems] == [
        "Dòng 5, cột unit: Chỉ tiêu, đơn vị và kỳ này đã có ở Dòng 2."
    ]
    assert counts() == before


def test_a_key_repeated_in_later_chunks_names_its_first_row_each_time(tmp_path, form, bo_y):
    # given SCHEMES_NEW on rows 2, 4 and 6, read in chunks of two rows, between other keys
    rows = ["SCHEMES_NEW,23377,2026,1,", "SCHEMES_MAINTAINED,23377,2026,1,",
            "SCHEMES_NEW,23377,2026,2,", "FESTIVAL_EVENTS,23377,2026,1,",
            "SCHEMES_NEW,23377,2026,3,"]  # fmt: skip
    path = write(tmp_path, HEADER + "\n".join(rows) + "\n")
    before = counts()
    # when
    result = values_import(path=path, chunk_size=2)
    # then both repeats name row 2, where the key was first seen, and nothing is written
    assert [str(p) for p in result.problems] == [
        "Dòng 4, cột unit: Chỉ tiêu, đơn vị và kỳ này đã có ở Dòng 2.",
        "Dòng 6, cột unit: Chỉ tiêu, đơn vị và kỳ này đã có ở Dòng 2.",
    ]
    # and the repeats are counted as problems only, not as values the file would import
    assert (result.imported, result.updated, result.ignored) == (3, 0, 0)
    assert counts() == before


def test_progress_is_told_the_values_checked_after_every_chunk(tmp_path, form, bo_y):
    # given five rows read in chunks of two
    rows = [f"{code},23377,2026,1," for code in ("SCHEMES_NEW", "SCHEMES_MAINTAINED",
            "FESTIVAL_EVENTS", "SCHEMES_REPLICATED", "FESTIVAL_PARTICIPANTS")]  # fmt: skip
    path = write(tmp_path, HEADER + "\n".join(rows) + "\n")
    told: list[int] = []
    # when
    result = values_import(path=path, chunk_size=2, progress=told.append)
    # then
    assert told == [2, 4, 5]
    assert (result.imported, result.problem_count) == (5, 0)


def test_the_command_reports_progress_on_standard_error_only(tmp_path, form, bo_y, monkeypatch):
    # given a progress line due every two values and a file of three
    # (the `values` command lives a floor up, in analytics, so it is named, not imported)
    monkeypatch.setattr("phongtrao.analytics.management.commands.values.PROGRESS_EVERY", 2)
    rows = ["SCHEMES_NEW,23377,2026,1,", "SCHEMES_MAINTAINED,23377,2026,1,",
            "FESTIVAL_EVENTS,23377,2026,1,"]  # fmt: skip
    path = write(tmp_path, HEADER + "\n".join(rows) + "\n")
    out, err = StringIO(), StringIO()
    # when
    call_command("values", "import", str(path), stdout=out, stderr=err)
    # then the summary of the contract is untouched and the progress names the values checked
    assert out.getvalue().splitlines() == ["imported 3", "updated 0", "ignored 0"]
    assert re.fullmatch(r"Đã kiểm tra 3 giá trị \([\d.]+ giá trị mỗi giây\)…\n", err.getvalue())


def test_a_short_import_prints_no_progress(tmp_path, form, bo_y):
    # given a file far below a progress line
    path = write(tmp_path, HEADER + "SCHEMES_NEW,23377,2026,1,\n")
    err = StringIO()
    # when
    call_command("values", "import", str(path), stdout=StringIO(), stderr=err)
    # then
    assert err.getvalue() == ""


def test_a_province_user_cannot_import_into_another_province(tmp_path, form, make_user, quang_ngai):
    # given a Quảng Ngãi clerk and a file for a commune of another province
    make_user("qn_clerk", Role.DATA_ENTRY, (quang_ngai,))
    other = (
        Unit.objects.filter(kind=UnitKind.COMMUNE, valid_from=REFORM_DATE)
        .exclude(path__startswith=quang_ngai.path)
        .order_by("code")
        .first()
    )
    before = counts()
    path = write(tmp_path, HEADER + f"SCHEMES_NEW,{other.code},2026,4,\n")
    # when
    code, out, _err = run("import", str(path), "--user", "qn_clerk")
    # then
    assert code == 1
    expected = f"Dòng 2, cột unit: Không có đơn vị nào mang mã {other.code} vào ngày 31/12/2026."
    assert out[3] == expected
    assert counts() == before


def test_approved_data_refuses_import(tmp_path, form, bo_y):
    # given
    Submission.objects.create(form=form, unit=bo_y, period="2026", status=SubmissionStatus.APPROVED)
    before = counts()
    path = write(tmp_path, HEADER + "SCHEMES_NEW,23377,2026,4,\n")
    # when
    code, out, _err = run("import", str(path))
    # then
    assert code == 1
    assert out[3] == (
        "Dòng 2, cột value: Số liệu SCHEMES_NEW của Xã Bờ Y kỳ 2026 đã được duyệt, "
        "không thể thay đổi."
    )
    assert counts() == before


def test_a_submitted_report_refuses_a_file_of_its_form(tmp_path, form, bo_y):
    # given a submitted report, and a DHIS2 set naming its form
    Submission.objects.create(
        form=form, unit=bo_y, period="2026", status=SubmissionStatus.SUBMITTED
    )
    data = {"dataSet": form.code, "period": "2026", "orgUnit": "23377",
            "dataValues": [{"dataElement": "SCHEMES_NEW", "value": "4"}]}  # fmt: skip
    path = write(tmp_path, json.dumps(data), "set.json")
    # when
    result = values_import(path=path)
    # then
    assert [p.message for p in result.problems] == [
        "Báo cáo này ở trạng thái đã gửi; không thể sửa số liệu nữa."
    ]


def test_nfd_text_is_stored_as_nfc(tmp_path, form, bo_y):
    # given a comment copied from an old Word file, in NFD
    comment = unicodedata.normalize("NFD", "Đã kiểm tra")
    path = write(tmp_path, HEADER + f"SCHEMES_NEW,23377,2026,4,{comment}\n")
    # when
    run("import", str(path))
    # then
    assert DataValue.objects.get().comment == unicodedata.normalize("NFC", "Đã kiểm tra")


def test_dry_run_prints_the_summary_and_writes_nothing(tmp_path, form, bo_y):
    # given
    before = counts()
    path = write(tmp_path, HEADER + "SCHEMES_NEW,23377,2026,4,\n")
    # when
    code, out, _err = run("import", str(path), "--dry-run")
    # then
    assert (code, out, counts()) == (0, ["imported 1", "updated 0", "ignored 0"], before)


@pytest.mark.parametrize(
    ("text", "name"),
    [("indicator,unit,value\nSCHEMES_NEW,23377,4\n", "values.csv"),
     ("{not json", "values.json"),
     ("[1, 2]", "values.json")],
)  # fmt: skip
def test_unusable_input_exits_2(tmp_path, form, text, name):
    # given
    path = write(tmp_path, text, name)
    # when
    code, out, _err = run("import", str(path))
    # then
    assert (code, out) == (2, [])


def test_a_missing_file_exits_2(tmp_path):
    code, _out, err = run("import", str(tmp_path / "none.csv"))
    assert code == 2
    assert "none.csv" in err


def test_dhis2_json_takes_period_and_unit_from_the_set(tmp_path, form, bo_y):
    # given values that leave period and orgUnit to the set, and a number value
    data = {"period": "2026", "orgUnit": "23377", "dataValues": [
        {"dataElement": "SCHEMES_NEW", "value": "1240"},
        {"dataElement": "EXPLOSIVES_SURRENDERED_KG", "value": 2.5, "comment": "kg"},
    ]}  # fmt: skip
    path = write(tmp_path, json.dumps(data), "set.json")
    # when
    code, out, _err = run("import", str(path))
    # then
    assert (code, out) == (0, ["imported 2", "updated 0", "ignored 0"])
    assert DataValue.objects.get(indicator__code="EXPLOSIVES_SURRENDERED_KG").value == "2.5"


def test_dhis2_json_refuses_scientific_notation_and_reads_a_dot_as_decimal(tmp_path, form, bo_y):
    # given a DHIS2 set (written by a program: "1.234" is 1,234 kg) with a count "1e5"
    data = {"period": "2026", "orgUnit": "23377", "dataValues": [
        {"dataElement": "SCHEMES_NEW", "value": "1e5"},
        {"dataElement": "EXPLOSIVES_SURRENDERED_KG", "value": "1.234"},
    ]}  # fmt: skip
    path = write(tmp_path, json.dumps(data), "set.json")
    # when
    result = values_import(path=path)
    # then only the scientific notation is refused
    assert [str(p) for p in result.problems] == [
        "dataValues[0], trường value: “1e5” viết dạng số mũ; hãy viết đầy đủ con số."
    ]


def test_json_problems_name_the_index_and_field(tmp_path, form, bo_y):
    data = {"dataValues": [{"dataElement": "SCHEMES_NEW", "period": "2026", "orgUnit": "23377",
                            "value": "abc"}]}  # fmt: skip
    path = write(tmp_path, json.dumps(data), "set.json")
    result = values_import(path=path)
    assert [str(p) for p in result.problems] == [
        "dataValues[0], trường value: “abc” không phải là số."
    ]


def test_validation_query_count_does_not_grow_with_rows(
    tmp_path, form, bo_y, cam_thanh, django_assert_num_queries
):
    # given a validator with the catalogue read, and chunks of 1 and of 300 values
    path = write(tmp_path, HEADER)
    from phongtrao.reporting.transfer.readers import reader_for

    # (on a day after the fifty years the big chunk spans, which have then all begun)
    validator = Validator(reader=reader_for(path), today=date(2100, 1, 1))
    small = [Record(2, "SCHEMES_NEW", "23377", "2026", "1", None)]
    codes = ["SCHEMES_NEW", "SCHEMES_MAINTAINED", "FESTIVAL_EVENTS"]
    big = [
        Record(n, codes[n % 3], ("23377", "21025")[n % 2], str(2026 + n // 6), str(n), None)
        for n in range(300)
    ]
    # then: units, stored values and submissions, one query each, whatever the size
    with django_assert_num_queries(3):
        validator.check(small)
    with django_assert_num_queries(3):
        assert validator.check(big).problems == []


def _after_check(monkeypatch, action) -> None:
    """Run `action` after each chunk is checked and before it is written, as a person saving
    the same cell from another connection at that moment would."""
    check = Validator.check

    def check_then_act(self, records):
        checked = check(self, records)
        action()
        return checked

    monkeypatch.setattr(Validator, "check", check_then_act)


def test_a_cell_created_by_someone_after_its_check_stops_the_import(
    tmp_path, form, bo_y, indicators, monkeypatch
):
    from phongtrao.core.errors import AppError, ErrorCode

    # given a valid file, and a clerk who fills the same empty cell between check and write
    path = write(tmp_path, HEADER + "FESTIVAL_EVENTS,23377,2026,2,\nSCHEMES_NEW,23377,2026,4,\n")
    _after_check(
        monkeypatch,
        lambda: DataValue.objects.create(
            indicator=indicators["SCHEMES_NEW"], unit=bo_y, period="2026", value="7", number=7
        ),
    )
    before = counts()
    # when importing
    with pytest.raises(AppError) as error:
        values_import(path=path)
    # then the import is refused as a conflict and nothing of the file is written
    assert error.value.code == ErrorCode.CONFLICT
    assert error.value.message == "Số liệu đã thay đổi trong lúc nhập tệp; không ghi gì."
    assert counts() == before
    assert not DataValue.objects.filter(indicator=indicators["FESTIVAL_EVENTS"]).exists()


def test_a_cell_changed_by_someone_after_its_check_stops_the_import(
    tmp_path, form, bo_y, indicators, monkeypatch
):
    from django.db.models import F

    from phongtrao.core.errors import AppError, ErrorCode

    # given a stored cell, a file that changes it, and a clerk who saves it between check and write
    stored = DataValue.objects.create(
        indicator=indicators["SCHEMES_NEW"], unit=bo_y, period="2026", value="7", number=7
    )
    path = write(tmp_path, HEADER + "SCHEMES_NEW,23377,2026,4,\n")
    _after_check(
        monkeypatch,
        lambda: DataValue.objects.filter(pk=stored.pk).update(
            value="8", number=8, version=F("version") + 1
        ),
    )
    before = counts()
    # when importing
    with pytest.raises(AppError) as error:
        values_import(path=path)
    # then the import is refused: the file's value never replaces one it did not see
    assert error.value.code == ErrorCode.CONFLICT
    assert counts() == before
    # (the clerk's save shares the test's connection, so it is rolled back with the import)
    stored.refresh_from_db()
    assert (stored.value, stored.version) == ("7", 1)


# --- NUL characters (issue 16, item 10) -------------------------------------------------------

NUL_REASON = (
    "Ô có ký tự NUL (mã ký tự 0), là ký tự không được chấp nhận; hãy xoá ký tự đó rồi tải tệp "
    "lên lại."
)


def test_a_nul_in_a_comment_is_refused_at_the_preview(tmp_path, form, clerk):
    # given a CSV whose second value has a NUL in its comment (PostgreSQL cannot store it)
    path = write(
        tmp_path, HEADER + "SCHEMES_NEW,23377,2026,1,\nFESTIVAL_EVENTS,23377,2026,3,a\x00b\n"
    )
    before = counts()
    # when it is previewed
    result = values_import(path=path, actor=clerk, dry_run=True)
    # then the preview names the row and the column, and nothing was written
    assert [str(p) for p in result.problems] == [f"Dòng 3, cột comment: {NUL_REASON}"]
    assert counts() == before


def test_a_nul_in_a_unit_code_is_refused_at_the_preview(tmp_path, form, clerk):
    # given a CSV whose unit code holds a NUL (PostgreSQL cannot compare it either)
    path = write(tmp_path, HEADER + "SCHEMES_NEW,233\x0077,2026,1,\n")
    before = counts()
    # when it is previewed
    result = values_import(path=path, actor=clerk, dry_run=True)
    # then
    assert [str(p) for p in result.problems] == [f"Dòng 2, cột unit: {NUL_REASON}"]
    assert counts() == before


def test_an_escaped_nul_in_a_dhis2_json_value_is_refused(tmp_path, form, clerk):
    # given a dataValueSet whose comment holds the escape of NUL
    data = {"dataValues": [{"dataElement": "SCHEMES_NEW", "period": "2026", "orgUnit": "23377",
                            "value": "1", "comment": "a\u0000b"}]}  # fmt: skip
    path = write(tmp_path, json.dumps(data), name="values.json")
    before = counts()
    # when it is imported
    result = values_import(path=path, actor=clerk)
    # then
    assert [str(p) for p in result.problems] == [f"dataValues[0], trường comment: {NUL_REASON}"]
    assert (result.written, counts()) == (False, before)


def test_a_unit_gone_by_the_periods_end_is_refused_as_on_the_entry_screen(
    tmp_path, form, plei_kan, indicators
):
    # given Huyện Ngọc Hồi, abolished on 30/6/2025, whose code no unit has carried since
    district = plei_kan.parent
    path = write(tmp_path, HEADER + f"SCHEMES_NEW,{district.code},2026,777,\n")
    before = counts()
    # when the same value is imported and saved on the entry screen
    result = values_import(path=path)
    with pytest.raises(AppError) as screen:
        data_value_save(
            actor=None, form=form, unit=district, period="2026",
            indicator=indicators["SCHEMES_NEW"], raw_value="777", expected_version=None,
        )  # fmt: skip
    # then both refuse it with the same words, and nothing is written
    message = (
        "Huyện Ngọc Hồi không còn tồn tại vào cuối kỳ 2026 (đã kết thúc ngày 30/06/2025): "
        "hãy nhập số liệu cho đơn vị kế thừa."
    )
    assert [str(p) for p in result.problems] == [f"Dòng 2, cột unit: {message}"]
    assert screen.value.message == message
    assert (result.written, counts()) == (False, before)


def test_a_period_to_come_is_refused_as_on_the_entry_screen(tmp_path, form, bo_y, indicators):
    # given a row of Bờ Y for 2099
    path = write(tmp_path, HEADER + "SCHEMES_NEW,23377,2099,5,\n")
    before = counts()
    # when it is imported and saved on the entry screen
    result = values_import(path=path)
    with pytest.raises(AppError) as screen:
        data_value_save(
            actor=None, form=form, unit=bo_y, period="2099",
            indicator=indicators["SCHEMES_NEW"], raw_value="5", expected_version=None,
        )  # fmt: skip
    # then both refuse it with the same words, and nothing is written
    message = "Năm 2099 chưa bắt đầu: chỉ được nhập số liệu từ ngày 01/01/2099."
    assert [str(p) for p in result.problems] == [f"Dòng 2, cột period: {message}"]
    assert screen.value.message == message
    assert (result.written, counts()) == (False, before)
