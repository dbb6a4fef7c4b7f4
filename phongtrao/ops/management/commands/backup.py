"""`phongtrao backup PATH`: the whole system in one .zip (DESIGN.md, command line contract).

Output on stdout is stable for scripts: `models N`, `rows N`, `files N`, `path PATH`.
Progress goes to stderr.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from phongtrao.core.console import progress_writer
from phongtrao.core.errors import AppError
from phongtrao.ops.backup import backup_create


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one .zip file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The .zip file to write (replaced if it exists).")

    def handle(self, *args, path: str, **options) -> None:
        try:
            summary = backup_create(path=Path(path), progress=progress_writer(self.stderr))
        except AppError as exc:
            raise CommandError(" ".join([exc.message, *exc.details]), returncode=1) from exc
        self.stdout.write(f"models {summary.models}")
        self.stdout.write(f"rows {summary.rows}")
        self.stdout.write(f"files {summary.files}")
        self.stdout.write(f"path {summary.path}")
