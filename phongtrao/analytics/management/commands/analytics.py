"""`phongtrao analytics check|rebuild`: the maintained totals against a full recount.

`rebuild` goes through a recount job (analytics.RecountJob): run at once without a worker
(PHONGTRAO_JOBS=inline), queued and waited for with one, or only queued with `--no-wait`.
"""

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from phongtrao.analytics.models import RecountJob, RecountJobStatus
from phongtrao.analytics.services import recount_job_create, recount_job_run
from phongtrao.analytics.totals import totals_differences
from phongtrao.core.console import progress_writer
from phongtrao.core.jobs import jobs_inline
from phongtrao.core.text import format_number

SHOWN = 20
# Seconds between two looks at a queued recount's row.
POLL_SECONDS = 1.0


class Command(BaseCommand):
    help = "Check the subtree totals against a recount of every value, or rebuild them."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("check", help="Exit 1 and list the differences when a total is wrong.")
        rebuild = sub.add_parser("rebuild", help="Count every total again from the values.")
        rebuild.add_argument(
            "--no-wait", action="store_true",
            help="with a worker (PHONGTRAO_JOBS=worker): print the job's id and return",
        )  # fmt: skip

    def handle(self, *args, action: str, no_wait: bool = False, **options) -> None:
        if action == "rebuild":
            self._rebuild(no_wait=no_wait)
            return
        differences = totals_differences()
        if differences:
            for line in differences[:SHOWN]:
                self.stdout.write(line)
            raise CommandError(
                _("%(count)s totals differ from a recount; run `phongtrao analytics rebuild`.")
                % {"count": format_number(len(differences))}
            )
        self.stdout.write(_("Every total agrees with a recount of the values."))

    def _rebuild(self, *, no_wait: bool) -> None:
        say = progress_writer(self.stderr)

        def progress(percent: int) -> None:
            say(_("Recounting the totals: %(percent)s%%") % {"percent": percent})

        if jobs_inline():
            # Run here, unless another process holds the recount already: then wait for it.
            job = recount_job_create(actor=None, run=False)
            job = recount_job_run(job_id=job.pk, progress=progress)
        else:
            job = recount_job_create(actor=None)
            if no_wait:
                self.stdout.write(str(job.pk))
                return
        job = self._wait(job, progress)
        if job.status == RecountJobStatus.FAILED:
            raise CommandError(job.error)
        self.stdout.write(_("%(count)s totals rebuilt.") % {"count": format_number(job.totals)})

    def _wait(self, job: RecountJob, progress) -> RecountJob:
        """The job's row read until it finishes; its progress said as it changes."""
        shown = None
        while not job.is_finished:
            if job.status == RecountJobStatus.RUNNING and job.progress != shown:
                shown = job.progress
                progress(shown)
            time.sleep(POLL_SECONDS)
            job.refresh_from_db()
        return job
