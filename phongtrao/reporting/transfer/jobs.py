"""A confirmed import run on the queue by a worker (PHONGTRAO_JOBS=worker; core/jobs.py).

Without a worker the confirm page imports at once, as it always did (views/transfer.py).
Running a job again writes nothing twice: a finished job is skipped, and an attempt cut off
before it recorded its end rolled back (the import is one transaction) or, if it had
committed, finds every value already as the file says ("unchanged").
"""

import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from phongtrao.core.errors import AppError
from phongtrao.core.jobs import (
    heartbeat,
    job_claim,
    job_enqueue,
    job_failed,
    job_renewer,
    job_update,
    jobs_recover,
)
from phongtrao.core.text import format_number
from phongtrao.core.uploads import pending_imports_dir
from phongtrao.reporting.models import ImportJob, ImportJobStatus
from phongtrao.reporting.transfer.commit import ImportResult, values_import

logger = logging.getLogger(__name__)
# Problems said on the job's page; the preview showed them all before the import was confirmed.
PROBLEMS_SHOWN = 20


def import_job_create(*, actor: Any, upload: str, fmt: str, file_name: str) -> ImportJob:
    """Queue the import of an upload waiting under MEDIA_ROOT/imports/ (checked by a preview)."""
    job = ImportJob.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        upload=Path(upload).name, format=fmt, file_name=file_name,
    )  # fmt: skip
    job_enqueue(import_job_task, job_id=job.pk)
    return job


def import_jobs_recover(*, now: datetime | None = None) -> int:
    """Import jobs of a dead worker queued again (core/jobs.py)."""
    return jobs_recover(
        ImportJob,
        task=import_job_task,
        now=now,
        retry_message=_("The import was interrupted (the server restarted); it is tried again."),
        failed_message=_(
            "The import was interrupted (the server restarted) and did not finish; please "
            "import the file again."
        ),
    )


def _refusal(result: ImportResult) -> str:
    count = format_number(result.problem_count)
    lines = [_("The file was refused: %(count)s problems; nothing was written.") % {"count": count}]
    lines += [str(problem) for problem in result.problems[:PROBLEMS_SHOWN]]
    return "\n".join(lines)


def import_job_run(*, job_id: int) -> ImportJob:
    """Import the job's file; every failure ends in the row (retried, or failed)."""
    job = job_claim(ImportJob.objects.select_related("actor"), job_id, progress=0)
    if job is None:
        return ImportJob.objects.get(pk=job_id)
    path = pending_imports_dir() / job.upload

    def progress(checked: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(progress=checked)

    try:
        with heartbeat(job_renewer(ImportJob, job_id)):
            result = values_import(
                path=path, fmt=job.format, actor=job.actor, file_name=job.file_name,
                progress=progress,
            )  # fmt: skip
    except AppError as exc:
        # The file or the data is wrong: another attempt would say the same.
        job_failed(job, " ".join([exc.message, *exc.details[:PROBLEMS_SHOWN]]),
                   task=import_job_task, retry=False)  # fmt: skip
    except Exception:  # a worker has nobody to report to but the row and the log
        logger.exception("import job %s failed (attempt %s)", job.pk, job.attempts)
        message = _("The import failed; the error has been logged. Nothing was written.")
        job_failed(job, message, task=import_job_task)
    else:
        if result.rejected:
            job_failed(job, _refusal(result), task=import_job_task, retry=False)
        else:
            job_update(
                job, status=ImportJobStatus.DONE, leased_until=None, error="",
                value_import_id=result.value_import_id, imported=result.imported,
                updated=result.updated, ignored=result.ignored, finished_at=timezone.now(),
            )  # fmt: skip
    if job.is_finished:
        path.unlink(missing_ok=True)
    return job


@task()
def import_job_task(job_id: int) -> None:
    """What the queue runs: the import job by its id."""
    import_job_run(job_id=job_id)
