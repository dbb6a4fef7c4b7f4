"""A submission's life: draft -> submitted -> approved (locked), or returned with a reason.

Approval goes bottom-up: an approver approves what units below their own submitted, never
their own unit's report nor one of a unit their own only succeeded at the same level; the
report keeps the unit that approved, and only that level or a higher one withdraws it.
Every step bumps the version so two people cannot both act on the same state, and every step
is audited.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from phongtrao.catalog.models import ReportForm
from phongtrao.catalog.rules import rule_check
from phongtrao.catalog.selectors import form_indicators, form_period_get, form_rules
from phongtrao.core.audit import audit_record, build_event, snapshot
from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.models import AuditAction, AuditEvent
from phongtrao.core.roles import Role
from phongtrao.notifications.models import NotificationKind
from phongtrao.reporting.approvers import (
    ApproverReach,
    approver_reach,
)
from phongtrao.reporting.models import (
    DataValue,
    Submission,
    SubmissionStatus,
)
from phongtrao.reporting.notify import report_reviewed_notify, report_sent_notify
from phongtrao.reporting.services import EDITABLE_STATUSES
from phongtrao.reporting.value_states import value_states_sync
from phongtrao.units.models import Unit
from phongtrao.units.scope import in_scope
from phongtrao.units.services import check_can_change


def _not_found() -> AppError:
    return AppError(ErrorCode.NOT_FOUND, _("Report not found."))


def _check_approver(
    *, actor: Any, submission: Submission, reach: ApproverReach | None = None
) -> tuple[Unit | None, ApproverReach | None]:
    """In scope, with the approver role, and holding a unit truly above the report's: nobody
    approves their own report, nor one of a unit their own unit only succeeded.

    Returns the unit the approver acts for (None for a superuser, who acts nationally) and the
    reach it was found in (read here unless given: a bulk approval reads it once).
    """
    if not in_scope(actor, submission.unit):
        raise _not_found()
    if not actor.has_role(Role.APPROVER):
        raise AppError(ErrorCode.FORBIDDEN, _("Only an approver can do this."))
    if actor.is_superuser:
        return None, None
    reach = reach or approver_reach(actor)
    acting = reach.acting_for(submission.unit)
    if acting is None:
        raise AppError(
            ErrorCode.FORBIDDEN,
            _("A report is approved by the level above: you cannot approve your own unit's."),
        )
    return acting, reach


def _check_withdrawer(
    *, submission: Submission, acting: Unit | None, reach: ApproverReach | None
) -> None:
    """An approval is withdrawn at the level that gave it or above, never from below."""
    given = submission.approved_unit
    if acting is None or reach is None or given is None or acting.pk == given.pk:
        return
    if not reach.above(acting, given):
        raise AppError(
            ErrorCode.FORBIDDEN,
            _("This report was approved by %(unit)s: only that level or a higher one can "
              "withdraw the approval.") % {"unit": given.name},
        )  # fmt: skip


def version_conflict() -> AppError:
    return AppError(
        ErrorCode.CONFLICT,
        _("Someone else changed this report in the meantime; reload the page."),
    )


def _transition(
    *, actor: Any, submission: Submission, expected_version: int, **changes: Any
) -> Submission:
    before = snapshot(submission)
    updated = Submission.objects.filter(pk=submission.pk, version=expected_version).update(
        version=F("version") + 1, **changes
    )
    if not updated:
        raise version_conflict()
    # Its unit, form and sender come back in the same query: the audit and the notification
    # read them next.
    submission.refresh_from_db(
        from_queryset=Submission.objects.select_related("unit", "form", "submitted_by")
    )
    if "status" in changes:
        value_states_sync(submission=submission)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=submission,
        before=before,
        after=snapshot(submission),
        unit_id=submission.unit_id,
        unit_path=submission.unit.path,
    )
    return submission


def submission_values(*, submission: Submission) -> dict[str, Decimal | None]:
    codes = [i.code for i in form_indicators(form=submission.form)]
    rows = DataValue.objects.filter(
        unit=submission.unit, period=submission.period, indicator__code__in=codes
    ).values_list("indicator__code", "number")
    return dict.fromkeys(codes) | dict(rows)


def submission_check(*, submission: Submission) -> tuple[list[str], list[str]]:
    """(errors, warnings) of the form's validation rules on the submission's values."""
    values = submission_values(submission=submission)
    errors, warnings = [], []
    for rule in form_rules(form=submission.form, active_only=True):
        result = rule_check(rule, values)
        if result.failed:
            (errors if result.blocks_submission else warnings).append(result.message)
    return errors, warnings


@transaction.atomic
def submission_open(*, actor: Any, form: ReportForm, unit: Unit, period: str) -> Submission:
    """The unit's submission for the form and period, created as a draft the first time."""
    check_can_change(actor=actor, unit=unit)
    form_period_get(form=form, period_id=period)
    submission, created = Submission.objects.get_or_create(form=form, unit=unit, period=period)
    if created:
        audit_record(
            actor=actor, action=AuditAction.CREATE, instance=submission,
            after=snapshot(submission), unit_id=unit.pk,
        )  # fmt: skip
    return submission


