"""Unit codes of an imported file, resolved with one query per chunk of new codes."""

from collections.abc import Iterable
from datetime import date

from django.utils.translation import gettext as _

from phongtrao.core.text import format_date
from phongtrao.units.models import ADMINISTRATIVE_KINDS, KIND_ORDER, Unit, UnitSuccession

# A unit's row as the cache keeps it.
CODE, ID, PATH, NAME, KIND, START, END, SHORT = range(8)


class UnitCache:
    """Unit codes resolved on a day as `unit_get` does; each code is read from the database once.

    A unit outside `scope` (paths; None for the system) resolves to None, like a missing one.
    """

    def __init__(self, scope: list[str] | None) -> None:
        self.scope = scope
        self.by_code: dict[str, list[tuple]] = {}
        self.resolved: dict[tuple[str, date], tuple | None] = {}
        self.took_over: dict[int, list[tuple[str, str]]] = {}

    def load(self, codes: Iterable[str]) -> None:
        missing = {c for c in codes if c not in self.by_code}
        if not missing:
            return
        for code in missing:
            self.by_code[code] = []
        rows = Unit.objects.filter(code__in=missing).values_list(
            "code", "id", "path", "name", "kind", "valid_from", "valid_to", "short_name"
        )
        for row in rows.order_by():
            self.by_code[row[0]].append(row)
        for units in self.by_code.values():
            units.sort(key=lambda u: (u[4] not in ADMINISTRATIVE_KINDS, KIND_ORDER.index(u[4])))

    def get(self, code: str, day: date) -> tuple | None:
        """(id, path, name, kind, short name) of the unit the code names that day, or None."""
        key = (code, day)
        try:
            return self.resolved[key]
        except KeyError:
            pass
        found = None
        for _c, pk, path, name, kind, start, end, short in self.by_code.get(code.strip(), ()):
            if (start is None or start <= day) and (end is None or end >= day):
                found = (pk, path, name, kind, short)
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
            for _c, _pk, path, name, _k, _start, end, _s in self.by_code.get(code.strip(), ())
            if end is not None and end < day and self._in_scope(path)
        ]
        if not ended:
            return None
        end, name = max(ended)
        return name, end

    def later(self, code: str, day: date) -> list[tuple]:
        """The cached rows of the units the code names only after `day` (in scope), first
        begun first; for the rows `get` found none for, or a sheet named for one of them."""
        return sorted(
            (
                row
                for row in self.by_code.get(code.strip(), ())
                if row[START] is not None and row[START] > day and self._in_scope(row[PATH])
            ),
            key=lambda row: row[START],
        )

    def predecessors(self, unit_id: int) -> list[tuple[str, str]]:
        """(code, name) of the units this one took over in the 2025 reform, by code; one query
        per unit, only for the rows that need them."""
        if unit_id not in self.took_over:
            rows = UnitSuccession.objects.filter(successor_id=unit_id).values_list(
                "predecessor__code", "predecessor__name"
            )
            self.took_over[unit_id] = sorted(set(rows))
        return self.took_over[unit_id]

    def too_early(self, row: tuple, period_id: str) -> str:
        """Why a value of `period_id` cannot go to the unit of `row`, which began after that
        period ended: its figures belong to the units it took over, named with their codes."""
        olds = ", ".join(f"{code} {name}" for code, name in self.predecessors(row[ID]))
        message = _(
            "%(unit)s began on %(date)s, after %(period)s: the figures of %(period)s belong to "
            "the units it took over; enter them under those units: %(units)s."
        )
        return message % {
            "unit": row[NAME], "date": format_date(row[START]), "period": period_id,
            "units": olds or "—",
        }  # fmt: skip
