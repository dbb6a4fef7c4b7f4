import pytest

from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.models import AuditEvent
from phongtrao.reporting.models import DataValue, SubmissionStatus
from phongtrao.reporting.services import data_value_save
from phongtrao.reporting.workflow import (
    submission_actions,
    submission_approve,
    submission_open,
    submission_return,
    submission_submit,
    submission_unapprove,
)

pytestmark = pytest.mark.django_db


def _fill(clerk, form, unit, indicators, **values):
    for code, raw in values.items():
        data_value_save(
            actor=clerk, form=form, unit=unit, period="2024", indicator=indicators[code],
            raw_value=raw, expected_version=None,
        )  # fmt: skip


@pytest.fixture
def submission(form, bo_y, clerk):
    return submission_open(actor=clerk, form=form, unit=bo_y, period="2024")


def test_a_report_breaking_an_error_rule_cannot_be_submitted(
    submission, form, bo_y, clerk, indicators
):
    # given more replicated models than maintained and new ones together
    _fill(clerk, form, bo_y, indicators, SCHEMES_MAINTAINED="3", SCHEMES_NEW="1",
          SCHEMES_REPLICATED="9")  # fmt: skip
    # when submitting
    with pytest.raises(AppError) as error:
        submission_submit(actor=clerk, submission=submission, expected_version=1)
    # then the rule's message is given and the report stays a draft
    assert error.value.details == [
        "Số mô hình nhân rộng không được lớn hơn số mô hình duy trì và xây mới."
    ]
    submission.refresh_from_db()
    assert (submission.status, submission.version) == (SubmissionStatus.DRAFT, 1)


def test_a_warning_needs_a_comment(submission, form, bo_y, clerk, indicators):
    _fill(clerk, form, bo_y, indicators, FESTIVAL_EVENTS="5", FESTIVAL_PARTICIPANTS="2")
    with pytest.raises(AppError) as error:
        submission_submit(actor=clerk, submission=submission, expected_version=1)
    assert error.value.details == ["Số người tham dự ít hơn số điểm tổ chức Ngày hội."]
    submitted = submission_submit(
        actor=clerk, submission=submission, expected_version=1,
        warning_comment="Mưa lớn, nhiều điểm tổ chức nhỏ.",
    )  # fmt: skip
    assert (submitted.status, submitted.comment) == (
        SubmissionStatus.SUBMITTED,
        "Mưa lớn, nhiều điểm tổ chức nhỏ.",
    )


def test_the_province_approves_what_a_commune_submitted(
    submission, form, bo_y, clerk, indicators, province_approver
):
    _fill(clerk, form, bo_y, indicators, SCHEMES_NEW="2")
    submission_submit(actor=clerk, submission=submission, expected_version=1)
    approved = submission_approve(
        actor=province_approver, submission=submission, expected_version=2
    )
    assert (approved.status, approved.approved_by, approved.version) == (
        SubmissionStatus.APPROVED,
        province_approver,
        3,
    )
    assert (
        AuditEvent.objects.filter(
            object_id=str(submission.pk), content_type__model="submission"
        ).count()
        == 3
    )


def test_nobody_approves_their_own_unit(submission, form, bo_y, clerk, make_user):
    submission_submit(actor=clerk, submission=submission, expected_version=1)
    own_approver = make_user("boy_approver", "approver", (bo_y,))
    with pytest.raises(AppError) as error:
        submission_approve(actor=own_approver, submission=submission, expected_version=2)
    assert error.value.code == ErrorCode.FORBIDDEN
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED


def test_two_approvers_acting_at_once_cannot_both_win(
    submission, clerk, province_approver, make_user, quang_ngai
):
    submission_submit(actor=clerk, submission=submission, expected_version=1)
    second = make_user("qn_approver2", "approver", (quang_ngai,))
    submission_approve(actor=province_approver, submission=submission, expected_version=2)
    with pytest.raises(AppError) as error:
        submission_return(actor=second, submission=submission, expected_version=2, reason="Sai")
    assert error.value.code == ErrorCode.CONFLICT
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.APPROVED


def test_a_returned_report_carries_its_reason_and_opens_again(
    submission, form, bo_y, clerk, indicators, province_approver
):
    submission_submit(actor=clerk, submission=submission, expected_version=1)
    returned = submission_return(
        actor=province_approver, submission=submission, expected_version=2,
        reason="Thiếu số liệu mô hình",
    )  # fmt: skip
    assert (returned.status, returned.returned_reason) == (
        SubmissionStatus.RETURNED,
        "Thiếu số liệu mô hình",
    )
    _fill(clerk, form, bo_y, indicators, SCHEMES_NEW="1")


def test_un_approving_needs_a_reason_and_unlocks(submission, clerk, province_approver):
    submission_submit(actor=clerk, submission=submission, expected_version=1)
    submission_approve(actor=province_approver, submission=submission, expected_version=2)
    with pytest.raises(AppError):
        submission_unapprove(
            actor=province_approver, submission=submission, expected_version=3, reason=" "
        )
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.APPROVED
    reopened = submission_unapprove(
        actor=province_approver, submission=submission, expected_version=3, reason="Sửa số"
    )
    assert (reopened.status, reopened.approved_by) == (SubmissionStatus.RETURNED, None)


def test_a_submitted_report_cannot_be_edited(submission, form, bo_y, clerk, indicators):
    submission_submit(actor=clerk, submission=submission, expected_version=1)
    with pytest.raises(AppError) as error:
        _fill(clerk, form, bo_y, indicators, SCHEMES_NEW="1")
    assert error.value.code == ErrorCode.CONFLICT


