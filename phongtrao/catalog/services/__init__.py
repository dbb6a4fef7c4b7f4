"""Every write to the catalogue: keyword-only, inside a transaction, validated, audited.

Who may change which part is decided in `catalog.ownership`; the audit events of the national
catalogue carry no unit (everyone reads them), a province's carry that province. Services
re-read the row they change under a lock, so an instance already touched by a ModelForm
never leaks its unsaved values into the "before" of the audit.
"""

from phongtrao.catalog.services.forms import form_create, form_update
from phongtrao.catalog.services.indicators import indicator_create, indicator_update
from phongtrao.catalog.services.rules import rule_create, rule_delete, rule_update
from phongtrao.catalog.services.structure import (
    ItemRow,
    SectionRow,
    form_items_save,
    form_sections_save,
)
from phongtrao.core.unset import UNSET

__all__ = [
    "UNSET",
    "ItemRow",
    "SectionRow",
    "form_create",
    "form_items_save",
    "form_sections_save",
    "form_update",
    "indicator_create",
    "indicator_update",
    "rule_create",
    "rule_delete",
    "rule_update",
]
