"""`phongtrao extract FILE [--json]`: the figures found in a narrative report."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from phongtrao.core.errors import AppError
from phongtrao.extraction.output import as_json, as_table
from phongtrao.extraction.reading import read_path
from phongtrao.extraction.report_analysis import analyse
from phongtrao.extraction.selectors import unit_resolve


class Command(BaseCommand):
    help = "Figures found in a narrative report (.txt, .docx, .pdf)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--json", action="store_true", help="machine-readable output")

    def handle(self, *args, **options) -> None:
        try:
            text = read_path(options["file"])
        except AppError as exc:
            raise CommandError(exc.message, returncode=2) from exc
        analysis = analyse(text)
        unit = unit_resolve(analysis=analysis)
        output = as_json(analysis, unit) if options["json"] else as_table(analysis, unit)
        self.stdout.write(output)
