"""The state a value takes from the reports it is on: a draft, sent, or approved.

A value two forms share takes the most advanced of their reports' states, so returning one
report never takes back what the other one sent. One report at a time (`value_states_sync`,
the workflow's steps) or many approved at once (`value_states_approve`: a bulk approval, a
history load).
"""

from collections.abc import Iterable

from phongtrao.catalog.models import ReportFormItem
from phongtrao.reporting.models import DataValue, Submission, SubmissionStatus, ValueState

# The state a report's status gives its values; a returned report's values are drafts again.
VALUE_STATE = {SubmissionStatus.SUBMITTED: ValueState.SUBMITTED,
               SubmissionStatus.APPROVED: ValueState.APPROVED}  # fmt: skip
STATE_RANK = {ValueState.DRAFT: 0, ValueState.SUBMITTED: 1, ValueState.APPROVED: 2}


def value_states_sync(*, submission: Submission) -> None:
    """Give the values of the report's form, unit and period the state of their reports.
    Four queries at most."""
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


def value_states_approve(
    *, form_id: int, period: str, unit_ids: Iterable[int] | None = None
) -> int:
    """The values of the form's approved reports for the period (of these units only, when
    given) approved, in one statement: approved is the most advanced state, so no other report
    needs reading."""
    indicators = ReportFormItem.objects.filter(form_id=form_id).values("indicator_id")
    approved = Submission.objects.filter(
        form_id=form_id, period=period, status=SubmissionStatus.APPROVED
    )
    if unit_ids is not None:
        approved = approved.filter(unit_id__in=list(unit_ids))
    return (
        DataValue.objects.filter(
            period=period, indicator_id__in=indicators, unit_id__in=approved.values("unit_id")
        )
        .exclude(state=ValueState.APPROVED)
        .update(state=ValueState.APPROVED)
    )


def reports_grouped(keys: Iterable[tuple[int, int, str]]) -> dict[tuple[int, str], list[int]]:
    """(form id, unit id, period) keys as (form id, period) -> sorted unit ids."""
    groups: dict[tuple[int, str], list[int]] = {}
    for form_id, unit_id, period in keys:
        groups.setdefault((form_id, period), []).append(unit_id)
    return {key: sorted(units) for key, units in sorted(groups.items())}
