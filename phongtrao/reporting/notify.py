"""Who is told of a report's step, called by the workflow's services in their transaction.

A report sent: the approvers of the level above that reviews it (`approvers.report_approvers`,
the workflow's own rule). A report returned, approved or its approval withdrawn: the people who
enter the unit's data (data entry and above, holding the unit itself) and whoever sent it.
"""

from typing import Any

from django.urls import reverse

from phongtrao.accounts.models import User
from phongtrao.core.roles import ROLE_RANK, Role
from phongtrao.notifications.models import NotificationKind
from phongtrao.notifications.services import ReportRef, notifications_send
from phongtrao.reporting.approvers import report_approvers
from phongtrao.reporting.models import Submission
from phongtrao.units.scope import in_scope

ENTERING_ROLES = [r for r in Role.values if ROLE_RANK[r] >= ROLE_RANK[Role.DATA_ENTRY]]


def report_ref(submission: Submission) -> ReportRef:
    return ReportRef(
        unit=submission.unit,
        form=submission.form,
        period=submission.period,
        link=reverse(
            "reporting:entry",
            args=[submission.form.code, submission.unit_id, submission.period],
        ),
    )


def unit_senders(*, submission: Submission) -> list[Any]:
    """The active users who enter the unit's data, and the report's sender if still in scope."""
    users = list(
        User.objects.filter(units=submission.unit, role__in=ENTERING_ROLES, is_active=True)
        .distinct()
        .order_by("pk")
    )
    sender = submission.submitted_by
    if sender is not None and sender.is_active and in_scope(sender, submission.unit):
        users.append(sender)
    return users


def report_sent_notify(*, actor: Any, submission: Submission) -> None:
    notifications_send(
        actor=actor,
        recipients=report_approvers(unit=submission.unit),
        kind=NotificationKind.SUBMITTED,
        report=report_ref(submission),
        text=submission.comment,
    )


def report_reviewed_notify(*, actor: Any, submission: Submission, kind: str, text: str) -> None:
    """Returned, approved or approval withdrawn: told to the unit, with the reviewer's words."""
    notifications_send(
        actor=actor,
        recipients=unit_senders(submission=submission),
        kind=kind,
        report=report_ref(submission),
        text=text,
    )
