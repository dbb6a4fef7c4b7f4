"""What the approver sees of a report and what the sender may still do with it (issue 20)."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.roles import Role
from phongtrao.reporting.models import Submission, SubmissionStatus
from phongtrao.reporting.services import data_value_save
from phongtrao.reporting.workflow import (
    submission_approve,
    submission_open,
    submission_return,
    submission_submit,
    submission_withdraw,
)

pytestmark = pytest.mark.django_db

EXPLANATION = "Mưa lớn, nhiều điểm tổ chức nhỏ."


def _entry(form, unit, period="2024"):
    return reverse("reporting:entry", args=[form.code, unit.pk, period])


def _fill(clerk, form, unit, indicators, **values):
    for code, raw in values.items():
        data_value_save(
            actor=clerk, form=form, unit=unit, period="2024", indicator=indicators[code],
            raw_value=raw, expected_version=None,
        )  # fmt: skip


@pytest.fixture
def explained(form, bo_y, clerk, indicators):
    """A report sent with a warning (fewer participants than events), explained."""
    _fill(clerk, form, bo_y, indicators, FESTIVAL_EVENTS="5", FESTIVAL_PARTICIPANTS="2")
    submission = submission_open(actor=clerk, form=form, unit=bo_y, period="2024")
    return submission_submit(
        actor=clerk, submission=submission, expected_version=1, warning_comment=EXPLANATION
    )


def test_the_approver_sees_the_explanation_and_who_sent_the_report(
    client, form, bo_y, clerk, province_approver, explained
):
    # given a report sent by the clerk at 10:30 (Vietnam time) on 15/01/2025, explained
    Submission.objects.filter(pk=explained.pk).update(
        submitted_at=datetime(2025, 1, 15, 3, 30, tzinfo=UTC)
    )
    # when the approver opens it
    client.force_login(province_approver)
    page = client.get(_entry(form, bo_y)).content.decode()
    # then the explanation and the sender are on the screen
    assert f"<strong>Giải trình:</strong> {EXPLANATION}" in page
    assert "Gửi bởi boy_clerk lúc 15/01/2025 10:30" in page


def test_the_explanation_is_kept_when_the_report_is_sent_again_without_one(
    form, bo_y, clerk, indicators, province_approver, explained
):
    # given the explained report returned and its warning fixed
    returned = submission_return(
        actor=province_approver, submission=explained, expected_version=2, reason="Kiểm tra lại"
    )
    data_value_save(
        actor=clerk, form=form, unit=bo_y, period="2024",
        indicator=indicators["FESTIVAL_PARTICIPANTS"], raw_value="50", expected_version=1,
    )  # fmt: skip
    # when it is sent again with no explanation
    again = submission_submit(actor=clerk, submission=returned, expected_version=3)
    # then the last explanation is still there
    assert (again.status, again.comment) == (SubmissionStatus.SUBMITTED, EXPLANATION)


def test_the_return_reason_is_gone_once_the_report_is_sent_again_and_approved(
    client, form, bo_y, clerk, province_approver, explained
):
    # given a report returned with a reason
    returned = submission_return(
        actor=province_approver, submission=explained, expected_version=2, reason="Thiếu số liệu"
    )
    client.force_login(clerk)
    assert "Lý do trả lại: Thiếu số liệu" in client.get(_entry(form, bo_y)).content.decode()
    # when it is sent again, then approved
    sent = submission_submit(
        actor=clerk, submission=returned, expected_version=3, warning_comment=EXPLANATION
    )
    # then the reason is no longer shown, neither while it waits nor once approved
    assert "Thiếu số liệu" not in client.get(_entry(form, bo_y)).content.decode()
    submission_approve(actor=province_approver, submission=sent, expected_version=4)
    page = client.get(_entry(form, bo_y)).content.decode()
    assert "Thiếu số liệu" not in page
    assert "Lý do trả lại" not in page


def _states(bo_y):
    from phongtrao.reporting.models import DataValue

    return sorted(
        DataValue.objects.filter(unit=bo_y, period="2024").values_list("indicator__code", "state")
    )


def _events(submission):
    from phongtrao.core.models import AuditEvent

    return AuditEvent.objects.filter(
        object_id=str(submission.pk), content_type__model="submission"
    ).count()


def test_the_sender_withdraws_a_report_not_yet_reviewed(bo_y, clerk, explained):
    # given a report sent (version 2), its values submitted, audited twice (opened, sent)
    assert _states(bo_y) == [
        ("FESTIVAL_EVENTS", "submitted"),
        ("FESTIVAL_PARTICIPANTS", "submitted"),
    ]
    assert _events(explained) == 2
    # when its sender withdraws it
    withdrawn = submission_withdraw(actor=clerk, submission=explained, expected_version=2)
    # then it is a draft again, its values drafts, the explanation kept, the step audited
    assert (withdrawn.status, withdrawn.version, withdrawn.comment) == (
        SubmissionStatus.DRAFT, 3, EXPLANATION,
    )  # fmt: skip
    assert _states(bo_y) == [("FESTIVAL_EVENTS", "draft"), ("FESTIVAL_PARTICIPANTS", "draft")]
    assert _events(explained) == 3


def test_an_approved_report_cannot_be_withdrawn(bo_y, clerk, province_approver, explained):
    # given an approved report
    approved = submission_approve(actor=province_approver, submission=explained, expected_version=2)
    # when its sender tries to withdraw it
    with pytest.raises(AppError) as error:
        submission_withdraw(actor=clerk, submission=approved, expected_version=3)
    # then it is refused and nothing changed
    assert error.value.code == ErrorCode.CONFLICT
    assert error.value.message == "Chỉ rút lại được báo cáo đã gửi mà chưa được xem xét."
    approved.refresh_from_db()
    assert (approved.status, approved.version) == (SubmissionStatus.APPROVED, 3)
    assert _states(bo_y) == [("FESTIVAL_EVENTS", "approved"), ("FESTIVAL_PARTICIPANTS", "approved")]
    assert _events(explained) == 3


def test_a_reader_cannot_withdraw_a_report(bo_y, make_user, explained):
    # given a read-only user of the commune
    reader = make_user("boy_reader", Role.VIEWER, (bo_y,))
    # when they try to withdraw its sent report
    with pytest.raises(AppError) as error:
        submission_withdraw(actor=reader, submission=explained, expected_version=2)
    # then it is forbidden and nothing changed
    assert error.value.code == ErrorCode.FORBIDDEN
    explained.refresh_from_db()
    assert (explained.status, explained.version) == (SubmissionStatus.SUBMITTED, 2)
    assert _states(bo_y) == [
        ("FESTIVAL_EVENTS", "submitted"),
        ("FESTIVAL_PARTICIPANTS", "submitted"),
    ]
    assert _events(explained) == 2


def test_the_sender_withdraws_from_the_entry_screen(client, form, bo_y, clerk, explained):
    # given the sender on the screen of the sent report, which offers "Rút lại"
    client.force_login(clerk)
    assert 'id="withdraw"' in client.get(_entry(form, bo_y)).content.decode()
    # when they press it
    action = reverse("reporting:action", args=[form.code, bo_y.pk, "2024"])
    response = client.post(action, {"action": "withdraw", "version": 2}, follow=True)
    # then the report is a draft again and the screen says so
    explained.refresh_from_db()
    assert (explained.status, explained.version) == (SubmissionStatus.DRAFT, 3)
    assert "Đã rút lại báo cáo: báo cáo trở lại thành bản nháp." in response.content.decode()
    assert 'id="withdraw"' not in response.content.decode()


def test_a_value_for_a_unit_kind_the_form_does_not_cover_is_refused(
    form, bo_y, clerk, indicators, make_area
):
    # given a school under the commune, and a form for provinces, communes and residential areas
    from phongtrao.reporting.models import DataValue
    from phongtrao.units.models import UnitKind

    school = make_area(bo_y, name="Trường Tiểu học Bờ Y", kind=UnitKind.SCHOOL)
    # when a value is saved for the school through the service
    with pytest.raises(AppError) as error:
        data_value_save(
            actor=clerk, form=form, unit=school, period="2024",
            indicator=indicators["SCHEMES_NEW"], raw_value="2", expected_version=None,
        )  # fmt: skip
    # then it is refused in Vietnamese and nothing is stored
    assert error.value.code == ErrorCode.INVALID
    assert error.value.message == (
        "Biểu mẫu Biểu thử không dành cho đơn vị loại cơ sở giáo dục như Trường Tiểu học Bờ Y."
    )
    assert not DataValue.objects.filter(unit=school).exists()


def test_the_entry_screen_of_a_unit_kind_the_form_does_not_cover_is_closed(
    client, form, bo_y, clerk, make_area
):
    from phongtrao.units.models import UnitKind

    school = make_area(bo_y, name="Trường Tiểu học Bờ Y", kind=UnitKind.SCHOOL)
    client.force_login(clerk)
    response = client.get(_entry(form, school))
    assert response.context["editable"] is False
    assert response.context["closed_reason"] == (
        "Biểu mẫu Biểu thử không dành cho đơn vị loại cơ sở giáo dục như Trường Tiểu học Bờ Y."
    )


def test_the_screen_offers_no_withdrawal_of_an_approval_the_level_may_not_withdraw(
    client, form, bo_y, make_area, make_user, province_approver
):
    # given a residential area's report approved by the province
    area = make_area(bo_y)
    area_clerk = make_user("area_clerk", Role.DATA_ENTRY, (area,))
    commune_approver = make_user("boy_approver", Role.APPROVER, (bo_y,))
    report = submission_open(actor=area_clerk, form=form, unit=area, period="2024")
    submission_submit(actor=area_clerk, submission=report, expected_version=1)
    submission_approve(actor=province_approver, submission=report, expected_version=2)
    # when the commune's approver, above the area but below the province, opens it
    client.force_login(commune_approver)
    response = client.get(_entry(form, area))
    # then the workflow offers only reopening, and the screen no "Hủy phê duyệt" button
    assert response.context["actions"] == frozenset({"reopen"})
    assert "Hủy phê duyệt" not in response.content.decode()
    # while the province that approved it is offered the withdrawal
    client.force_login(province_approver)
    response = client.get(_entry(form, area))
    assert response.context["actions"] == frozenset({"reopen", "unapprove"})
    assert "Hủy phê duyệt" in response.content.decode()


def test_the_approver_of_a_sent_report_is_offered_review_not_withdrawal(
    client, form, bo_y, province_approver, explained
):
    # given a commune's sent report
    # when the province's approver opens it
    client.force_login(province_approver)
    response = client.get(_entry(form, bo_y))
    # then they may approve or return it (or reopen entry), not take it back as its sender
    assert response.context["actions"] == frozenset({"reopen", "approve", "return"})
    assert 'id="withdraw"' not in response.content.decode()


def test_the_approval_is_given_with_a_comment_from_the_report_screen(
    client, form, bo_y, province_approver, explained
):
    # given the approver on the sent report's screen
    client.force_login(province_approver)
    url = reverse("reporting:action", args=[form.code, bo_y.pk, "2024"])
    # when they approve it with a comment
    client.post(url, {"action": "approve", "version": 2, "text": "Số liệu khớp sổ."})
    # then the report is approved with the comment
    explained.refresh_from_db()
    assert (explained.status, explained.approved_comment) == ("approved", "Số liệu khớp sổ.")


def test_the_screen_says_who_approved_the_report_when_and_their_comment(
    client, form, bo_y, clerk, province_approver, explained
):
    # given the report approved at 09:05 (Vietnam time) on 20/01/2025 with a comment
    submission_approve(
        actor=province_approver, submission=explained, expected_version=2, comment="Đạt yêu cầu"
    )
    Submission.objects.filter(pk=explained.pk).update(
        approved_at=datetime(2025, 1, 20, 2, 5, tzinfo=UTC)
    )
    # when the clerk opens it
    client.force_login(clerk)
    page = client.get(_entry(form, bo_y)).content.decode()
    # then who approved it, when, and the comment are shown
    assert "Duyệt bởi qn_approver lúc 20/01/2025 09:05" in page
    assert "<strong>Ý kiến của người duyệt:</strong> Đạt yêu cầu" in page


def test_the_screen_says_who_returned_the_report_and_when_only_while_returned(
    client, form, bo_y, clerk, province_approver, explained
):
    # given the report returned at 14:00 (Vietnam time) on 18/01/2025
    returned = submission_return(
        actor=province_approver, submission=explained, expected_version=2, reason="Thiếu"
    )
    Submission.objects.filter(pk=explained.pk).update(
        returned_at=datetime(2025, 1, 18, 7, 0, tzinfo=UTC)
    )
    client.force_login(clerk)
    # then while it is returned the screen says who returned it and when
    assert (
        "Trả lại bởi qn_approver lúc 18/01/2025 14:00"
        in client.get(_entry(form, bo_y)).content.decode()
    )
    # and once sent again it no longer does
    submission_submit(
        actor=clerk, submission=returned, expected_version=3, warning_comment=EXPLANATION
    )
    assert "Trả lại bởi" not in client.get(_entry(form, bo_y)).content.decode()