@transaction.atomic
def submission_submit(
    *, actor: Any, submission: Submission, expected_version: int, warning_comment: str = ""
) -> Submission:
    check_can_change(actor=actor, unit=submission.unit)
    if submission.status not in EDITABLE_STATUSES:
        raise AppError(ErrorCode.CONFLICT, _("Only a draft or a returned report can be submitted."))
    errors, warnings = submission_check(submission=submission)
    if errors:
        raise AppError(ErrorCode.INVALID, _("The report has errors to fix first."), errors)
    if warnings and not warning_comment.strip():
        raise AppError(
            ErrorCode.INVALID,
            _("The report has warnings: explain them in a comment before submitting."),
            warnings,
        )
    submission = _transition(
        actor=actor,
        submission=submission,
        expected_version=expected_version,
        status=SubmissionStatus.SUBMITTED,
        submitted_at=timezone.now(),
        submitted_by=actor,
        # The explanation stays for the approver when the report is sent again without one.
        comment=warning_comment.strip() or submission.comment,
    )
    report_sent_notify(actor=actor, submission=submission)
    return submission


def submission_actions(*, actor: Any, unit: Unit, submission: Submission | None) -> frozenset[str]:
    """The workflow steps the actor may take on the unit's report, by the rules the steps below
    apply (the entry screen offers these and no other): "withdraw", "approve", "return",
    "unapprove", "reopen"."""
    actions = {"withdraw"} if can_withdraw(actor=actor, submission=submission) else set()
    if not in_scope(actor, unit) or not actor.has_role(Role.APPROVER):
        return frozenset(actions)
    reach = None if actor.is_superuser else approver_reach(actor)
    acting = None if reach is None else reach.acting_for(unit)
    if reach is not None and acting is None:
        return frozenset(actions)
    actions.add("reopen")
    status = submission.status if submission else SubmissionStatus.DRAFT
    if status == SubmissionStatus.SUBMITTED:
        # The level above reviews what was sent (returns it), it does not take it back.
        actions = (actions - {"withdraw"}) | {"approve", "return"}
    elif status == SubmissionStatus.APPROVED and submission is not None:
        try:
            _check_withdrawer(submission=submission, acting=acting, reach=reach)
        except AppError:
            pass
        else:
            actions.add("unapprove")
    return frozenset(actions)


def can_withdraw(*, actor: Any, submission: Submission | None) -> bool:
    """`submission_withdraw` would accept: a submitted report, someone who may change its unit."""
    if submission is None or submission.status != SubmissionStatus.SUBMITTED:
        return False
    try:
        check_can_change(actor=actor, unit=submission.unit)
    except AppError:
        return False
    return True


@transaction.atomic
def submission_withdraw(*, actor: Any, submission: Submission, expected_version: int) -> Submission:
    """The sender takes back a submitted report before it is reviewed: a draft again, its
    values drafts again, the explanation kept for the next send."""
    check_can_change(actor=actor, unit=submission.unit)
    if submission.status != SubmissionStatus.SUBMITTED:
        raise AppError(
            ErrorCode.CONFLICT,
            _("Only a submitted report that has not been reviewed can be withdrawn."),
        )
    return _transition(
        actor=actor,
        submission=submission,
        expected_version=expected_version,
        status=SubmissionStatus.DRAFT,
    )


