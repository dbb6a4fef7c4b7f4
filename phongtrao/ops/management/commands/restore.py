"""`phongtrao restore PATH [--yes]`: put a `phongtrao backup` file back, all or nothing.

Exit codes: 0 restored; 1 refused because the database holds data and --yes was not given
(nothing changed); 2 the file is not a usable backup, or loading it failed (nothing changed);
3 the data was restored but the uploaded files could not be moved into place (the message says
where they are).
Output on stdout is stable for scripts: `models N`, `rows N`, `files N`, `path PATH`.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from phongtrao.core.console import progress_writer
from phongtrao.core.errors import AppError
from phongtrao.core.text import format_number
from phongtrao.ops.backup import BackupErrorCode, backup_restore, restore_plan

NOT_CONFIRMED = 1
UNUSABLE = 2
MEDIA_NOT_PLACED = 3


class Command(BaseCommand):
    help = "Restore a backup made by `phongtrao backup`, replacing the data and uploaded files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="A .zip file written by `phongtrao backup`.")
        parser.add_argument(
            "--yes", action="store_true", help="Replace the data this database already holds."
        )

    def handle(self, *args, path: str, yes: bool, **options) -> None:
        try:
            plan = restore_plan(path=Path(path))
        except AppError as exc:
            raise CommandError(self._message(exc), returncode=UNUSABLE) from exc
        if plan.existing and not yes:
            self.stderr.write(_("The database already holds data that the restore would replace:"))
            for label, count in plan.existing.items():
                self.stderr.write(f"  {label}\t{format_number(count)}")
            raise CommandError(
                _("Nothing was changed. Run again with --yes to replace this data."),
                returncode=NOT_CONFIRMED,
            )
        try:
            summary = backup_restore(plan=plan, replace=yes, progress=progress_writer(self.stderr))
        except AppError as exc:
            code = MEDIA_NOT_PLACED if exc.code == BackupErrorCode.MEDIA_FAILED else UNUSABLE
            raise CommandError(self._message(exc), returncode=code) from exc
        if summary.previous_media is not None:
            self.stderr.write(
                _("The uploaded files that were in place were moved to %(path)s.")
                % {"path": summary.previous_media}
            )
        self.stdout.write(f"models {summary.models}")
        self.stdout.write(f"rows {summary.rows}")
        self.stdout.write(f"files {summary.files}")
        self.stdout.write(f"path {summary.path}")

    @staticmethod
    def _message(exc: AppError) -> str:
        return "\n".join([exc.message, *(f"  {detail}" for detail in exc.details)])
