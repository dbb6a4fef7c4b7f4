"""A submission's life: draft -> submitted -> approved (locked), or returned with a reason.

Approval goes bottom-up: an approver approves what units below their own submitted, never
their own unit's report. Every step bumps the version so two people cannot both act on the
same state, and every step is audited.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from phongtrao.accounts.models import Role
from phongtrao.accounts.scope import in_scope
from phongtrao.catalog.models import ReportForm
from phongtrao.catalog.rules import rule_check
from phongtrao.catalog.selectors import form_indicators, form_period_get, form_rules
from phongtrao.core.audit import audit_record, snapshot
from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.models import AuditAction
from phongtrao.reporting.models import DataValue, Submission, SubmissionStatus
from phongtrao.reporting.services import EDITABLE_STATUSES
from phongtrao.units.models import Unit
from phongtrao.units.services import check_can_change


def _not_found() -> AppError:
    return AppError(ErrorCode.NOT_FOUND, _("Report not found."))


def _check_approver(*, actor: Any, submission: Submission) -> None:
    """In scope, with the approver role, and above the unit: nobody approves their own report."""
    if not in_scope(actor, submission.unit):
        raise _not_found()
    if not actor.has_role(Role.APPROVER):
        raise AppError(ErrorCode.FORBIDDEN, _("Only an approver can do this."))
    if not actor.is_superuser and actor.units.filter(pk=submission.unit_id).exists():
        raise AppError(
            ErrorCode.FORBIDDEN,
            _("A report is approved by the level above: you cannot approve your own unit's."),
        )


def _transition(
    *, actor: Any, submission: Submission, expected_version: int, **changes: Any
) -> Submission:
    before = snapshot(submission)
    updated = Submission.objects.filter(pk=submission.pk, version=expected_version).update(
        version=F("version") + 1, **changes
    )
    if not updated:
        raise AppError(
            ErrorCode.CONFLICT,
            _("Someone else changed this report in the meantime; reload the page."),
        )
    submission.refresh_from_db()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=submission,
        before=before,
        after=snapshot(submission),
        unit_id=submission.unit_id,
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
    return _transition(
        actor=actor,
        submission=submission,
        expected_version=expected_version,
        status=SubmissionStatus.SUBMITTED,
        submitted_at=timezone.now(),
        submitted_by=actor,
        comment=warning_comment.strip(),
    )


@transaction.atomic
def submission_approve(*, actor: Any, submission: Submission, expected_version: int) -> Submission:
    _check_approver(actor=actor, submission=submission)
    if submission.status != SubmissionStatus.SUBMITTED:
        raise AppError(ErrorCode.CONFLICT, _("Only a submitted report can be approved."))
    return _transition(
        actor=actor,
        submission=submission,
        expected_version=expected_version,
        status=SubmissionStatus.APPROVED,
        approved_at=timezone.now(),
        approved_by=actor,
    )


@transaction.atomic
def submission_return(
    *, actor: Any, submission: Submission, expected_version: int, reason: str
) -> Submission:
    _check_approver(actor=actor, submission=submission)
    if submission.status != SubmissionStatus.SUBMITTED:
        raise AppError(ErrorCode.CONFLICT, _("Only a submitted report can be returned."))
    if not reason.strip():
        raise AppError(ErrorCode.INVALID, _("Say why the report is returned."))
    return _transition(
        actor=actor,
        submission=submission,
        expected_version=expected_version,
        status=SubmissionStatus.RETURNED,
        returned_reason=reason.strip(),
    )


@transaction.atomic
def submission_unapprove(
    *, actor: Any, submission: Submission, expected_version: int, reason: str
) -> Submission:
    """Unlock an approved report; it goes back to the unit as returned, with the reason."""
    _check_approver(actor=actor, submission=submission)
    if submission.status != SubmissionStatus.APPROVED:
        raise AppError(ErrorCode.CONFLICT, _("Only an approved report can be un-approved."))
    if not reason.strip():
        raise AppError(ErrorCode.INVALID, _("Say why the approval is withdrawn."))
    return _transition(
        actor=actor,
        submission=submission,
        expected_version=expected_version,
        status=SubmissionStatus.RETURNED,
        approved_at=None,
        approved_by=None,
        returned_reason=reason.strip(),
    )


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
