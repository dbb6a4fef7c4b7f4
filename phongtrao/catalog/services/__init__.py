"""Every write to the catalogue: keyword-only, inside a transaction, validated, audited.

The catalogue is shared by the whole country, so its audit events carry no unit. Services
re-read the row they change under a lock, so an instance already touched by a ModelForm
never leaks its unsaved values into the "before" of the audit.
"""

from phongtrao.catalog.services.common import UNSET
from phongtrao.catalog.services.forms import form_create, form_update
from phongtrao.catalog.services.indicators import indicator_create, indicator_update
from phongtrao.catalog.services.rules import rule_create, rule_delete, rule_update
from phongtrao.catalog.services.structure import (
    ItemRow,
    SectionRow,
    form_items_save,
    form_sections_save,
)

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
