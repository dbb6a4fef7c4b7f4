"""Who the workflow tells of each step of a report (reporting/notify.py), in its transaction."""

import pytest

from phongtrao.core.errors import AppError
from phongtrao.core.roles import Role
from phongtrao.notifications.models import Notification
from phongtrao.reporting.services import data_value_save
from phongtrao.reporting.workflow import (
    submission_approve,
    submission_open,
    submission_return,
    submission_submit,
    submission_unapprove,
)

pytestmark = pytest.mark.django_db


def _told() -> list[tuple[str, str, str]]:
    return sorted(
        Notification.objects.values_list("recipient__username", "kind", "text").order_by()
    )


@pytest.fixture
def people(make_user, bo_y, cam_thanh, quang_ngai):
    """Who could be told of Bờ Y's report, and some who must not be."""
    return {
        "viewer": make_user("boy_viewer", Role.VIEWER, (bo_y,)),
        "commune_approver": make_user("boy_approver", Role.APPROVER, (bo_y,)),
        "cam_thanh_approver": make_user("ct_approver", Role.APPROVER, (cam_thanh,)),
        "province_clerk": make_user("qn_clerk", Role.DATA_ENTRY, (quang_ngai,)),
    }


@pytest.fixture
def sent(form, bo_y, clerk, indicators, province_approver, people):
    data_value_save(
        actor=clerk, form=form, unit=bo_y, period="2024", indicator=indicators["SCHEMES_NEW"],
        raw_value="3", expected_version=None,
    )  # fmt: skip
    submission = submission_open(actor=clerk, form=form, unit=bo_y, period="2024")
    return submission_submit(actor=clerk, submission=submission, expected_version=1)


def test_a_sent_report_is_told_to_the_approvers_of_the_level_above(sent):
    # given Bờ Y's report sent by its clerk (in the fixture)
    # then only the province's approver is told: not the commune's own approver, nor Cẩm
    # Thành's, nor the viewer, nor the sender
    assert _told() == [("qn_approver", "submitted", "")]
    notification = Notification.objects.get()
    assert notification.link == f"/reporting/entry/TEST_YEARLY/{sent.unit_id}/2024/"
    assert (notification.unit_id, notification.form_id, notification.period) == (
        sent.unit_id, sent.form_id, "2024",
    )  # fmt: skip


def test_an_area_report_is_told_to_the_commune_approver_the_first_level_above(
    form, bo_y, make_area, make_user, province_approver, people
):
    # given a residential area of Bờ Y and its own clerk
    area = make_area(bo_y)
    area_clerk = make_user("area_clerk", Role.DATA_ENTRY, (area,))
    submission = submission_open(actor=area_clerk, form=form, unit=area, period="2024")
    # when the area sends its report
    submission_submit(actor=area_clerk, submission=submission, expected_version=1)
    # then the commune's approver is told, the level that reviews it first
    assert _told() == [("boy_approver", "submitted", "")]


def test_a_returned_report_is_told_to_those_who_enter_the_units_data(
    sent, clerk, other_clerk, province_approver
):
    # given the sent report (one notification to the approver)
    Notification.objects.all().delete()
    # when the province returns it with a reason
    submission_return(
        actor=province_approver, submission=sent, expected_version=2, reason="Thiếu số liệu"
    )
    # then Bờ Y's users who enter data (its approver ranks above data entry) are told, with the
    # reason; not its viewer, not the province clerk
    assert _told() == [
        ("boy_approver", "returned", "Thiếu số liệu"),
        ("boy_clerk", "returned", "Thiếu số liệu"),
        ("boy_clerk2", "returned", "Thiếu số liệu"),
    ]


