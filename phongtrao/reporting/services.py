"""Saving data values: one cell at a time from the entry screen.

Every save names the version the person last saw. When someone else saved in between, the
save is refused with both versions, so nobody silently overwrites anybody; re-sending the same
value (a double click, a retried request after a dropped connection) is simply accepted.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phongtrao.catalog.models import Indicator, ReportForm
from phongtrao.catalog.periods import Period
from phongtrao.catalog.selectors import form_lock_date, form_period_get
from phongtrao.core.audit import audit_record, snapshot
from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.models import AuditAction
from phongtrao.core.text import format_date, format_number
from phongtrao.reporting.models import (
    DataValue,
    Submission,
    SubmissionStatus,
    ValueSource,
)
from phongtrao.reporting.value_parsing import value_parse
from phongtrao.units.models import Unit
from phongtrao.units.services import check_can_change

EDITABLE_STATUSES = (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)


@dataclass(frozen=True)
class ValueConflict:
    """What the other person saved, shown beside what this person typed."""

    value: str
    comment: str
    version: int
    updated_by: str
    updated_at: Any


def submission_for(*, form: ReportForm, unit: Unit, period: str) -> Submission | None:
    return Submission.objects.filter(form=form, unit=unit, period=period).first()


def value_period_problem(
    *, unit_name: str, unit_valid_to: date | None, period: Period, today: date
) -> str | None:
    """Why no value may be written for the unit and period (None: it may), for the entry screen
    and the import alike. It reads nothing, so an import calls it on what it has looked up.

    A value belongs to the units as they were at the period's end, so a unit that had ceased
    to exist by then takes none (its successor does); and figures of a period that has not
    begun are typing mistakes (2099), which roll-ups would otherwise add up.
    """
    if unit_valid_to is not None and unit_valid_to < period.end:
        return _(
            "%(unit)s no longer existed at the end of %(period)s (it ended on %(date)s): enter "
            "the figures under the unit that succeeded it."
        ) % {"unit": unit_name, "period": period.id, "date": format_date(unit_valid_to)}
    opens = period.start - timedelta(days=settings.REPORTING_DAYS_AHEAD)
    if today < opens:
        return _(
            "The period %(period)s has not begun: its figures can be entered from %(date)s."
        ) % {"period": period.label, "date": format_date(opens)}
    return None


def check_form_covers(*, form: ReportForm, unit: Unit) -> None:
    """A form is reported by the unit kinds it names only (a school on a form for communes,
    provinces and residential areas takes no value)."""
    if not form.unit_kinds.filter(kind=unit.kind).exists():
        raise AppError(
            ErrorCode.INVALID,
            _("The form %(form)s is not reported by a %(kind)s such as %(unit)s.")
            % {"form": form.name, "kind": unit.get_kind_display(), "unit": unit.name},
        )


def check_entry_open(
    *, form: ReportForm, unit: Unit, period: str, today: date | None = None
) -> Submission | None:
    """Refuse entry into a submitted, approved or locked form, for a unit of a kind the form
    does not cover, gone by the period's end or a period to come; return its submission if
    any."""
    today = today or timezone.localdate()
    form_period = form_period_get(form=form, period_id=period)
    problem = value_period_problem(
        unit_name=unit.name, unit_valid_to=unit.valid_to, period=form_period, today=today
    )
    if problem:
        raise AppError(ErrorCode.INVALID, problem)
    check_form_covers(form=form, unit=unit)
    submission = submission_for(form=form, unit=unit, period=period)
    if submission and submission.status not in EDITABLE_STATUSES:
        raise AppError(
            ErrorCode.CONFLICT,
            _("This report is %(status)s; its data can no longer be changed.")
            % {"status": submission.get_status_display().lower()},
        )
    lock = form_lock_date(form, period)
    reopened = submission.reopened_until if submission else None
    if lock and today > lock and not (reopened and today <= reopened):
        raise AppError(
            ErrorCode.CONFLICT,
            _("Entry for %(period)s closed on %(date)s; ask an approver to reopen it.")
            % {"period": form_period.label, "date": lock.strftime("%d/%m/%Y")},
        )
    return submission


def check_not_approved(*, indicator: Indicator, unit: Unit, period: str) -> None:
    """A value on any approved form of its unit and period is read-only, whatever the path."""
    approved = Submission.objects.filter(
        unit=unit,
        period=period,
        status=SubmissionStatus.APPROVED,
        form__items__indicator=indicator,
    )
    if approved.exists():
        raise AppError(
            ErrorCode.CONFLICT,
            _("%(code)s of %(unit)s for %(period)s is approved and cannot be changed.")
            % {"code": indicator.code, "unit": unit.name, "period": period},
        )


def _conflict(current: DataValue | None) -> AppError:
    other = ValueConflict(
        value=current.value if current else "",
        comment=current.comment if current else "",
        version=current.version if current else 0,
        updated_by=(current.updated_by.get_full_name() or current.updated_by.username)
        if current and current.updated_by
        else "",
        updated_at=current.updated_at if current else None,
    )
    error = AppError(
        ErrorCode.CONFLICT,
        _(
            "Someone else saved this cell after you opened it. Their value is kept; "
            "compare it with yours and save again."
        ),
    )
    error.conflict = other  # type: ignore[attr-defined]
    return error


@transaction.atomic
def data_value_save(
    *,
    actor: Any,
    form: ReportForm,
    unit: Unit,
    period: str,
    indicator: Indicator,
    raw_value: str,
    comment: str = "",
    expected_version: int | None,
    source: str = ValueSource.WEB,
    source_link: str = "",
) -> DataValue | None:
    """Save one cell; an empty value clears it. Returns the stored value (None once cleared).

    `expected_version` is the version the person saw: None for a cell that was empty.
    `source_link` is kept with the change in the audit (the file a figure was read from).
    """
    check_can_change(actor=actor, unit=unit)
    if not form.items.filter(indicator=indicator).exists():
        raise AppError(ErrorCode.NOT_FOUND, _("This indicator is not on the form."))
    check_entry_open(form=form, unit=unit, period=period)
    check_not_approved(indicator=indicator, unit=unit, period=period)
    current = (
        # Lock the value's row only: the joined user may be missing (an outer join).
        DataValue.objects.select_for_update(of=("self",))
        .select_related("updated_by", "indicator", "unit")
        .filter(indicator=indicator, unit=unit, period=period)
        .first()
    )
    cleared = str(raw_value).strip() == ""
    parsed = None if cleared else value_parse(indicator, raw_value)
    comment = comment.strip()
    if current and parsed and current.value == parsed.value and current.comment == comment:
        return current  # the same save again: nothing to do, nothing to refuse
    if current is None and cleared:
        return None
    current_version = current.version if current else None
    if current_version != expected_version:
        raise _conflict(current)

    if cleared:
        before = snapshot(current)
        pk = current.pk
        current.delete()
        current.pk = pk
        audit_record(
            actor=actor, action=AuditAction.DELETE, instance=current, before=before,
            unit_id=unit.pk, unit_path=unit.path, source=source,
        )  # fmt: skip
        return None
    if current is None:
        value = DataValue(indicator=indicator, unit=unit, period=period)
        before = None
    else:
        value, before = current, snapshot(current)
        value.version += 1
    value.value, value.number, value.comment = parsed.value, parsed.number, comment
    value.source = source
    value.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    # The indicator, unit and user were just read (the first two under the row lock), so their
    # existence is not checked again, nor the uniqueness the lock and IntegrityError hold, nor
    # the one check constraint (a value is never empty: an empty one cleared the cell above),
    # each of which would cost a query on every save.
    value.full_clean(
        exclude=["indicator", "unit", "updated_by"],
        validate_unique=False,
        validate_constraints=False,
    )
    if value.pk is not None:
        value.save()  # under the row lock: nobody else can write it meanwhile
    else:
        try:
            with transaction.atomic():
                value.save()
        except IntegrityError:
            # Two first saves of an empty cell at once: the database kept the other one.
            raise _conflict(
                DataValue.objects.filter(indicator=indicator, unit=unit, period=period).first()
            ) from None
    audit_record(
        actor=actor,
        instance=value,
        before=before,
        after=snapshot(value),
        unit_id=unit.pk,
        unit_path=unit.path,
        source=source,
        link=source_link,
    )
    return value


@transaction.atomic
def derived_values_fill(*, actor: Any, form: ReportForm, unit: Unit, period: str) -> int:
    """Put the registries' figures in the form's cells; returns how many cells changed.

    The figures are the unit's own entries only (registries/selectors/indicators.py): the units
    below it report theirs, and a total adds the cells, so nothing is counted twice.

    A cell is filled when it is empty and the registries count something for it, and kept up
    to date when its value came from the registries before. A figure somebody typed or
    imported is never replaced: the entry screen shows the difference instead. Each cell is
    saved like a hand save (same checks, same audit), so a closed or approved report refuses
    the whole fill.
    """
    from phongtrao.reporting.selectors import entry_derived

    derived = entry_derived(form=form, unit=unit, period=period)
    # Locked while deciding, so a hand save in between cannot be overwritten.
    current = {
        v.indicator_id: v
        for v in DataValue.objects.filter(
            unit=unit, period=period, indicator__in=derived
        ).select_for_update()
    }
    changed = 0
    for indicator, number in derived.items():
        value = current.get(indicator.pk)
        if value is None and not number:
            continue  # nothing counted: the unit may not keep this registry
        if value is not None and (value.source != ValueSource.REGISTRY or value.number == number):
            continue
        data_value_save(
            actor=actor, form=form, unit=unit, period=period, indicator=indicator,
            raw_value=format_number(number), comment=value.comment if value else "",
            expected_version=value.version if value else None, source=ValueSource.REGISTRY,
        )  # fmt: skip
        changed += 1
    return changed
