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

from phongtrao.catalog.models import ReportForm, ReportFormItem
from phongtrao.catalog.rules import rule_check
from phongtrao.catalog.selectors import form_indicators, form_period_get, form_rules
from phongtrao.core.audit import audit_record, snapshot
from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.models import AuditAction
from phongtrao.core.roles import Role
from phongtrao.reporting.models import DataValue, Submission, SubmissionStatus, ValueState
from phongtrao.reporting.services import EDITABLE_STATUSES
from phongtrao.units.models import Unit, UnitKind, UnitSuccession
from phongtrao.units.scope import in_scope
from phongtrao.units.services import check_can_change


def _not_found() -> AppError:
    return AppError(ErrorCode.NOT_FOUND, _("Report not found."))


# Levels of the hierarchy, highest first; every grassroots kind shares the lowest.
LEVELS = {UnitKind.PROVINCE: 0, UnitKind.DISTRICT: 1, UnitKind.COMMUNE: 2}
GRASSROOTS_LEVEL = 3


def _level(unit: Unit) -> int:
    return LEVELS.get(unit.kind, GRASSROOTS_LEVEL)


def _reach(units: list[Unit]) -> dict[int, list[tuple[str, bool]]]:
    """Per unit: the paths it stands over, its own and (flagged) its 2025 predecessors'."""
    reach: dict[int, list[tuple[str, bool]]] = {u.pk: [(u.path, False)] for u in units}
    inherited = UnitSuccession.objects.filter(successor__in=units).values_list(
        "successor_id", "predecessor__path"
    )
    for successor_id, path in inherited:
        reach[successor_id].append((path, True))
    return reach


def _stands_above(unit: Unit, paths: list[tuple[str, bool]], other: Unit) -> bool:
    """`other` lies strictly below `unit` or one of its predecessors; what the unit reaches
    through the succession only counts from a higher level (a commune never outranks the
    commune it succeeded, nor that commune's old province)."""
    return any(
        other.path.startswith(path)
        and other.path != path
        and (not inherited or _level(unit) < _level(other))
        for path, inherited in paths
    )


def approving_unit(*, actor: Any, unit: Unit) -> Unit | None:
    """The highest of the actor's units that stands above `unit`, or None."""
    held = list(actor.units.all()) if getattr(actor, "is_authenticated", False) else []
    reach = _reach(held)
    above = [u for u in held if _stands_above(u, reach[u.pk], unit)]
    return min(above, key=lambda u: (_level(u), len(u.path)), default=None)


def can_approve(*, actor: Any, unit: Unit) -> bool:
    if not actor.has_role(Role.APPROVER):
        return False
    return actor.is_superuser or approving_unit(actor=actor, unit=unit) is not None


def _check_approver(*, actor: Any, submission: Submission) -> Unit | None:
    """In scope, with the approver role, and holding a unit truly above the report's: nobody
    approves their own report, nor one of a unit their own unit only succeeded.

    Returns the unit the approver acts for (None for a superuser, who acts nationally).
    """
    if not in_scope(actor, submission.unit):
        raise _not_found()
    if not actor.has_role(Role.APPROVER):
        raise AppError(ErrorCode.FORBIDDEN, _("Only an approver can do this."))
    if actor.is_superuser:
        return None
    acting = approving_unit(actor=actor, unit=submission.unit)
    if acting is None:
        raise AppError(
            ErrorCode.FORBIDDEN,
            _("A report is approved by the level above: you cannot approve your own unit's."),
        )
    return acting


def _check_withdrawer(*, submission: Submission, acting: Unit | None) -> None:
    """An approval is withdrawn at the level that gave it or above, never from below."""
    given = submission.approved_unit
    if acting is None or given is None or acting.pk == given.pk:
        return
    if not _stands_above(acting, _reach([acting])[acting.pk], given):
        raise AppError(
            ErrorCode.FORBIDDEN,
            _("This report was approved by %(unit)s: only that level or a higher one can "
              "withdraw the approval.") % {"unit": given.name},
        )  # fmt: skip


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
    if "status" in changes:
        value_states_sync(submission=submission)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=submission,
        before=before,
        after=snapshot(submission),
        unit_id=submission.unit_id,
    )
    return submission


# The state a report's status gives its values; a returned report's values are drafts again.
VALUE_STATE = {SubmissionStatus.SUBMITTED: ValueState.SUBMITTED,
               SubmissionStatus.APPROVED: ValueState.APPROVED}  # fmt: skip
STATE_RANK = {ValueState.DRAFT: 0, ValueState.SUBMITTED: 1, ValueState.APPROVED: 2}


def value_states_sync(*, submission: Submission) -> None:
    """Give the values of the report's form, unit and period the state of their reports.

    A value two forms share takes the most advanced of the two reports' states, so returning
    one report never takes back what the other one sent. Four queries at most.
    """
    indicators = ReportFormItem.objects.filter(form_id=submission.form_id).values("indicator_id")
    best = {i: ValueState.DRAFT for i in indicators.values_list("indicator_id", flat=True)}
    sent = Submission.objects.filter(
        unit_id=submission.unit_id, period=submission.period, status__in=list(VALUE_STATE),
        form__items__indicator_id__in=indicators,
    ).values_list("form__items__indicator_id", "status")  # fmt: skip
    for indicator_id, status in sent:
        if STATE_RANK[VALUE_STATE[status]] > STATE_RANK[best[indicator_id]]:
            best[indicator_id] = VALUE_STATE[status]
    for state in ValueState:
        ids = [i for i, found in best.items() if found == state]
        if ids:
            DataValue.objects.filter(
                unit_id=submission.unit_id, period=submission.period, indicator_id__in=ids
            ).exclude(state=state).update(state=state)


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
    acting = _check_approver(actor=actor, submission=submission)
    if submission.status != SubmissionStatus.SUBMITTED:
        raise AppError(ErrorCode.CONFLICT, _("Only a submitted report can be approved."))
    return _transition(
        actor=actor,
        submission=submission,
        expected_version=expected_version,
        status=SubmissionStatus.APPROVED,
        approved_at=timezone.now(),
        approved_by=actor,
        approved_unit=acting,
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
    acting = _check_approver(actor=actor, submission=submission)
    if submission.status != SubmissionStatus.APPROVED:
        raise AppError(ErrorCode.CONFLICT, _("Only an approved report can be un-approved."))
    _check_withdrawer(submission=submission, acting=acting)
    if not reason.strip():
        raise AppError(ErrorCode.INVALID, _("Say why the approval is withdrawn."))
    return _transition(
        actor=actor,
        submission=submission,
        expected_version=expected_version,
        status=SubmissionStatus.RETURNED,
        approved_at=None,
        approved_by=None,
        approved_unit=None,
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
