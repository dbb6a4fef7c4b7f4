"""Reopening a closed period for every unit of a subtree at once, from the completeness page:
set based, a few statements per 500 units whatever the subtree's size."""

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from phongtrao.catalog.models import ReportForm
from phongtrao.catalog.selectors import form_period_get
from phongtrao.core.audit import audit_record_many, snapshot
from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.roles import Role
from phongtrao.reporting.approvers import approver_reach_q
from phongtrao.reporting.completeness import expected_units
from phongtrao.reporting.models import Submission, SubmissionStatus
from phongtrao.reporting.workflow import report_slices, submission_event
from phongtrao.units.models import Unit
from phongtrao.units.scope import in_scope


@transaction.atomic
def period_reopen_subtree(
    *, actor: Any, form: ReportForm, unit: Unit, period: str, until: date
) -> int:
    """Reopen entry for a period after the form's lock date, until a day, for every unit of
    the subtree that reports the form and that the approver stands above: one action, in a
    few statements per 500 units whatever the subtree's size. A missing report is created as
    a draft, reopened; an approved one stays approved, as it is. Each report changed is
    audited (in bulk). Returns how many reports it reopened."""
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
    for part in report_slices(ids):
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
                events.append(
                    submission_event(
                        actor=actor, submission=submission, before=befores[submission.pk]
                    )
                )
        if missing:
            found = Unit.objects.in_bulk(missing)
            created = Submission.objects.bulk_create(
                [
                    Submission(form=form, unit=found[u], period=parsed.id, reopened_until=until)
                    for u in missing
                ]
            )
            events += [submission_event(actor=actor, submission=s, before=None) for s in created]
        audit_record_many(events)
        reopened += len(events)
    return reopened
