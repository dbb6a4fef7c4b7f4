"""Approving at once the reports a history load filled (the import of past years' values):
nobody approved them, the load did, in a few statements per 500 reports."""

from typing import Any

from django.db.models import F
from django.utils import timezone

from phongtrao.catalog.models import ReportForm
from phongtrao.core.audit import audit_record_many, snapshot
from phongtrao.reporting.models import (
    Submission,
    SubmissionStatus,
    ValueSource,
)
from phongtrao.reporting.value_states import reports_grouped, value_states_approve
from phongtrao.reporting.workflow import report_slices, submission_event
from phongtrao.units.models import Unit


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
    for (form_id, period), unit_ids in reports_grouped(keys).items():
        form = ReportForm.objects.get(pk=form_id)
        for part in report_slices(unit_ids):
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
    return submission_event(
        actor=None, submission=submission, before=before, source=ValueSource.HISTORY
    )
