"""`phongtrao bench SUBJECT …`: each subject's benchmark lives in its own module.

A module named in BENCHMARKS provides `add_arguments(parser)` and `run(command, **options)`;
adding a benchmark is one line here.
"""

from importlib import import_module

from django.core.management.base import BaseCommand, CommandParser

BENCHMARKS = {
    "import": "phongtrao.reporting.bench",
    "report": "phongtrao.documents.bench",
    "extract": "phongtrao.extraction.bench",
    "analytics": "phongtrao.analytics.bench",
    "load": "phongtrao.ops.loadtest",
    "pages": "phongtrao.ops.loadtest.pages",
}


class Command(BaseCommand):
    help = "Benchmarks: measure a part of the system on the configured database."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subject", required=True)
        for name, module in BENCHMARKS.items():
            bench = import_module(module)
            bench.add_arguments(sub.add_parser(name, help=bench.__doc__.splitlines()[0]))

    def handle(self, *args, subject: str, **options) -> None:
        import_module(BENCHMARKS[subject]).run(self, **options)
