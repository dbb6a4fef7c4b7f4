from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from phongtrao.accounts.models import Role
from phongtrao.catalog.periods import period_parse
from phongtrao.reporting.completeness import (
    Figures,
    completeness_get,
    expected_units,
    late_units,
    submission_deadline,
)
from phongtrao.reporting.models import Submission, SubmissionStatus
from phongtrao.units.models import Unit, UnitKind
from phongtrao.units.services import unit_create

pytestmark = pytest.mark.django_db

Y2025 = period_parse("2025")
# Due 31/8/2025 in Vietnam (UTC+7): the last on-time instant is 31/8 16:59:59 UTC.
ON_TIME = datetime(2025, 8, 31, 16, 30, tzinfo=UTC)  # 23:30 on 31/8 in Hà Nội
LATE = datetime(2025, 8, 31, 17, 10, tzinfo=UTC)  # 00:10 on 1/9 in Hà Nội


@pytest.fixture
def superuser(make_user):
    user = make_user("root", Role.ADMIN)
    user.is_superuser = True
    return user


@pytest.fixture
def areas(make_area, bo_y) -> list[Unit]:
    return [make_area(bo_y, name) for name in ("Thôn Một", "Thôn Hai", "Thôn Ba")]


def _submission(form, unit, status, submitted_at=ON_TIME, period="2025") -> Submission:
    sent = status in (SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED)
    return Submission.objects.create(
        form=form, unit=unit, period=period, status=status,
        submitted_at=submitted_at if sent else None,
    )  # fmt: skip


def test_the_deadline_is_midnight_after_the_due_day_in_vietnam(form):
    # given a form due 31/8 / when its 2025 deadline is asked / then it is 1/9 00:00 in Vietnam
    assert submission_deadline(form=form, period=Y2025) == datetime(2025, 8, 31, 17, tzinfo=UTC)


def test_expected_units_are_those_of_the_forms_kinds_in_force_at_the_periods_end(
    form, bo_y, areas, superuser
):
    # given a school (not a kind of the form) and an area closed before the end of 2025
    unit_create(actor=None, parent=bo_y, kind=UnitKind.SCHOOL, name="Trường THCS Bờ Y")
    unit_create(
        actor=None, parent=bo_y, kind=UnitKind.RESIDENTIAL_AREA, name="Thôn Cũ",
        valid_to=date(2025, 9, 30),
    )  # fmt: skip
    # when the expected units of Bờ Y are asked for 2025
    units = expected_units(form=form, period=Y2025, unit=bo_y, user=superuser)
    # then they are the commune and its three areas in force
    assert sorted(u.name for u in units) == ["Thôn Ba", "Thôn Hai", "Thôn Một", "Xã Bờ Y"]


def test_submitted_counts_submitted_and_approved_reports_only(form, bo_y, areas, superuser):
    # given one report of each status
    _submission(form, bo_y, SubmissionStatus.APPROVED)
    _submission(form, areas[0], SubmissionStatus.SUBMITTED)
    _submission(form, areas[1], SubmissionStatus.DRAFT)
    _submission(form, areas[2], SubmissionStatus.RETURNED)
    # when
    report = completeness_get(form=form, period=Y2025, unit=bo_y, user=superuser)
    # then
    assert report.totals == Figures(expected=4, submitted=2, on_time=2, approved=1)


def test_on_time_is_judged_on_the_vietnamese_calendar_day(form, bo_y, areas, superuser):
    # given one report sent at 23:30 on the due day and one at 00:10 the day after, Vietnam time
    _submission(form, areas[0], SubmissionStatus.SUBMITTED, submitted_at=ON_TIME)
    _submission(form, areas[1], SubmissionStatus.SUBMITTED, submitted_at=LATE)
    # when
    report = completeness_get(form=form, period=Y2025, unit=bo_y, user=superuser)
    # then only the first is on time
    assert (report.totals.submitted, report.totals.on_time) == (2, 1)


def test_a_report_of_another_period_or_form_does_not_count(form, bo_y, areas, superuser):
    # given Bờ Y reported 2026, not 2025
    _submission(form, bo_y, SubmissionStatus.APPROVED, period="2026")
    # when
    report = completeness_get(form=form, period=Y2025, unit=bo_y, user=superuser)
    # then
    assert report.totals == Figures(expected=4)


def test_a_province_is_broken_down_by_commune_with_its_own_report_first(
    form, quang_ngai, bo_y, cam_thanh, areas, make_area, superuser
):
    # given Bờ Y and two of its areas submitted, and one area of Cẩm Thành approved
    cam_area = make_area(cam_thanh, "Tổ dân phố 1")
    for unit in (bo_y, areas[0], areas[1]):
        _submission(form, unit, SubmissionStatus.SUBMITTED)
    _submission(form, cam_area, SubmissionStatus.APPROVED, submitted_at=LATE)
    # when
    report = completeness_get(form=form, period=Y2025, unit=quang_ngai, user=superuser)
    rows = {row.unit.name: row for row in report.rows}
    # then the province's own report comes first, then one row per commune
    assert report.rows[0].unit == quang_ngai and report.rows[0].is_own
    assert rows["Xã Bờ Y"].figures == Figures(expected=4, submitted=3, on_time=3)
    assert rows["Phường Cẩm Thành"].figures == Figures(
        expected=2, submitted=1, on_time=0, approved=1
    )
    assert len(report.rows) == 1 + 96
    assert report.totals == Figures(expected=1 + 96 + 3 + 1, submitted=4, on_time=3, approved=1)


