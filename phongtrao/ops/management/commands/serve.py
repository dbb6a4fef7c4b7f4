"""`phongtrao serve`: the production web server, gunicorn with deploy/gunicorn.conf.py."""

import os
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

DEFAULT_CONFIG = Path(settings.BASE_DIR).parent / "deploy" / "gunicorn.conf.py"


class Command(BaseCommand):
    help = "Run the web server (gunicorn) as in production; `make run` is for development."
    # gunicorn checks its own things; the database may not be up yet when systemd starts it.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--config",
            default=os.environ.get("PHONGTRAO_GUNICORN_CONFIG", str(DEFAULT_CONFIG)),
            help="gunicorn's configuration file (default: deploy/gunicorn.conf.py)",
        )
        parser.add_argument("--bind", help="address:port, instead of PHONGTRAO_BIND")

    def handle(self, *args: str, config: str, bind: str | None, **options: object) -> None:
        command = [sys.executable, "-m", "gunicorn", "--config", config]
        if bind:
            command += ["--bind", bind]
        # exec: systemd's stop signal and the journal go to gunicorn itself, not to a parent.
        os.execv(sys.executable, command)
