"""Writes to validation rules."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from phongtrao.catalog import expressions, ownership
from phongtrao.catalog.models import Indicator, ReportForm, ReportFormItem, Severity, ValidationRule
from phongtrao.catalog.services.changes import apply_changes
from phongtrao.core.audit import audit_record, snapshot
from phongtrao.core.models import AuditAction
from phongtrao.core.unset import UNSET


def _check_rule(rule: ValidationRule) -> None:
    """Both sides parse, name indicators of the catalogue that are numbers and on the form."""
    catalogue = {i.code: i for i in Indicator.objects.all()}
    on_form = set(
        ReportFormItem.objects.filter(form=rule.form_id).values_list("indicator__code", flat=True)
    )
    found: list[str] = []
    for side in ("left", "right"):
        try:
            node = expressions.parse(getattr(rule, side), known_codes=catalogue)
        except expressions.ExpressionError as exc:
            raise ValidationError({side: exc.message}) from exc
        for ref in expressions.refs(node):
            if not catalogue[ref.code].is_numeric:
                raise ValidationError(
                    {
                        side: _(
                            'The indicator "%(code)s" at position %(pos)s holds text and cannot '
                            "be calculated with."
                        )
                        % {"code": ref.code, "pos": ref.position}
                    }
                )
            if ref.code not in on_form:
                raise ValidationError(
                    {
                        side: _(
                            'The indicator "%(code)s" at position %(pos)s is not on the form '
                            "%(form)s."
                        )
                        % {"code": ref.code, "pos": ref.position, "form": rule.form.code}
                    }
                )
            found.append(ref.code)
    if not found:
        raise ValidationError({"left": _("A rule must use at least one indicator.")})


def _save_rule(rule: ValidationRule) -> None:
    rule.full_clean()
    _check_rule(rule)
    rule.save()


@transaction.atomic
def rule_create(
    *,
    actor: Any,
    form: ReportForm,
    left: str,
    operator: str,
    right: str,
    message: str,
    severity: str = Severity.ERROR,
    is_active: bool = True,
    source: str = "web",
) -> ValidationRule:
    ownership.check_change(actor=actor, owner_id=form.owner_id)
    rule = ValidationRule(form=form)
    apply_changes(
        rule,
        {
            "left": left,
            "operator": operator,
            "right": right,
            "message": message,
            "severity": severity,
            "is_active": is_active,
        },
    )
    _save_rule(rule)
    audit_record(
        actor=actor, action=AuditAction.CREATE, instance=rule, after=snapshot(rule),
        unit_id=form.owner_id, source=source,
    )  # fmt: skip
    return rule


@transaction.atomic
def rule_update(
    *,
    actor: Any,
    rule: ValidationRule,
    left: str = UNSET,
    operator: str = UNSET,
    right: str = UNSET,
    message: str = UNSET,
    severity: str = UNSET,
    is_active: bool = UNSET,
    source: str = "web",
) -> ValidationRule:
    current = (
        ValidationRule.objects.select_for_update(of=("self",))
        .select_related("form")
        .get(pk=rule.pk)
    )
    ownership.check_change(actor=actor, owner_id=current.form.owner_id)
    before = snapshot(current)
    apply_changes(
        current,
        {
            "left": left,
            "operator": operator,
            "right": right,
            "message": message,
            "severity": severity,
            "is_active": is_active,
        },
    )
    _save_rule(current)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=current,
        before=before,
        after=snapshot(current),
        unit_id=current.form.owner_id,
        source=source,
    )
    return current


@transaction.atomic
def rule_delete(*, actor: Any, rule: ValidationRule, source: str = "web") -> None:
    current = (
        ValidationRule.objects.select_for_update(of=("self",))
        .select_related("form")
        .get(pk=rule.pk)
    )
    ownership.check_change(actor=actor, owner_id=current.form.owner_id)
    audit_record(
        actor=actor,
        action=AuditAction.DELETE,
        instance=current,
        before=snapshot(current),
        unit_id=current.form.owner_id,
        source=source,
    )
    current.delete()