def test_a_commune_is_broken_down_by_residential_area(form, bo_y, areas, superuser):
    # given one area submitted
    _submission(form, areas[1], SubmissionStatus.SUBMITTED)
    # when
    report = completeness_get(form=form, period=Y2025, unit=bo_y, user=superuser)
    # then the commune's own row, then one row per area in alphabetical order
    assert [(r.unit.name, r.figures.submitted) for r in report.rows] == [
        ("Xã Bờ Y", 0), ("Thôn Ba", 0), ("Thôn Hai", 1), ("Thôn Một", 0),
    ]  # fmt: skip


def test_percentages_have_one_decimal(form):
    # given 6 of 7 submitted, 5 on time, none approved / then
    figures = Figures(expected=7, submitted=6, on_time=5, approved=0)
    assert (figures.submitted_pct, figures.on_time_pct, figures.approved_pct) == (
        Decimal("85.7"), Decimal("71.4"), Decimal("0.0"),
    )  # fmt: skip
    # and nothing expected gives no percentage rather than a division by zero
    assert Figures().submitted_pct is None


def test_a_commune_user_counts_only_their_own_subtree(
    form, quang_ngai, bo_y, cam_thanh, areas, make_area, make_user
):
    # given a Bờ Y viewer, and a Cẩm Thành area that submitted
    viewer = make_user("boy_viewer", Role.VIEWER, (bo_y,))
    _submission(form, make_area(cam_thanh, "Tổ dân phố 1"), SubmissionStatus.SUBMITTED)
    # when they ask for the whole province
    report = completeness_get(form=form, period=Y2025, unit=quang_ngai, user=viewer)
    # then only Bờ Y and its areas are counted
    assert [row.unit.name for row in report.rows] == ["Xã Bờ Y"]
    assert report.totals == Figures(expected=4)


def test_history_counts_the_units_in_force_then(form, plei_kan, make_area, superuser):
    # given an area of the old town of Plei Kần that reported 2019
    area = make_area(plei_kan, "Tổ dân phố 1")
    _submission(form, area, SubmissionStatus.APPROVED, period="2019")
    kon_tum = Unit.objects.get(pk=plei_kan.ancestor_ids[0])
    # when Kon Tum's 2019 is asked
    report = completeness_get(form=form, period=period_parse("2019"), unit=kon_tum, user=superuser)
    # then its districts are the rows, and the area counts under Ngọc Hồi
    rows = {row.unit.name: row.figures for row in report.rows}
    assert rows["Huyện Ngọc Hồi"].approved == 1
    assert report.totals.approved == 1


def test_late_units_are_the_expected_ones_not_submitted_with_their_report_status(
    form, bo_y, areas, superuser
):
    # given the commune submitted, one area has a draft, one was returned, one did nothing
    _submission(form, bo_y, SubmissionStatus.SUBMITTED)
    _submission(form, areas[0], SubmissionStatus.DRAFT)
    _submission(form, areas[1], SubmissionStatus.RETURNED)
    # when
    late = late_units(form=form, period=Y2025, unit=bo_y, user=superuser)
    # then the three areas are listed with their parent and status
    assert [(u.name, u.parent.name, u.submission_status) for u in late] == [
        ("Thôn Một", "Xã Bờ Y", "draft"),
        ("Thôn Hai", "Xã Bờ Y", "returned"),
        ("Thôn Ba", "Xã Bờ Y", None),
    ]


def test_the_report_says_whether_the_due_date_has_passed(form, bo_y, superuser):
    # given the due date 31/8/2025
    before = completeness_get(
        form=form, period=Y2025, unit=bo_y, user=superuser, today=date(2025, 8, 31)
    )
    after = completeness_get(
        form=form, period=Y2025, unit=bo_y, user=superuser, today=date(2025, 9, 1)
    )
    # then the due day itself is not past due, the day after is
    assert (before.due_date, before.is_past_due, after.is_past_due) == (
        date(2025, 8, 31), False, True,
    )  # fmt: skip


def test_the_demo_fills_reports_once_and_leaves_bo_ys_own_report_of_this_year_empty(
    demo, superuser
):
    from django.utils import timezone

    from phongtrao.catalog.models import ReportForm
    from phongtrao.demo import demo_create

    # given the demo (`demo`: run once), run twice as administrators do
    count = Submission.objects.count()
    demo_create()
    # when Bờ Y's completeness of this year is asked
    form = ReportForm.objects.get(code="FESTIVAL")
    year = period_parse(str(timezone.localdate().year))
    bo_y = Unit.objects.get(code="23377", kind=UnitKind.COMMUNE, valid_to=None)
    report = completeness_get(form=form, period=year, unit=bo_y, user=superuser)
    # then nothing was added the second time, and the figures the browser test starts from hold
    assert Submission.objects.count() == count
    assert report.rows[0].figures == Figures(expected=1)
    # (on time or not depends on the day the demo ran, so it is not asserted)
    totals = report.totals
    assert (totals.expected, totals.submitted, totals.approved) == (8, 2, 1)
