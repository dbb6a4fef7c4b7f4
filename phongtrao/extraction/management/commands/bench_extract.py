"""`phongtrao bench_extract [--json]`: the extractor's precision and recall on its corpus.

Until the `phongtrao bench` dispatcher calls `bench_extract` for `bench extract`.
"""

from django.core.management.base import BaseCommand

from phongtrao.extraction.bench import bench_extract


class Command(BaseCommand):
    help = "Precision and recall of the report extractor on its test corpus."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options) -> None:
        self.stdout.write(bench_extract(options["json"]))
