"""Loading past years: `values import --allow-closed`, the system operator's history load.

The festival form (seeded) closes entry 31 days after each year: 2019 closed on 31/01/2020.
"""

from pathlib import Path

import pytest
from django.utils import timezone

from phongtrao.catalog.models import Indicator
from phongtrao.core.models import AuditEvent
from phongtrao.core.roles import Role
from phongtrao.reporting.models import (
    DataValue,
    Submission,
    SubmissionStatus,
    ValueChange,
    ValueImport,
    ValueState,
)
from phongtrao.reporting.tests.conftest import run_values as run
from phongtrao.reporting.transfer.commit import values_import
from phongtrao.units.models import Unit

pytestmark = pytest.mark.django_db

HEADER = "indicator,unit,period,value,comment\n"
# Thị trấn Plei Kần and Xã Đăk Xú, communes of Kon Tum in 2019 (both now in Xã Bờ Y).
FILE_2019 = HEADER + "SCHEMES_NEW,23377,2019,61,\nFESTIVAL_EVENTS,23377,2019,3,\n"
FILE_2019 += "SCHEMES_NEW,23389,2019,12,\n"


def write(tmp_path: Path, text: str, name: str = "2019.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def counts() -> tuple[int, ...]:
    return (
        DataValue.objects.count(),
        Submission.objects.count(),
        AuditEvent.objects.count(),
        ValueImport.objects.count(),
        ValueChange.objects.count(),
    )


@pytest.fixture
def approved_2019(festival, plei_kan, province_approver) -> Submission:
    """Plei Kần's 2019 festival report, approved by the province with one value."""
    indicator = Indicator.objects.get(code="SCHEMES_NEW")
    DataValue.objects.create(
        indicator=indicator, unit=plei_kan, period="2019", value="7", number=7,
        state=ValueState.APPROVED,
    )  # fmt: skip
    return Submission.objects.create(
        form=festival, unit=plei_kan, period="2019", status=SubmissionStatus.APPROVED,
        approved_by=province_approver, approved_at=timezone.now(),
    )  # fmt: skip


def test_without_allow_closed_a_2019_file_is_refused_and_nothing_is_written(
    tmp_path, festival, plei_kan
):
    # given
    before = counts()
    # when
    code, out, _err = run("import", str(write(tmp_path, FILE_2019)))
    # then every row is refused for the closed period
    assert code == 1
    assert out[:4] == [
        "imported 0", "updated 0", "ignored 0",
        "Dòng 2, cột value: Năm 2019 đã khóa nhập liệu từ ngày 31/01/2020; đề nghị cán bộ "
        "phê duyệt mở lại.",
    ]  # fmt: skip
    assert len(out) == 6
    assert counts() == before


def test_allow_closed_writes_a_2019_file_and_says_so(tmp_path, festival, plei_kan, dak_xu):
    # when
    code, out, _err = run("import", str(write(tmp_path, FILE_2019)), "--allow-closed")
    # then the contract's three lines, then the history load's two
    assert (code, out) == (
        0,
        ["imported 3", "updated 0", "ignored 0", "closed-periods 3", "approved-reports 2"],
    )
    stored = DataValue.objects.filter(period="2019").order_by("unit__code", "indicator__code")
    assert list(stored.values_list("unit__code", "indicator__code", "value", "source")) == [
        ("23377", "FESTIVAL_EVENTS", "3", "history"),
        ("23377", "SCHEMES_NEW", "61", "history"),
        ("23389", "SCHEMES_NEW", "12", "history"),
    ]


def test_the_reports_a_history_load_fills_are_approved_by_nobody(
    tmp_path, festival, plei_kan, dak_xu
):
    # when
    values_import(path=write(tmp_path, FILE_2019), allow_closed=True)
    # then each commune's 2019 festival report is approved, marked as the history load's
    record = ValueImport.objects.get()
    reports = Submission.objects.filter(period="2019").order_by("unit__code")
    assert list(
        reports.values_list("unit__code", "form__code", "status", "approved_by", "history_import")
    ) == [
        ("23377", "FESTIVAL", "approved", None, record.pk),
        ("23389", "FESTIVAL", "approved", None, record.pk),
    ]
    # and their values count as approved
    states = set(DataValue.objects.values_list("state", flat=True))
    assert states == {ValueState.APPROVED}


def test_a_history_load_is_audited_as_one(tmp_path, festival, plei_kan, dak_xu):
    # when
    values_import(path=write(tmp_path, FILE_2019), allow_closed=True)
    # then the import says it is a history load, and so does its audit event
    record = ValueImport.objects.get()
    assert (record.source, record.get_source_display()) == ("history", "nạp số liệu lịch sử")
    event = AuditEvent.objects.get(content_type__model="valueimport")
    assert (event.source, event.changes["source"]) == ("history", [None, "history"])
    # and each report it approved has its own event, from the history load
    reports = AuditEvent.objects.filter(content_type__model="submission").order_by("unit_id")
    assert list(reports.values_list("action", "source", "actor")) == [
        ("create", "history", None), ("create", "history", None),
    ]  # fmt: skip


def test_allow_closed_leaves_approved_reports_as_they_were(
    tmp_path, festival, plei_kan, dak_xu, approved_2019
):
    # given Plei Kần's approved report, and a file of Đăk Xú only
    before = list(Submission.objects.values()), list(DataValue.objects.values())
    path = write(tmp_path, HEADER + "SCHEMES_NEW,23389,2019,12,\n")
    # when
    code, out, _err = run("import", str(path), "--allow-closed")
    # then Đăk Xú's report is approved history, and nothing of Plei Kần's changed
    assert (code, out[-1]) == (0, "approved-reports 1")
    assert list(Submission.objects.filter(unit=plei_kan).values()) == before[0]
    assert list(DataValue.objects.filter(unit=plei_kan).values()) == before[1]


def test_allow_closed_refuses_a_file_that_would_change_an_approved_value(
    tmp_path, festival, plei_kan, dak_xu, approved_2019
):
    # given
    before = counts(), list(DataValue.objects.values_list("value", flat=True))
    # when
    code, out, _err = run("import", str(write(tmp_path, FILE_2019)), "--allow-closed")
    # then the whole file is refused, naming the approved value
    assert code == 1
    assert out[5] == (
        "Dòng 2, cột value: Số liệu SCHEMES_NEW của Thị trấn Plei Kần kỳ 2019 đã được duyệt, "
        "không thể thay đổi."
    )
    assert (counts(), list(DataValue.objects.values_list("value", flat=True))) == before


def test_replace_approved_replaces_an_approved_value(
    tmp_path, festival, plei_kan, dak_xu, approved_2019, province_approver
):
    # when
    code, out, _err = run(
        "import", str(write(tmp_path, FILE_2019)), "--allow-closed", "--replace-approved"
    )
    # then the approved 7 is now 61, still approved, and the report keeps its approver
    assert (code, out) == (
        0,
        ["imported 2", "updated 1", "ignored 0", "closed-periods 3", "approved-reports 1"],
    )
    value = DataValue.objects.get(unit=plei_kan, indicator__code="SCHEMES_NEW")
    assert (value.value, value.state, value.version, value.source) == (
        "61", ValueState.APPROVED, 2, "history"
    )  # fmt: skip
    report = Submission.objects.get(unit=plei_kan)
    assert (report.status, report.approved_by, report.history_import) == (
        SubmissionStatus.APPROVED, province_approver, None
    )  # fmt: skip
    # and the value created beside it in the approved report is approved too
    events = DataValue.objects.get(unit=plei_kan, indicator__code="FESTIVAL_EVENTS")
    assert events.state == ValueState.APPROVED


def test_allow_closed_with_a_user_is_refused(tmp_path, festival, plei_kan, make_user, quang_ngai):
    # given a province approver's account
    make_user("qn_admin", Role.ADMIN, (quang_ngai,))
    before = counts()
    # when
    code, out, err = run(
        "import", str(write(tmp_path, FILE_2019)), "--allow-closed", "--user", "qn_admin"
    )
    # then
    assert (code, out) == (2, [])
    assert err == (
        "Chỉ người vận hành hệ thống mới nạp số liệu lịch sử vào kỳ đã khóa (bằng dòng lệnh, "
        "không có --user)."
    )
    assert counts() == before


def test_the_service_refuses_a_history_load_by_a_user(tmp_path, festival, make_user, quang_ngai):
    from phongtrao.core.errors import AppError

    admin = make_user("qn_admin", Role.ADMIN, (quang_ngai,))
    before = counts()
    with pytest.raises(AppError) as caught:
        values_import(path=write(tmp_path, FILE_2019), actor=admin, allow_closed=True)
    assert caught.value.message == (
        "Chỉ người vận hành hệ thống mới nạp số liệu lịch sử vào kỳ đã khóa (bằng dòng lệnh, "
        "không có --user)."
    )
    assert counts() == before


def test_replace_approved_goes_with_allow_closed(tmp_path, festival, approved_2019):
    # given
    before = counts()
    # when
    code, out, err = run("import", str(write(tmp_path, FILE_2019)), "--replace-approved")
    # then
    assert (code, out, err) == (
        2,
        [],
        "Chỉ khi nạp số liệu lịch sử mới thay được số liệu đã duyệt: --replace-approved phải đi "
        "kèm --allow-closed.",
    )
    assert counts() == before


def test_a_dry_run_history_load_counts_and_writes_nothing(tmp_path, festival, plei_kan, dak_xu):
    # given
    before = counts()
    # when
    code, out, _err = run("import", str(write(tmp_path, FILE_2019)), "--allow-closed", "--dry-run")
    # then
    assert (code, out) == (
        0,
        ["imported 3", "updated 0", "ignored 0", "closed-periods 3", "approved-reports 2"],
    )
    assert counts() == before


def test_an_open_period_in_a_history_load_is_an_ordinary_import(tmp_path, festival, bo_y):
    # given a value of this year, whose festival report is still open
    year = str(timezone.localdate().year)
    path = write(tmp_path, HEADER + f"SCHEMES_NEW,23377,{year},5,\n")
    # when
    code, out, _err = run("import", str(path), "--allow-closed")
    # then it is written as any import's, and no report is approved
    assert (code, out[3:]) == (0, ["closed-periods 0", "approved-reports 0"])
    value = DataValue.objects.get()
    assert (value.source, value.state) == ("import", ValueState.DRAFT)
    assert Submission.objects.count() == 0


def test_a_history_load_approves_a_draft_report_of_the_unit(
    tmp_path, festival, plei_kan, dak_xu, make_user
):
    # given Plei Kần's 2019 report opened as a draft
    draft = Submission.objects.create(form=festival, unit=plei_kan, period="2019")
    # when
    values_import(path=write(tmp_path, FILE_2019), allow_closed=True)
    # then the same report is approved, one revision later
    draft.refresh_from_db()
    assert (draft.status, draft.version, draft.history_import_id) == (
        SubmissionStatus.APPROVED, 2, ValueImport.objects.get().pk
    )  # fmt: skip
    event = AuditEvent.objects.get(content_type__model="submission", object_id=str(draft.pk))
    assert (event.action, event.changes["status"]) == ("update", ["draft", "approved"])


# --- the import page: who can reopen ------------------------------------------------------


def upload(client, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    data = {"file": SimpleUploadedFile("2019.csv", content, "text/csv"), "format": ""}
    return client.post(reverse("reporting:import"), data)


def test_the_import_page_names_who_can_reopen_the_closed_periods(
    client, festival, plei_kan, clerk, province_approver
):
    # given a Bờ Y clerk, whose commune took over Plei Kần and Đăk Xú
    client.force_login(clerk)
    # when the clerk's 2019 file is checked
    response = upload(client, FILE_2019.encode())
    # then the preview names the approver level above each commune
    assert [(r.unit.code, r.periods, [u.name for u in r.approvers_at])
            for r in response.context["reopeners"]] == [
        ("23377", ["2019"], ["Tỉnh Quảng Ngãi"]), ("23389", ["2019"], ["Tỉnh Quảng Ngãi"]),
    ]  # fmt: skip
    html = response.content.decode()
    assert "<li>Thị trấn Plei Kần (2019): cán bộ phê duyệt của Tỉnh Quảng Ngãi</li>" in html


def test_the_import_page_says_when_no_approver_above_has_an_account(
    client, festival, plei_kan, clerk
):
    client.force_login(clerk)
    html = upload(client, HEADER.encode() + b"SCHEMES_NEW,23377,2019,61,\n").content.decode()
    assert (
        "<li>Thị trấn Plei Kần (2019): cấp trên chưa có cán bộ phê duyệt nào có tài khoản; "
        "đề nghị quản trị hệ thống</li>"
    ) in html


def test_a_file_refused_for_other_reasons_names_no_approver(client, festival, bo_y, clerk):
    client.force_login(clerk)
    year = str(timezone.localdate().year)
    response = upload(client, HEADER.encode() + f"SCHEMES_NEW,23377,{year},abc,\n".encode())
    assert response.context["result"].rejected
    assert "reopeners" not in response.context


def test_the_report_of_a_history_load_says_so_on_its_screen(
    client, tmp_path, festival, plei_kan, dak_xu, clerk
):
    # given the 2019 file loaded as history
    values_import(path=write(tmp_path, FILE_2019), allow_closed=True)
    record = ValueImport.objects.get()
    client.force_login(clerk)
    # when Plei Kần's 2019 report is opened
    from django.urls import reverse

    html = client.get(
        reverse("reporting:entry", args=["FESTIVAL", plei_kan.pk, "2019"])
    ).content.decode()
    # then it is approved, by the history load, whose page it links to
    link = reverse("reporting:value_import", args=[record.pk])
    assert f'duyệt theo lần nạp số liệu lịch sử từ tệp <a href="{link}">2019.csv</a>' in html
    # and that page says it was a history load
    assert "nạp số liệu lịch sử" in client.get(link).content.decode()


def _queries_of_a_load(tmp_path: Path, communes: list[str]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rows = "".join(f"SCHEMES_NEW,{code},2019,1,\n" for code in communes)
    path = write(tmp_path, HEADER + rows, f"{len(communes)}.csv")
    with CaptureQueriesContext(connection) as queries:
        result = values_import(path=path, allow_closed=True)
    assert result.approved_reports == len(communes)
    return len(queries)


def test_a_history_load_costs_about_the_same_queries_for_ten_communes_or_a_hundred(
    tmp_path, festival
):
    # given the communes of Kon Tum in 2019
    kon_tum = Unit.objects.get(code="62", kind="province")
    codes = list(
        Unit.objects.filter(path__startswith=kon_tum.path, kind="commune")
        .order_by("code")
        .values_list("code", flat=True)
    )
    # when ten of them are loaded, then the other ninety-two
    few, many = _queries_of_a_load(tmp_path, codes[:10]), _queries_of_a_load(tmp_path, codes[10:])
    # then the 92 reports cost no more queries than the 10, but for the batches a bulk insert is
    # split into under the engine's parameter limit (SQLite: 999 per statement): not one or
    # more per report
    assert 0 <= many - few <= 4
