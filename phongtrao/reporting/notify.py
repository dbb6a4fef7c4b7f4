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
from phongtrao.notifications.services import (
    ReportRef,
    notifications_send,
    notifications_send_many,
)
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


def unit_senders(*, submissions: list[Submission]) -> dict[int, list[Any]]:
    """Per report: the active users who enter its unit's data, and its sender if still in
    scope. One query for all the reports' units, and one per sender for their scope."""
    held = (
        User.units.through.objects.filter(
            unit_id__in={s.unit_id for s in submissions},
            user__role__in=ENTERING_ROLES,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user_id")
    )
    by_unit: dict[int, list[Any]] = {}
    for row in held:
        by_unit.setdefault(row.unit_id, []).append(row.user)
    senders: dict[int, Any] = {}  # one object per sender, so that its scope is read once
    found = {}
    for submission in submissions:
        users = list(by_unit.get(submission.unit_id, []))
        sender = submission.submitted_by
        if sender is not None:
            sender = senders.setdefault(sender.pk, sender)
            if sender.is_active and in_scope(sender, submission.unit):
                users.append(sender)
        found[submission.pk] = users
    return found


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
    reports_reviewed_notify(actor=actor, submissions=[submission], kind=kind, text=text)


def reports_reviewed_notify(
    *, actor: Any, submissions: list[Submission], kind: str, text: str
) -> None:
    """`report_reviewed_notify` for many reports reviewed at once, in one insert."""
    told = unit_senders(submissions=submissions)
    notifications_send_many(
        actor=actor,
        kind=kind,
        told=[(report_ref(s), told[s.pk]) for s in submissions],
        text=text,
    )
