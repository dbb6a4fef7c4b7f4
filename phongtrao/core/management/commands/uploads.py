"""`phongtrao uploads purge`: delete import uploads nobody confirmed in time (for cron).

Each new upload also purges them, so the command only matters on a server nobody uploads to.
"""

from django.core.management.base import BaseCommand, CommandParser

from phongtrao.core.uploads import pending_imports_purge


class Command(BaseCommand):
    help = "Uploaded files: purge the import uploads left unconfirmed."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("purge", help="Delete import uploads older than the configured age.")

    def handle(self, *args, action: str, **options) -> None:
        self.stdout.write(f"removed {pending_imports_purge()}")
