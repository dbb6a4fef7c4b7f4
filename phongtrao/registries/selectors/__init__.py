from phongtrao.registries.selectors.base import (
    ListFilters,
    display_value,
    entry_get,
    entry_list,
)

__all__ = ["ListFilters", "display_value", "entry_get", "entry_list"]
