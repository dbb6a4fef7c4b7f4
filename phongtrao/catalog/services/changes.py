"""Partial updates in the catalogue's services: UNSET ("leave as it is") and apply_changes."""

from typing import Any

from phongtrao.core.text import clean_text
from phongtrao.core.unset import UNSET


def apply_changes(instance: Any, changes: dict[str, Any]) -> None:
    for name, value in changes.items():
        if value is not UNSET:
            setattr(instance, name, clean_text(value) if isinstance(value, str) else value)
