"""Approving many reports at once, from the completeness page (as DHIS2's approval app does).

All or nothing: the approver ticked the reports after reading the page, so if one of them cannot
be approved any more (sent back meanwhile, withdrawn, not theirs to approve), approving the
others silently would leave them believing the whole selection went through. Nothing is
approved then, and the message names every unit refused and why; they reload and choose again.
Each report is approved by `workflow.submission_approve`, with its rules, its audit event and
its notification, exactly as one approval.
"""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.roles import Role
from phongtrao.reporting.approvers import approver_reach
from phongtrao.reporting.models import Submission
from phongtrao.reporting.workflow import submission_approve


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
        .select_related("unit", "form")
        .order_by("unit__path", "pk")
    )
    if len(submissions) != len(wanted):
        # A report out of the approver's units answers as a missing one, never named.
        raise AppError(ErrorCode.NOT_FOUND, _("Report not found."))
    # The approver's units and what they took over are read once for every report.
    reach = None if actor.is_superuser else approver_reach(actor)
    approved, refused = [], []
    for submission in submissions:
        try:
            approved.append(
                submission_approve(
                    actor=actor,
                    submission=submission,
                    expected_version=submission.version,
                    comment=comment,
                    reach=reach,
                )
            )
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
    return approved
