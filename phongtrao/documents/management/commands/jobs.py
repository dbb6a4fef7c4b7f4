"""`phongtrao jobs`: the report jobs (or, with --imports, the import jobs; with --recounts, the
recounts of the totals), newest first, with their status, attempts and error."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from phongtrao.analytics.selectors import recount_jobs_recent
from phongtrao.documents.models import JobStatus
from phongtrao.documents.selectors import jobs_recent
from phongtrao.reporting.selectors import import_jobs_recent


class Command(BaseCommand):
    help = "List report jobs (newest first): id, status, attempts, progress, asked, report, error."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--status", choices=JobStatus.values)
        parser.add_argument("--page", type=int, default=1)
        parser.add_argument("--per-page", type=int, default=50)
        parser.add_argument(
            "--imports", action="store_true", help="import jobs: id, status, attempts, values "
            "checked, asked, file, error"
        )  # fmt: skip
        parser.add_argument(
            "--recounts", action="store_true", help="recounts of the totals: id, status, "
            "attempts, progress, asked, totals written, error"
        )  # fmt: skip

    def handle(
        self, *args: str, status: str | None, page: int, per_page: int, imports: bool,
        recounts: bool, **_: object,
    ) -> None:  # fmt: skip
        if recounts:
            for job in recount_jobs_recent(status=status, page=page, per_page=per_page):
                self._line(job, f"{job.progress}%", str(job.totals))
            return
        if imports:
            for job in import_jobs_recent(status=status, page=page, per_page=per_page):
                self._line(job, str(job.progress), job.file_name)
            return
        for job in jobs_recent(status=status, page=page, per_page=per_page):
            report = f"{job.kind} {job.year} {job.unit.code} {job.format}"
            self._line(job, f"{job.progress}%", report)

    def _line(self, job: Any, progress: str, what: str) -> None:
        asked = timezone.localtime(job.created_at).strftime("%d/%m/%Y %H:%M:%S")
        error = " ".join(job.error.split())
        fields = [str(job.pk), job.status, str(job.attempts), progress, asked, what, error]
        self.stdout.write("\t".join(fields))
