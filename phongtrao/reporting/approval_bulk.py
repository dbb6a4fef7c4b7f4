"""Approving many reports at once, from the completeness page (as DHIS2's approval app does).

All or nothing: the approver ticked the reports after reading the page, so if one of them cannot
be approved any more (sent back meanwhile, withdrawn, not theirs to approve), approving the
others silently would leave them believing the whole selection went through. Nothing is
approved then, and the message names every unit refused and why; they reload and choose again.
Each report passes the rules of one approval (`workflow.approval_check`) and ends as one
approval leaves it (status, approver, approving unit, comment, version, its values approved, an
audit event, its unit told); the writes are set based, so the queries do not grow with the
number of reports.
"""

from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from phongtrao.core.audit import audit_record_many, snapshot
from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.roles import Role
from phongtrao.notifications.models import NotificationKind
from phongtrao.reporting.approvers import approver_reach
from phongtrao.reporting.models import Submission, SubmissionStatus
from phongtrao.reporting.notify import reports_reviewed_notify
from phongtrao.reporting.value_states import reports_grouped, value_states_approve
from phongtrao.reporting.workflow import approval_check, submission_event, version_conflict

RELATED = ("unit", "form", "submitted_by")


@transaction.atomic
def submissions_approve_many(
    *, actor: Any, submission_ids: list[int], comment: str = ""
) -> list[Submission]:
    """Approve every report named, with one comment for all, or none of them."""
    if not actor.has_role(Role.APPROVER):
        raise AppError(ErrorCode.FORBIDDEN, _("Only an approver can do this."))
    wanted = set(submission_ids)
    if not wanted:
        raise AppError(ErrorCode.INVALID, _("Choose at least one report to approve."))
    submissions = list(
        Submission.objects.visible_to(actor)
        .filter(pk__in=wanted)
        .select_related(*RELATED)
        .order_by("unit__path", "pk")
    )
    if len(submissions) != len(wanted):
        # A report out of the approver's units answers as a missing one, never named.
        raise AppError(ErrorCode.NOT_FOUND, _("Report not found."))
    # The approver's units and what they took over are read once for every report.
    reach = None if actor.is_superuser else approver_reach(actor)
    acting, refused = {}, []
    for submission in submissions:
        try:
            acting[submission.pk] = approval_check(actor=actor, submission=submission, reach=reach)
        except AppError as exc:
            refused.append(
                _("%(unit)s: %(reason)s") % {"unit": submission.unit.name, "reason": exc.message}
            )
    if refused:
        raise AppError(
            ErrorCode.INVALID,
            _("No report was approved: these cannot be approved."),
            refused,
        )
    befores = {s.pk: snapshot(s) for s in submissions}
    _approve(actor, submissions, acting, comment.strip())
    approved = list(
        Submission.objects.filter(pk__in=wanted)
        .select_related(*RELATED)
        .order_by("unit__path", "pk")
    )
    for (form_id, period), unit_ids in reports_grouped(
        (s.form_id, s.unit_id, s.period) for s in approved
    ).items():
        value_states_approve(form_id=form_id, period=period, unit_ids=unit_ids)
    audit_record_many(
        submission_event(actor=actor, submission=s, before=befores[s.pk]) for s in approved
    )
    reports_reviewed_notify(
        actor=actor, submissions=approved, kind=NotificationKind.APPROVED, text=comment
    )
    return approved


def _approve(actor: Any, submissions: list[Submission], acting: dict, comment: str) -> None:
    """One UPDATE per approving unit (usually one), each report at the version read: a report
    changed meanwhile is a conflict, and nothing is approved."""
    groups: dict[Any, list[Submission]] = {}
    for submission in submissions:
        groups.setdefault(acting[submission.pk], []).append(submission)
    now, updated = timezone.now(), 0
    for unit, group in groups.items():
        unchanged = Q(pk__in=[])
        for submission in group:
            unchanged |= Q(pk=submission.pk, version=submission.version)
        updated += Submission.objects.filter(unchanged).update(
            version=F("version") + 1, status=SubmissionStatus.APPROVED, approved_at=now,
            approved_by=actor, approved_unit=unit, approved_comment=comment,
        )  # fmt: skip
    if updated != len(submissions):
        raise version_conflict()
