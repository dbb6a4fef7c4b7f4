from datetime import date, datetime

import pytest
from django.utils import timezone

from phongtrao.analytics.worklist import reports_to_approve, reports_to_send, worklist_get
from phongtrao.catalog.models import ReportForm
from phongtrao.core.roles import Role
from phongtrao.reporting.approvers import can_approve
from phongtrao.reporting.models import Submission, SubmissionStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def festival() -> ReportForm:
    return ReportForm.objects.get(code="FESTIVAL")


def _report(form, unit, period, status, **extra) -> Submission:
    return Submission.objects.create(form=form, unit=unit, period=period, status=status, **extra)


def test_a_commune_must_send_this_years_report_by_its_due_day(bo_y):
    # given Bờ Y with nothing begun, in early December 2026 (the 2025 report locked in January)
    tasks = reports_to_send(units=[bo_y], today=date(2026, 12, 7))
    # then its 2026 festival report is to send, late since 31 August
    assert [(t.form.code, t.period.id, t.status, t.due, t.is_late) for t in tasks] == [
        ("FESTIVAL", "2026", None, date(2026, 8, 31), True)
    ]


def test_in_january_last_years_open_report_comes_first(bo_y, festival):
    # given Bờ Y's 2025 report returned with a reason, on 10 January 2026 (entry open until 31)
    _report(festival, bo_y, "2025", SubmissionStatus.RETURNED, returned_reason="Thiếu số liệu")
    tasks = reports_to_send(units=[bo_y], today=date(2026, 1, 10))
    # then the returned report comes first with its reason, then 2026, not yet due
    assert [(t.period.id, t.status, t.returned_reason, t.is_late) for t in tasks] == [
        ("2025", "returned", "Thiếu số liệu", True),
        ("2026", None, "", False),
    ]


def test_a_sent_report_is_not_to_send(bo_y, festival):
    _report(festival, bo_y, "2026", SubmissionStatus.SUBMITTED)
    assert reports_to_send(units=[bo_y], today=date(2026, 12, 7)) == []


def test_a_draft_of_a_locked_year_reopened_by_an_approver_is_to_send(bo_y, festival):
    # given Bờ Y's 2025 report, locked since 31 January 2026 but reopened until 15 December
    _report(festival, bo_y, "2025", SubmissionStatus.DRAFT, reopened_until=date(2026, 12, 15))
    tasks = reports_to_send(units=[bo_y], today=date(2026, 12, 7))
    assert [(t.period.id, t.status) for t in tasks] == [("2025", "draft"), ("2026", None)]


def test_a_viewer_has_nothing_to_send(make_user, bo_y):
    viewer = make_user("boy_viewer", Role.VIEWER, (bo_y,))
    assert worklist_get(user=viewer, today=date(2026, 12, 7)).to_send == []


def test_a_commune_approver_approves_its_villages_not_its_own_nor_anothers(
    make_user, bo_y, cam_thanh, make_area, festival
):
    # given submitted reports of Bờ Y itself, of a village of Bờ Y and of Cẩm Thành
    area = make_area(bo_y, "Thôn A")
    _report(festival, bo_y, "2026", SubmissionStatus.SUBMITTED)
    village = _report(festival, area, "2026", SubmissionStatus.SUBMITTED)
    _report(festival, cam_thanh, "2026", SubmissionStatus.SUBMITTED)
    approver = make_user("boy_approver", Role.APPROVER, (bo_y,))
    # when their reports to approve are read
    waiting = list(reports_to_approve(user=approver))
    # then only the village's is there
    assert waiting == [village]


def test_a_province_approver_approves_what_the_workflow_lets_them_nearest_first(
    make_user, quang_ngai, bo_y, plei_kan, make_area, festival
):
    # given reports of the province, Bờ Y, a village of Bờ Y and the old Plei Kần, sent in
    # that order
    area = make_area(bo_y, "Thôn A")
    reports = {
        unit.name: _report(
            festival, unit, "2024" if unit == plei_kan else "2026", SubmissionStatus.SUBMITTED,
            submitted_at=timezone.make_aware(datetime(2026, 8, day)),
        )
        for day, unit in enumerate((quang_ngai, bo_y, area, plei_kan), start=1)
    }  # fmt: skip
    approver = make_user("qn_approver", Role.APPROVER, (quang_ngai,))
    # when their reports to approve are read
    waiting = list(reports_to_approve(user=approver))
    # then the communes come first, by the day they sent, then the village; never the
    # province's own report
    assert [s.unit.name for s in waiting] == ["Xã Bờ Y", "Thị trấn Plei Kần", "Thôn A"]
    # and the workflow agrees on each of them, and on the one left out
    assert all(can_approve(actor=approver, unit=s.unit) for s in waiting)
    assert not can_approve(actor=approver, unit=reports["Tỉnh Quảng Ngãi"].unit)


def test_a_commune_does_not_approve_the_commune_it_succeeded_but_its_villages(
    make_user, bo_y, plei_kan, make_area, festival
):
    # given old Plei Kần's own 2024 report and one of its villages', both submitted
    old_area = make_area(plei_kan, "Tổ dân phố 9")
    _report(festival, plei_kan, "2024", SubmissionStatus.SUBMITTED)
    village = _report(festival, old_area, "2024", SubmissionStatus.SUBMITTED)
    approver = make_user("boy_approver", Role.APPROVER, (bo_y,))
    # then Bờ Y's approver has the village's report only, as the workflow says
    assert list(reports_to_approve(user=approver)) == [village]
    assert not can_approve(actor=approver, unit=plei_kan)


def test_a_data_entry_user_has_nothing_to_approve(make_user, bo_y, make_area, festival):
    _report(festival, make_area(bo_y, "Thôn A"), "2026", SubmissionStatus.SUBMITTED)
    clerk = make_user("boy_clerk", Role.DATA_ENTRY, (bo_y,))
    worklist = worklist_get(user=clerk, today=date(2026, 12, 7))
    assert (worklist.to_approve, worklist.to_approve_count) == ([], 0)


def test_the_home_page_lists_twenty_reports_to_approve_and_counts_them_all(
    make_user, bo_y, make_area, festival
):
    for n in range(23):
        _report(festival, make_area(bo_y, f"Thôn {n}"), "2026", SubmissionStatus.SUBMITTED)
    approver = make_user("boy_approver", Role.APPROVER, (bo_y,))
    worklist = worklist_get(user=approver, today=date(2026, 12, 7))
    assert (len(worklist.to_approve), worklist.to_approve_count) == (20, 23)
