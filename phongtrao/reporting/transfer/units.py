"""Unit codes of an imported file, resolved with one query per chunk of new codes."""

from collections.abc import Iterable
from datetime import date

from phongtrao.units.models import ADMINISTRATIVE_KINDS, KIND_ORDER, Unit


class UnitCache:
    """Unit codes resolved on a day as `unit_get` does; each code is read from the database once.

    A unit outside `scope` (paths; None for the system) resolves to None, like a missing one.
    """

    def __init__(self, scope: list[str] | None) -> None:
        self.scope = scope
        self.by_code: dict[str, list[tuple]] = {}
        self.resolved: dict[tuple[str, date], tuple | None] = {}

    def load(self, codes: Iterable[str]) -> None:
        missing = {c for c in codes if c not in self.by_code}
        if not missing:
            return
        for code in missing:
            self.by_code[code] = []
        rows = Unit.objects.filter(code__in=missing).values_list(
            "code", "id", "path", "name", "kind", "valid_from", "valid_to"
        )
        for row in rows.order_by():
            self.by_code[row[0]].append(row)
        for units in self.by_code.values():
            units.sort(key=lambda u: (u[4] not in ADMINISTRATIVE_KINDS, KIND_ORDER.index(u[4])))

    def get(self, code: str, day: date) -> tuple | None:
        """(id, path, name) of the unit the code names that day, or None."""
        key = (code, day)
        try:
            return self.resolved[key]
        except KeyError:
            pass
        found = None
        for _c, pk, path, name, _k, start, end in self.by_code.get(code.strip(), ()):
            if (start is None or start <= day) and (end is None or end >= day):
                found = (pk, path, name)
                break
        if found and not self._in_scope(found[1]):
            found = None
        self.resolved[key] = found
        return found

    def _in_scope(self, path: str) -> bool:
        return self.scope is None or any(path.startswith(p) for p in self.scope)

    def gone_by(self, code: str, day: date) -> tuple | None:
        """(name, end) of the unit the code last named before `day`, for the rows `get` found
        none for; never called in the usual case, so it needs no cache."""
        ended = [
            (end, name)
            for _c, _pk, path, name, _k, _start, end in self.by_code.get(code.strip(), ())
            if end is not None and end < day and self._in_scope(path)
        ]
        if not ended:
            return None
        end, name = max(ended)
        return name, end