@pytest.fixture
def plei_kan_approved(form, plei_kan, clerk, indicators, province_approver):
    """Thị trấn Plei Kần's 2024 report, SCHEMES_NEW = 6, approved by the province."""
    _fill(clerk, form, plei_kan, indicators, SCHEMES_NEW="6")
    report = submission_open(actor=clerk, form=form, unit=plei_kan, period="2024")
    submission_submit(actor=clerk, submission=report, expected_version=1)
    return submission_approve(actor=province_approver, submission=report, expected_version=2)


@pytest.fixture
def commune_approver(make_user, bo_y):
    return make_user("boy_approver", "approver", (bo_y,))


def test_the_approval_records_the_unit_that_gave_it(plei_kan_approved, quang_ngai):
    # given the province's approval of Plei Kần's report (fixture)
    # then the report keeps the province as the level that approved it
    assert plei_kan_approved.approved_unit == quang_ngai


def test_a_successor_commune_cannot_withdraw_its_predecessors_province_approval(
    plei_kan_approved, commune_approver, plei_kan, indicators
):
    # given the approver of Xã Bờ Y, whose scope reaches Plei Kần through the 2025 succession
    # when they withdraw the province's approval of Plei Kần's 2024 report
    with pytest.raises(AppError) as error:
        submission_unapprove(
            actor=commune_approver, submission=plei_kan_approved, expected_version=3,
            reason="Sửa số",
        )  # fmt: skip
    # then it is refused, and the report and its value are as the province approved them
    assert error.value.code == ErrorCode.FORBIDDEN
    plei_kan_approved.refresh_from_db()
    assert (plei_kan_approved.status, plei_kan_approved.version) == (SubmissionStatus.APPROVED, 3)
    value = DataValue.objects.get(unit=plei_kan, period="2024", indicator=indicators["SCHEMES_NEW"])
    assert (value.value, value.version) == ("6", 1)


def test_a_successor_commune_cannot_approve_its_predecessors_report(
    form, plei_kan, clerk, commune_approver
):
    # given Plei Kần's 2024 report, submitted
    report = submission_open(actor=clerk, form=form, unit=plei_kan, period="2024")
    submission_submit(actor=clerk, submission=report, expected_version=1)
    # when the approver of its successor commune approves it
    with pytest.raises(AppError) as error:
        submission_approve(actor=commune_approver, submission=report, expected_version=2)
    # then it is refused: a commune is not above a commune
    assert error.value.code == ErrorCode.FORBIDDEN
    report.refresh_from_db()
    assert (report.status, report.version, report.approved_unit) == (
        SubmissionStatus.SUBMITTED, 2, None,
    )  # fmt: skip


def test_the_province_withdraws_its_approval_of_a_predecessor_report(
    plei_kan_approved, province_approver
):
    # when the province approver withdraws the approval it gave
    returned = submission_unapprove(
        actor=province_approver, submission=plei_kan_approved, expected_version=3,
        reason="Sửa số",
    )  # fmt: skip
    # then the report goes back to the unit and no approving level is left
    assert (returned.status, returned.version, returned.approved_unit) == (
        SubmissionStatus.RETURNED, 4, None,
    )  # fmt: skip


def test_a_level_below_the_approving_one_cannot_withdraw_the_approval(
    form, bo_y, make_area, make_user, province_approver, commune_approver
):
    # given a residential area's report approved by the province
    area = make_area(bo_y)
    area_clerk = make_user("area_clerk", "data_entry", (area,))
    report = submission_open(actor=area_clerk, form=form, unit=area, period="2024")
    submission_submit(actor=area_clerk, submission=report, expected_version=1)
    submission_approve(actor=province_approver, submission=report, expected_version=2)
    # when the commune's approver, above the area but below the province, withdraws it
    with pytest.raises(AppError) as error:
        submission_unapprove(
            actor=commune_approver, submission=report, expected_version=3, reason="Sửa số"
        )
    # then it is refused and the approval stands
    assert error.value.code == ErrorCode.FORBIDDEN
    report.refresh_from_db()
    assert (report.status, report.version) == (SubmissionStatus.APPROVED, 3)


def test_the_commune_approves_and_withdraws_its_areas_report(
    form, bo_y, make_area, make_user, commune_approver
):
    # given a residential area's report approved by its commune
    area = make_area(bo_y)
    area_clerk = make_user("area_clerk", "data_entry", (area,))
    report = submission_open(actor=area_clerk, form=form, unit=area, period="2024")
    submission_submit(actor=area_clerk, submission=report, expected_version=1)
    approved = submission_approve(actor=commune_approver, submission=report, expected_version=2)
    assert approved.approved_unit == bo_y
    # when the commune withdraws it
    returned = submission_unapprove(
        actor=commune_approver, submission=report, expected_version=3, reason="Sửa số"
    )
    # then the report is back with the area
    assert (returned.status, returned.version) == (SubmissionStatus.RETURNED, 4)


def test_the_steps_offered_on_an_approved_report_read_the_approvers_units_once(
    submission, clerk, province_approver, django_assert_num_queries
):
    # given Bờ Y's report approved by the province
    sent = submission_submit(actor=clerk, submission=submission, expected_version=1)
    approved = submission_approve(actor=province_approver, submission=sent, expected_version=2)
    approver = type(province_approver).objects.get(pk=province_approver.pk)
    # when the entry screen asks which steps the province approver may take
    # then their scope, their units and the successions those took over are read once each
    # (the approving unit found once, and the withdrawal checked with it), and the unit that
    # approved the report
    with django_assert_num_queries(4):
        actions = submission_actions(actor=approver, unit=approved.unit, submission=approved)
    assert actions == frozenset({"reopen", "unapprove"})
