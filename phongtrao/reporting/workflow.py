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
from phongtrao.core.audit import audit_record, audit_record_many, build_event, snapshot
from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.models import AuditAction
from phongtrao.core.roles import Role
from phongtrao.notifications.models import NotificationKind
from phongtrao.reporting.approvers import (
    ApproverReach,
    approver_reach,
    approver_reach_q,
)
from phongtrao.reporting.models import (
    DataValue,
    Submission,
    SubmissionStatus,
    ValueSource,
    ValueState,
)
from phongtrao.reporting.notify import report_reviewed_notify, report_sent_notify
from phongtrao.reporting.services import EDITABLE_STATUSES
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


@transaction.atomic
def submission_approve(
    *,
    actor: Any,
    submission: Submission,
    expected_version: int,
    comment: str = "",
    reach: ApproverReach | None = None,
) -> Submission:
    """Approve a submitted report, with the approver's optional comment; the unit is told.
    `reach`: the actor's, when the caller approves many reports with it."""
    acting = _check_approver(actor=actor, submission=submission, reach=reach)[0]
    if submission.status != SubmissionStatus.SUBMITTED:
        raise AppError(ErrorCode.CONFLICT, _("Only a submitted report can be approved."))
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


# Reports of one form and period read and written per statement by the set-based writes below.
BULK = 500


def _grouped(keys: set[tuple[int, int, str]]) -> dict[tuple[int, str], list[int]]:
    """(form id, unit id, period) keys as (form id, period) -> sorted unit ids."""
    groups: dict[tuple[int, str], list[int]] = {}
    for form_id, unit_id, period in keys:
        groups.setdefault((form_id, period), []).append(unit_id)
    return {key: sorted(units) for key, units in sorted(groups.items())}


def _slices(items: list[int]) -> list[list[int]]:
    return [items[start : start + BULK] for start in range(0, len(items), BULK)]


def value_states_approve(*, form_id: int, period: str) -> int:
    """The values of every approved report of the form and period approved, in one statement
    (a history load's many reports; `value_states_sync` does one report)."""
    indicators = ReportFormItem.objects.filter(form_id=form_id).values("indicator_id")
    approved = Submission.objects.filter(
        form_id=form_id, period=period, status=SubmissionStatus.APPROVED
    ).values("unit_id")
    return (
        DataValue.objects.filter(period=period, indicator_id__in=indicators, unit_id__in=approved)
        .exclude(state=ValueState.APPROVED)
        .update(state=ValueState.APPROVED)
    )


def history_reports_approve(
    *, keys: set[tuple[int, int, str]], value_import: Any, dry_run: bool = False
) -> int:
    """Approve the reports a history load filled: (form id, unit id, period) each.

    Nobody approved them: `approved_by` and `approved_unit` stay empty and `history_import`
    names the load. A missing report is created approved, a draft, returned or submitted one is
    approved, an approved one stays as it is; then their values take the approved state. Set
    based, for a file of a million values: a few statements per 500 reports, each audited
    (in bulk). Returns how many reports it approved (on a dry run, would approve).

    Called inside the import's transaction, after its values are written.
    """
    approved = 0
    now = timezone.now()
    for (form_id, period), unit_ids in _grouped(keys).items():
        form = ReportForm.objects.get(pk=form_id)
        for part in _slices(unit_ids):
            existing = {
                s.unit_id: s
                for s in Submission.objects.filter(
                    form_id=form_id, period=period, unit_id__in=part
                ).select_related("unit")
            }
            pending = [s for s in existing.values() if s.status != SubmissionStatus.APPROVED]
            missing = [u for u in part if u not in existing]
            approved += len(pending) + len(missing)
            if dry_run:
                continue
            _history_approve(form, period, pending, missing, value_import, now)
        if not dry_run:
            value_states_approve(form_id=form_id, period=period)
    return approved