def test_an_approval_is_told_with_the_approvers_comment(
    sent, clerk, other_clerk, province_approver
):
    Notification.objects.all().delete()
    # when the province approves with a comment
    approved = submission_approve(
        actor=province_approver, submission=sent, expected_version=2, comment=" Số liệu tốt. "
    )
    # then the comment is kept on the report and told to the unit's clerks
    assert approved.approved_comment == "Số liệu tốt."
    assert _told() == [
        ("boy_approver", "approved", "Số liệu tốt."),
        ("boy_clerk", "approved", "Số liệu tốt."),
        ("boy_clerk2", "approved", "Số liệu tốt."),
    ]


def test_a_province_clerk_who_sent_a_communes_report_is_told_too(
    form, bo_y, clerk, province_approver, people
):
    # given Bờ Y's report sent by the province's clerk on the commune's behalf
    province_clerk = people["province_clerk"]
    submission = submission_open(actor=province_clerk, form=form, unit=bo_y, period="2024")
    sent = submission_submit(actor=province_clerk, submission=submission, expected_version=1)
    Notification.objects.all().delete()
    # when it is returned
    submission_return(actor=province_approver, submission=sent, expected_version=2, reason="Sai")
    # then the commune's clerk and the province clerk who sent it are told
    assert _told() == [
        ("boy_approver", "returned", "Sai"),
        ("boy_clerk", "returned", "Sai"),
        ("qn_clerk", "returned", "Sai"),
    ]


def test_a_return_records_who_returned_it_and_when(sent, province_approver):
    # when the report is returned
    returned = submission_return(
        actor=province_approver, submission=sent, expected_version=2, reason="Thiếu"
    )
    # then the report says who returned it, and when
    assert returned.returned_by == province_approver
    assert returned.returned_at is not None


def test_withdrawing_an_approval_clears_its_comment_and_tells_the_unit(
    sent, clerk, province_approver
):
    approved = submission_approve(
        actor=province_approver, submission=sent, expected_version=2, comment="Tốt"
    )
    Notification.objects.all().delete()
    # when the approval is withdrawn
    back = submission_unapprove(
        actor=province_approver, submission=approved, expected_version=3, reason="Soát lại"
    )
    # then the report is returned without the old comment, and the clerk is told
    assert (back.status, back.approved_comment, back.returned_by) == (
        "returned", "", province_approver,
    )  # fmt: skip
    assert _told() == [
        ("boy_approver", "unapproved", "Soát lại"),
        ("boy_clerk", "unapproved", "Soát lại"),
    ]


def test_a_refused_step_tells_nobody(sent, clerk, province_approver):
    Notification.objects.all().delete()
    # when the clerk tries to approve their own unit's report
    with pytest.raises(AppError):
        submission_approve(actor=clerk, submission=sent, expected_version=2)
    # then nobody is told and the report is unchanged
    sent.refresh_from_db()
    assert (_told(), sent.status, sent.version) == ([], "submitted", 2)


def test_an_inactive_user_is_not_told(sent, clerk, other_clerk, province_approver):
    Notification.objects.all().delete()
    other_clerk.is_active = False
    other_clerk.save(update_fields=["is_active"])
    # when the report is returned
    submission_return(actor=province_approver, submission=sent, expected_version=2, reason="X")
    # then the inactive clerk is not
    assert _told() == [("boy_approver", "returned", "X"), ("boy_clerk", "returned", "X")]


@pytest.mark.parametrize("approvers", [1, 5])
def test_sending_costs_the_same_queries_whatever_the_number_of_approvers_told(
    form, bo_y, clerk, quang_ngai, make_user, approvers, django_assert_num_queries
):
    # given one, or five, approvers of the province above Bờ Y
    for n in range(approvers):
        make_user(f"qn_approver_{n}", Role.APPROVER, (quang_ngai,))
    submission = submission_open(actor=clerk, form=form, unit=bo_y, period="2024")
    # when Bờ Y's clerk sends the report
    # then the approvers' units and the successions those took over are read once for all of
    # them, not once per approver
    with django_assert_num_queries(21):
        submission_submit(actor=clerk, submission=submission, expected_version=1)
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == [
        f"qn_approver_{n}" for n in range(approvers)
    ]
