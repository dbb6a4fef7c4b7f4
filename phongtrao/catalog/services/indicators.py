"""Writes to indicators."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from phongtrao.catalog import ownership
from phongtrao.catalog.models import NUMERIC_VALUE_TYPES, Aggregation, Indicator, ValueType
from phongtrao.catalog.selectors import rules_using_indicator
from phongtrao.catalog.services.changes import apply_changes
from phongtrao.core.audit import audit_record, snapshot
from phongtrao.core.models import AuditAction
from phongtrao.core.text import clean_text, search_key
from phongtrao.core.unset import UNSET


def _search_key(indicator: Indicator) -> str:
    return search_key(f"{indicator.code} {indicator.name} {indicator.name_en}")


@transaction.atomic
def indicator_create(
    *,
    actor: Any,
    code: str,
    name: str,
    name_en: str = "",
    value_type: str = ValueType.WHOLE,
    aggregation: str = Aggregation.SUM,
    unit_of_measure: str = "",
    description: str = "",
    allow_negative: bool = False,
    max_plausible: Decimal | None = None,
    is_active: bool = True,
    source: str = "web",
) -> Indicator:
    indicator = Indicator(code=clean_text(code).upper(), owner=ownership.owner_for_new(actor))
    apply_changes(
        indicator,
        {
            "name": name,
            "name_en": name_en,
            "value_type": value_type,
            "aggregation": aggregation,
            "unit_of_measure": unit_of_measure,
            "description": description,
            "allow_negative": allow_negative,
            "max_plausible": max_plausible,
            "is_active": is_active,
        },
    )
    indicator.search_key = _search_key(indicator)
    indicator.full_clean()
    indicator.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=indicator,
        after=snapshot(indicator),
        unit_id=indicator.owner_id,
        source=source,
    )
    return indicator


@transaction.atomic
def indicator_update(
    *,
    actor: Any,
    indicator: Indicator,
    name: str = UNSET,
    name_en: str = UNSET,
    value_type: str = UNSET,
    aggregation: str = UNSET,
    unit_of_measure: str = UNSET,
    description: str = UNSET,
    allow_negative: bool = UNSET,
    max_plausible: Decimal | None = UNSET,
    is_active: bool = UNSET,
    source: str = "web",
) -> Indicator:
    """Everything but the code, which is a public contract and never changes."""
    current = Indicator.objects.select_for_update().get(pk=indicator.pk)
    ownership.check_change(actor=actor, owner_id=current.owner_id)
    before = snapshot(current)
    apply_changes(
        current,
        {
            "name": name,
            "name_en": name_en,
            "value_type": value_type,
            "aggregation": aggregation,
            "unit_of_measure": unit_of_measure,
            "description": description,
            "allow_negative": allow_negative,
            "max_plausible": max_plausible,
            "is_active": is_active,
        },
    )
    if current.value_type not in NUMERIC_VALUE_TYPES:
        used = rules_using_indicator(code=current.code)
        if used:
            raise ValidationError(
                {
                    "value_type": _(
                        "The rule %(rule)s of form %(form)s calculates with this indicator."
                    )
                    % {"rule": used[0], "form": used[0].form.code}
                }
            )
    current.search_key = _search_key(current)
    current.full_clean()
    current.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=current,
        before=before,
        after=snapshot(current),
        unit_id=current.owner_id,
        source=source,
    )
    return current
