"""`phongtrao units load|count|find|successors`: output formats are a stable contract."""

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from phongtrao.core.errors import AppError
from phongtrao.units import selectors
from phongtrao.units.loading import units_load


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(_("Invalid date %(value)s: use YYYY-MM-DD.") % {"value": value}) from exc


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


class Command(BaseCommand):
    help = "Administrative units: load the official lists, count, find, successors."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load", help="Load both unit lists and the 2025 mapping (idempotent).")
        count = sub.add_parser("count", help="Units in force on a day, per kind.")
        count.add_argument("--on", type=_date)
        find = sub.add_parser("find", help="Find units by name, ignoring diacritics.")
        find.add_argument("query")
        find.add_argument("--on", type=_date)
        successors = sub.add_parser("successors", help="Today's units that took over an old one.")
        successors.add_argument("code")
        successors.add_argument("--on", type=_date)

    def handle(self, *args, action: str, **options) -> None:
        try:
            getattr(self, f"_{action}")(**options)
        except AppError as exc:
            raise CommandError(exc.message) from exc

    def _load(self, **options) -> None:
        started = time.monotonic()
        result = units_load()
        self.stdout.write(
            f"created {result.created}\nupdated {result.updated}\n"
            f"unchanged {result.unchanged}\nsuccessions created {result.successions_created}"
        )
        self.stderr.write(f"{time.monotonic() - started:.1f}s")

    def _count(self, on: date | None = None, **options) -> None:
        for kind, n in selectors.units_count(on=on):
            self.stdout.write(f"{kind} {n}")

    def _find(self, query: str, on: date | None = None, **options) -> None:
        for unit in selectors.units_search(query=query, on=on):
            parent = unit.parent.name if unit.parent else ""
            self.stdout.write(
                "\t".join(
                    [
                        unit.code,
                        unit.name,
                        unit.kind,
                        parent,
                        _iso(unit.valid_from),
                        _iso(unit.valid_to),
                    ]
                )  # fmt: skip
            )

    def _successors(self, code: str, on: date | None = None, **options) -> None:
        unit = selectors.unit_get(code=code, on=on or selectors.default_successor_lookup_date())
        for succession in selectors.unit_successors(unit=unit):
            share = succession.share.normalize()
            self.stdout.write(
                f"{succession.successor.code}\t{succession.successor.name}\t{share:f}"
            )