def _history_approve(
    form: ReportForm,
    period: str,
    pending: list[Submission],
    missing: list[int],
    value_import: Any,
    now: Any,
) -> None:
    changes = {
        "status": SubmissionStatus.APPROVED, "approved_at": now, "approved_by": None,
        "approved_unit": None, "history_import": value_import,
    }  # fmt: skip
    events = []
    if pending:
        befores = {s.pk: snapshot(s) for s in pending}
        Submission.objects.filter(pk__in=list(befores)).update(
            version=F("version") + 1, updated_at=now, **changes
        )
        for submission in pending:
            for name, value in changes.items():
                setattr(submission, name, value)
            submission.version += 1
            submission.form = form
            events.append(_history_event(submission, befores[submission.pk]))
    if missing:
        units = Unit.objects.in_bulk(missing)
        created = Submission.objects.bulk_create(
            [Submission(form=form, unit=units[u], period=period, **changes) for u in missing]
        )
        events += [_history_event(submission, None) for submission in created]
    audit_record_many(events)


def _history_event(submission: Submission, before: dict | None) -> Any:
    return build_event(
        actor=None,
        action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
        instance=submission,
        before=before,
        after=snapshot(submission),
        unit_id=submission.unit_id,
        unit_path=submission.unit.path,
        source=ValueSource.HISTORY,
    )


@transaction.atomic
def period_reopen_subtree(
    *, actor: Any, form: ReportForm, unit: Unit, period: str, until: date
) -> int:
    """Reopen entry for a period after the form's lock date, until a day, for every unit of
    the subtree that reports the form and that the approver stands above: one action, in a
    few statements per 500 units whatever the subtree's size. A missing report is created as
    a draft, reopened; an approved one stays approved, as it is. Each report changed is
    audited (in bulk). Returns how many reports it reopened."""
    from phongtrao.reporting.completeness import expected_units

    if not in_scope(actor, unit):
        raise AppError(ErrorCode.NOT_FOUND, _("Unit not found."))
    if not actor.has_role(Role.APPROVER):
        raise AppError(ErrorCode.FORBIDDEN, _("Only an approver can do this."))
    parsed = form_period_get(form=form, period_id=period)
    if until < timezone.localdate():
        raise AppError(ErrorCode.INVALID, _("The reopening must end today or later."))
    units = expected_units(form=form, period=parsed, unit=unit, user=actor).filter(
        approver_reach_q(actor)
    )
    ids = sorted(units.values_list("pk", flat=True))
    if not ids:
        raise AppError(
            ErrorCode.INVALID,
            _("There is no report here that you may reopen: reports are reopened by the level "
              "above the unit."),
        )  # fmt: skip
    now, reopened = timezone.now(), 0
    for part in _slices(ids):
        existing = {
            s.unit_id: s
            for s in Submission.objects.filter(
                form=form, period=parsed.id, unit_id__in=part
            ).select_related("unit")
        }
        pending = [
            s
            for s in existing.values()
            if s.status != SubmissionStatus.APPROVED and s.reopened_until != until
        ]
        missing = [u for u in part if u not in existing]
        events = []
        if pending:
            befores = {s.pk: snapshot(s) for s in pending}
            Submission.objects.filter(pk__in=list(befores)).update(
                reopened_until=until, version=F("version") + 1, updated_at=now
            )
            for submission in pending:
                submission.reopened_until, submission.version = until, submission.version + 1
                submission.form = form
                events.append(_reopen_event(actor, submission, befores[submission.pk]))
        if missing:
            found = Unit.objects.in_bulk(missing)
            created = Submission.objects.bulk_create(
                [
                    Submission(form=form, unit=found[u], period=parsed.id, reopened_until=until)
                    for u in missing
                ]
            )
            events += [_reopen_event(actor, submission, None) for submission in created]
        audit_record_many(events)
        reopened += len(events)
    return reopened


def _reopen_event(actor: Any, submission: Submission, before: dict | None) -> Any:
    return build_event(
        actor=actor,
        action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
        instance=submission,
        before=before,
        after=snapshot(submission),
        unit_id=submission.unit_id,
        unit_path=submission.unit.path,
    )
