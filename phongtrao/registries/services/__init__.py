from phongtrao.registries.services.base import (
    entries_import,
    entry_create,
    entry_delete,
    entry_export_log,
    entry_restore,
    entry_update,
)

__all__ = [
    "entries_import",
    "entry_create",
    "entry_delete",
    "entry_export_log",
    "entry_restore",
    "entry_update",
]
