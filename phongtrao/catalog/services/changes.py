"""Partial updates in the catalogue's services: UNSET ("leave as it is") and apply_changes."""

from typing import Any

from phongtrao.core.text import clean_text


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


# "Leave as it is", distinct from None, which clears a nullable field.
UNSET: Any = _Unset()


def apply_changes(instance: Any, changes: dict[str, Any]) -> None:
    for name, value in changes.items():
        if value is not UNSET:
            setattr(instance, name, clean_text(value) if isinstance(value, str) else value)
