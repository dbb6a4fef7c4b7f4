"""What the approver sees of a report and what the sender may still do with it (issue 20)."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from phongtrao.reporting.models import Submission, SubmissionStatus
from phongtrao.reporting.services import data_value_save
from phongtrao.reporting.workflow import (
    submission_approve,
    submission_open,
    submission_return,
    submission_submit,
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
