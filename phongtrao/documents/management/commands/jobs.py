"""`phongtrao jobs`: the report jobs, newest first, with their status, attempts and error."""

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from phongtrao.documents.models import JobStatus
from phongtrao.documents.selectors import jobs_recent


class Command(BaseCommand):
    help = "List report jobs (newest first): id, status, attempts, progress, asked, report, error."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--status", choices=JobStatus.values)
        parser.add_argument("--page", type=int, default=1)
        parser.add_argument("--per-page", type=int, default=50)

    def handle(self, *args: str, status: str | None, page: int, per_page: int, **_: object) -> None:
        for job in jobs_recent(status=status, page=page, per_page=per_page):
            asked = timezone.localtime(job.created_at).strftime("%d/%m/%Y %H:%M:%S")
            report = f"{job.kind} {job.year} {job.unit.code} {job.format}"
            error = " ".join(job.error.split())
            line = [str(job.pk), job.status, str(job.attempts), f"{job.progress}%", asked, report]
            self.stdout.write("\t".join([*line, error]))