def approval_check(
    *, actor: Any, submission: Submission, reach: ApproverReach | None = None
) -> Unit | None:
    """`submission_approve` would accept: returns the unit the approver acts for (None: a
    superuser, nationally), or raises why not."""
    acting = _check_approver(actor=actor, submission=submission, reach=reach)[0]
    if submission.status != SubmissionStatus.SUBMITTED:
        raise AppError(ErrorCode.CONFLICT, _("Only a submitted report can be approved."))
    return acting


@transaction.atomic
def submission_approve(
    *,
    actor: Any,
    submission: Submission,
    expected_version: int,
    comment: str = "",
) -> Submission:
    """Approve a submitted report, with the approver's optional comment; the unit is told."""
    acting = approval_check(actor=actor, submission=submission)
    submission = _transition(
        actor=actor,
        submission=submission,
        expected_version=expected_version,
        status=SubmissionStatus.APPROVED,
        approved_at=timezone.now(),
        approved_by=actor,
        approved_unit=acting,
        approved_comment=comment.strip(),
    )
    report_reviewed_notify(
        actor=actor, submission=submission, kind=NotificationKind.APPROVED, text=comment
    )
    return submission


@transaction.atomic
def submission_return(
    *, actor: Any, submission: Submission, expected_version: int, reason: str
) -> Submission:
    _check_approver(actor=actor, submission=submission)
    if submission.status != SubmissionStatus.SUBMITTED:
        raise AppError(ErrorCode.CONFLICT, _("Only a submitted report can be returned."))
    if not reason.strip():
        raise AppError(ErrorCode.INVALID, _("Say why the report is returned."))
    submission = _transition(
        actor=actor,
        submission=submission,
        expected_version=expected_version,
        status=SubmissionStatus.RETURNED,
        returned_reason=reason.strip(),
        returned_at=timezone.now(),
        returned_by=actor,
    )
    report_reviewed_notify(
        actor=actor, submission=submission, kind=NotificationKind.RETURNED, text=reason
    )
    return submission


@transaction.atomic
def submission_unapprove(
    *, actor: Any, submission: Submission, expected_version: int, reason: str
) -> Submission:
    """Unlock an approved report; it goes back to the unit as returned, with the reason."""
    acting, reach = _check_approver(actor=actor, submission=submission)
    if submission.status != SubmissionStatus.APPROVED:
        raise AppError(ErrorCode.CONFLICT, _("Only an approved report can be un-approved."))
    _check_withdrawer(submission=submission, acting=acting, reach=reach)
    if not reason.strip():
        raise AppError(ErrorCode.INVALID, _("Say why the approval is withdrawn."))
    submission = _transition(
        actor=actor,
        submission=submission,
        expected_version=expected_version,
        status=SubmissionStatus.RETURNED,
        approved_at=None,
        approved_by=None,
        approved_unit=None,
        approved_comment="",
        returned_reason=reason.strip(),
        returned_at=timezone.now(),
        returned_by=actor,
    )
    report_reviewed_notify(
        actor=actor, submission=submission, kind=NotificationKind.UNAPPROVED, text=reason
    )
    return submission


@transaction.atomic
def submission_reopen(
    *, actor: Any, submission: Submission, expected_version: int, until: date
) -> Submission:
    """Let a unit enter data after the form's lock date, until the given day."""
    _check_approver(actor=actor, submission=submission)
    if until < timezone.localdate():
        raise AppError(ErrorCode.INVALID, _("The reopening must end today or later."))
    return _transition(
        actor=actor, submission=submission, expected_version=expected_version,
        reopened_until=until,
    )  # fmt: skip


# Reports of one form and period read and written per statement by the set-based writes over
# many reports (reporting/history_approval.py, reporting/reopening.py).
BULK = 500


def submission_event(
    *, actor: Any, submission: Submission, before: dict | None, source: str = "web"
) -> AuditEvent:
    """The audit event of a report written in bulk (approved at once, reopened for a subtree,
    approved by a history load): a creation when there was no `before`."""
    return build_event(
        actor=actor,
        instance=submission,
        before=before,
        after=snapshot(submission),
        unit_id=submission.unit_id,
        unit_path=submission.unit.path,
        source=source,
    )


def report_slices(items: list[int]) -> list[list[int]]:
    return [items[start : start + BULK] for start in range(0, len(items), BULK)]
