"""Writes to reporting forms (their own fields and unit kinds)."""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from phongtrao.catalog import ownership
from phongtrao.catalog.models import ReportForm, ReportFormUnitKind
from phongtrao.catalog.outliers import DEFAULT_THRESHOLD
from phongtrao.catalog.services.changes import apply_changes
from phongtrao.core.audit import audit_record, snapshot
from phongtrao.core.models import AuditAction
from phongtrao.core.text import clean_text
from phongtrao.core.unset import UNSET
from phongtrao.units.models import UnitKind


def _clean_unit_kinds(unit_kinds: Iterable[str]) -> list[str]:
    kinds = sorted(set(unit_kinds))
    unknown = [k for k in kinds if k not in UnitKind.values]
    if unknown:
        raise ValidationError(
            {"unit_kinds": _("Unknown unit kind: %(kind)s.") % {"kind": unknown[0]}}
        )
    if not kinds:
        raise ValidationError({"unit_kinds": _("Choose at least one kind of unit.")})
    return kinds


def _form_snapshot(form: ReportForm) -> dict[str, Any]:
    kinds = sorted(ReportFormUnitKind.objects.filter(form=form).values_list("kind", flat=True))
    return snapshot(form) | {"unit_kinds": kinds}


def _set_unit_kinds(form: ReportForm, kinds: list[str]) -> None:
    ReportFormUnitKind.objects.filter(form=form).exclude(kind__in=kinds).delete()
    have = set(ReportFormUnitKind.objects.filter(form=form).values_list("kind", flat=True))
    ReportFormUnitKind.objects.bulk_create(
        ReportFormUnitKind(form=form, kind=k) for k in kinds if k not in have
    )


@transaction.atomic
def form_create(
    *,
    actor: Any,
    code: str,
    name: str,
    period_type: str,
    unit_kinds: Iterable[str],
    due_days_after_end: int | None = None,
    due_month: int | None = None,
    due_day: int | None = None,
    lock_days_after_end: int | None = None,
    first_period: str = "",
    last_period: str = "",
    outlier_threshold: Decimal = DEFAULT_THRESHOLD,
    description: str = "",
    is_active: bool = True,
    source: str = "web",
) -> ReportForm:
    kinds = _clean_unit_kinds(unit_kinds)
    form = ReportForm(code=clean_text(code).upper(), owner=ownership.owner_for_new(actor))
    apply_changes(
        form,
        {
            "name": name,
            "period_type": period_type,
            "due_days_after_end": due_days_after_end,
            "due_month": due_month,
            "due_day": due_day,
            "lock_days_after_end": lock_days_after_end,
            "first_period": first_period,
            "last_period": last_period,
            "outlier_threshold": outlier_threshold,
            "description": description,
            "is_active": is_active,
        },
    )
    form.full_clean()
    form.save()
    _set_unit_kinds(form, kinds)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=form,
        after=_form_snapshot(form),
        unit_id=form.owner_id,
        source=source,
    )
    return form


@transaction.atomic
def form_update(
    *,
    actor: Any,
    form: ReportForm,
    name: str = UNSET,
    period_type: str = UNSET,
    unit_kinds: Iterable[str] = UNSET,
    due_days_after_end: int | None = UNSET,
    due_month: int | None = UNSET,
    due_day: int | None = UNSET,
    lock_days_after_end: int | None = UNSET,
    first_period: str = UNSET,
    last_period: str = UNSET,
    outlier_threshold: Decimal = UNSET,
    description: str = UNSET,
    is_active: bool = UNSET,
    source: str = "web",
) -> ReportForm:
    """Everything but the code, which imports and exports name the form by."""
    current = ReportForm.objects.select_for_update().get(pk=form.pk)
    ownership.check_change(actor=actor, owner_id=current.owner_id)
    before = _form_snapshot(current)
    apply_changes(
        current,
        {
            "name": name,
            "period_type": period_type,
            "due_days_after_end": due_days_after_end,
            "due_month": due_month,
            "due_day": due_day,
            "lock_days_after_end": lock_days_after_end,
            "first_period": first_period,
            "last_period": last_period,
            "outlier_threshold": outlier_threshold,
            "description": description,
            "is_active": is_active,
        },
    )
    kinds = _clean_unit_kinds(unit_kinds) if unit_kinds is not UNSET else None
    current.full_clean()
    current.save()
    if kinds is not None:
        _set_unit_kinds(current, kinds)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=current,
        before=before,
        after=_form_snapshot(current),
        unit_id=current.owner_id,
        source=source,
    )
    return current
