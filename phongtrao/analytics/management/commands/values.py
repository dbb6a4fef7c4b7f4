"""`phongtrao values get|import|export`: output formats are a stable contract (DESIGN.md)."""

import sys
import time
from collections.abc import Callable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from phongtrao.accounts.models import User
from phongtrao.analytics.selectors import value_get
from phongtrao.analytics.states import DEFAULT_STATE, DataState
from phongtrao.core.console import progress_writer
from phongtrao.core.errors import AppError
from phongtrao.core.text import format_number
from phongtrao.reporting.selectors import Boundaries
from phongtrao.reporting.transfer.commit import values_import
from phongtrao.reporting.transfer.export import export_request, export_write
from phongtrao.reporting.transfer.formats import EXTENSIONS, TEXT_FORMATS, Format

FORMATS = [f.value for f in Format]
UNUSABLE = 2  # exit code of a file that cannot be used at all
REJECTED = 1
# A progress line on standard error every so many values; standard output is the contract.
PROGRESS_EVERY = 100_000


class Command(BaseCommand):
    help = "Data values: get a rolled-up value, import or export files."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        get = sub.add_parser("get", help="An indicator's value summed over a unit's subtree.")
        get.add_argument("--indicator", required=True)
        get.add_argument("--unit", required=True)
        get.add_argument("--period", required=True)
        get.add_argument(
            "--boundaries", choices=[b.value for b in Boundaries], default=Boundaries.HISTORICAL
        )
        get.add_argument(
            "--state",
            choices=[s.value for s in DataState],
            default=DEFAULT_STATE,
            help="approved: approved reports only; submitted (default): sent and approved; "
            "all: drafts too.",
        )
        imp = sub.add_parser("import", help="Import a file of values: all of it or nothing.")
        imp.add_argument("file")
        imp.add_argument("--format", choices=FORMATS, help="Guessed from the file when omitted.")
        imp.add_argument("--dry-run", action="store_true", help="Check without writing.")
        imp.add_argument("--user", help="Apply this user's scope (default: the system).")
        imp.add_argument(
            "--allow-closed",
            action="store_true",
            help="A history load (the system only, not with --user): write into periods whose "
            "entry has closed, and approve the reports the file fills.",
        )
        imp.add_argument(
            "--replace-approved",
            action="store_true",
            help="With --allow-closed: also replace values of reports already sent or approved.",
        )
        exp = sub.add_parser("export", help="Export a unit's subtree for a period.")
        exp.add_argument("--unit", required=True)
        exp.add_argument("--period", required=True)
        exp.add_argument("--form", help="Only this form's indicators (needed for xlsx).")
        exp.add_argument("--format", choices=FORMATS)
        exp.add_argument("--out", help="A file; standard output when omitted (text formats).")
        exp.add_argument("--user", help="Apply this user's scope (default: the system).")

    def handle(self, *args, action: str, **options) -> None:
        try:
            getattr(self, f"_{action}")(**options)
        except AppError as exc:
            code = UNUSABLE if action in ("import", "export") else 1
            raise CommandError(" ".join([exc.message, *exc.details]), returncode=code) from exc

    def _get(
        self, indicator: str, unit: str, period: str, boundaries: str, state: str, **options
    ) -> None:
        value = value_get(
            indicator_code=indicator, unit_code=unit, period=period, boundaries=boundaries,
            state=state,
        )  # fmt: skip
        # Machine format ("1240", "2.5"); nothing at all when no unit reported the indicator.
        self.stdout.write("" if value is None else f"{value:f}")

    def _user(self, username: str | None) -> User | None:
        if not username:
            return None
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(
                _("There is no active user %(name)s.") % {"name": username}, returncode=UNUSABLE
            )
        return user

    def _import(
        self, file: str, format: str | None, dry_run: bool, user: str | None,
        allow_closed: bool, replace_approved: bool, **options,
    ) -> None:  # fmt: skip
        # The service refuses --allow-closed with --user, and --replace-approved without it.
        actor = self._user(user)
        progress = _Progress(progress_writer(self.stderr))
        result = values_import(
            path=Path(file), fmt=format, actor=actor, dry_run=dry_run, progress=progress,
            allow_closed=allow_closed, replace_approved=replace_approved,
        )  # fmt: skip
        self.stdout.write("\n".join(result.lines()))
        if result.rejected:
            raise CommandError(
                _("The file was rejected: nothing was written."), returncode=REJECTED
            )

    def _export(
        self, unit: str, period: str, form: str | None, format: str | None, out: str | None,
        user: str | None, **options,
    ) -> None:  # fmt: skip
        fmt = Format(format) if format else _format_of(out)
        request = export_request(
            unit_code=unit, period=period, form_code=form, user=self._user(user)
        )
        if out:
            mode = "w" if fmt in TEXT_FORMATS else "wb"
            kwargs = {"encoding": "utf-8", "newline": ""} if mode == "w" else {}
            with open(out, mode, **kwargs) as fh:
                export_write(fh, request, fmt)
        elif fmt in TEXT_FORMATS:
            export_write(self.stdout, request, fmt)
        else:
            export_write(sys.stdout.buffer, request, fmt)


class _Progress:
    """Says how far a long import has got, once per PROGRESS_EVERY values."""

    def __init__(self, write: Callable[[str], None]) -> None:
        self.write = write
        self.started = time.monotonic()
        self.next = PROGRESS_EVERY

    def __call__(self, done: int) -> None:
        if done < self.next:
            return
        self.next = (done // PROGRESS_EVERY + 1) * PROGRESS_EVERY
        rate = done / max(time.monotonic() - self.started, 1e-9)
        self.write(
            _("%(done)s values checked (%(rate)s a second)…")
            % {"done": format_number(done), "rate": format_number(round(rate))}
        )


def _format_of(out: str | None) -> Format:
    if out and Path(out).suffix.lower() == f".{EXTENSIONS[Format.XLSX]}":
        return Format.XLSX
    if out and Path(out).suffix.lower() == ".json":
        return Format.DHIS2_JSON
    return Format.CSV
