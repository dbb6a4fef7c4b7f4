"""Background jobs: what each job's service needs besides the queue itself.

The queue is django-tasks with its database backend (`django_tasks_db`, docs/deploy.md says
why): a job is a row, so it survives a restart and is seen by every app server. It does not
retry a failed job, nor notice that the worker running one was killed; a job's own row does
that here: an attempts counter, a wait that grows after each failure, and a lease its worker
renews while it runs (`heartbeat`), so a job whose lease ran out is handed to another worker.

A job's row (documents.ReportJob, reporting.ImportJob, analytics.RecountJob) has the fields
`status` (the values of `JobStatus`), `progress`, `attempts`, `leased_until`, `error`,
`created_at`, `finished_at`; its task takes the row's id as `job_id`.

With PHONGTRAO_JOBS=inline (the default, for `make run` and tests) no worker is needed: the
process that asks for a job runs it at once.
"""

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone

logger = logging.getLogger(__name__)
# Jobs left PENDING this long while they run inline lost the process that was to run them.
JOB_TIMEOUT = timedelta(minutes=10)


class JobStatus:
    """The values of a job's `status`; each app labels them in its own words."""

    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    FINISHED = (DONE, FAILED)


def jobs_inline() -> bool:
    return settings.PHONGTRAO_JOBS == "inline"


def job_enqueue(task: Any, *, delay_seconds: float = 0, **kwargs: Any) -> None:
    """Hand a django-tasks `task` to the queue, or run it now when there is no worker."""
    if jobs_inline():
        # Said every time: a deployment that forgot PHONGTRAO_JOBS=worker sees why its pages
        # wait on reports.
        logger.info("%s runs inline (PHONGTRAO_JOBS=inline, no worker) %s", task.name, kwargs)
        task.call(**kwargs)
        return
    if delay_seconds:
        task = task.using(run_after=timezone.now() + timedelta(seconds=delay_seconds))
    result = task.enqueue(**kwargs)
    logger.info("%s queued as %s %s", task.name, result.id, kwargs)


def lease_end(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) + timedelta(seconds=settings.PHONGTRAO_JOB_LEASE_SECONDS)


def retry_delay(attempts: int) -> float:
    """Seconds before the next attempt: doubling, so a database that is away gets time."""
    return settings.PHONGTRAO_JOB_RETRY_SECONDS * 2 ** max(attempts - 1, 0)


@contextmanager
def heartbeat(renew: Callable[[], None]) -> Iterator[None]:
    """Call `renew` every third of a lease while the body runs, from a thread of its own."""
    stop = threading.Event()
    period = settings.PHONGTRAO_JOB_LEASE_SECONDS / 3

    def beat() -> None:
        try:
            while not stop.wait(period):
                try:
                    renew()
                except Exception:  # a missed beat is retried; the job itself goes on
                    logger.warning("could not renew a job's lease", exc_info=True)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name="job-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def job_update(job: models.Model, **fields: Any) -> None:
    """Write these fields of the job's row only: a worker never overwrites what another wrote."""
    for name, value in fields.items():
        setattr(job, name, value)
    type(job).objects.filter(pk=job.pk).update(**fields)


def job_claim(jobs: models.QuerySet, job_id: int, **fields: Any) -> Any:
    """Take the job for this process, or None when it is finished or a live worker holds it
    (the queue may hand a job over twice: a retry and a recovery of the same attempt)."""
    now = timezone.now()
    with transaction.atomic():
        job = jobs.select_for_update(of=("self",)).get(pk=job_id)
        if job.status in JobStatus.FINISHED:
            return None
        if job.status == JobStatus.RUNNING and job.leased_until and job.leased_until > now:
            return None
        job_update(job, status=JobStatus.RUNNING, attempts=job.attempts + 1,
                   leased_until=lease_end(now), error="", **fields)  # fmt: skip
    return job


def job_renewer(model: type[models.Model], job_id: int) -> Callable[[], None]:
    """What `heartbeat` calls: the lease of the job, while it runs, pushed on."""

    def renew() -> None:
        running = model.objects.filter(pk=job_id, status=JobStatus.RUNNING)
        running.update(leased_until=lease_end())

    return renew


def job_failed(
    job: models.Model, message: str, *, task: Any, retry: bool = True, wait: bool = True
) -> None:
    """Another attempt later, waiting longer each time, or failed after the last one."""
    if retry and job.attempts < settings.PHONGTRAO_JOB_ATTEMPTS:
        job_update(job, status=JobStatus.PENDING, progress=0, leased_until=None, error=message)
        delay = retry_delay(job.attempts) if wait else 0
        job_enqueue(task, delay_seconds=delay, job_id=job.pk)
        return
    job_update(job, status=JobStatus.FAILED, leased_until=None, error=message,
               finished_at=timezone.now())  # fmt: skip


def jobs_recover(
    model: type[models.Model],
    *,
    task: Any,
    retry_message: str,
    failed_message: str,
    now: datetime | None = None,
) -> int:
    """Jobs whose worker stopped renewing its lease (killed, machine gone): queued again, or
    failed once they had every attempt; with no worker, also those never started. The job
    says `retry_message` when it waits for another attempt, `failed_message` when it failed.

    With a worker its sweep calls this (`phongtrao worker`); pages call it only without one."""
    now = now or timezone.now()
    stale = Q(status=JobStatus.RUNNING) & (
        Q(leased_until__lt=now) | Q(leased_until__isnull=True, created_at__lt=now - JOB_TIMEOUT)
    )
    if jobs_inline():
        stale |= Q(status=JobStatus.PENDING, created_at__lt=now - JOB_TIMEOUT)
    # Read first, so a sweep takes no write lock (on SQLite it would wait behind a long import)
    # unless there is something to do.
    ids = list(model.objects.filter(stale).values_list("pk", flat=True))
    recovered = 0
    for job_id in ids:
        with transaction.atomic():
            job = model.objects.select_for_update().filter(stale, pk=job_id).first()
            if job is None:  # another app server or worker got there first
                continue
            # Without a worker nobody would run it again: the person asks again.
            again = not jobs_inline() and job.attempts < settings.PHONGTRAO_JOB_ATTEMPTS
            message = retry_message if again else failed_message
            # Nothing went wrong with the job itself: another worker may take it at once.
            job_failed(job, message, task=task, retry=again, wait=False)
            recovered += 1
    return recovered


def jobs_recover_on_page(recover: Callable[[], int]) -> None:
    """What a page that follows a job calls (`recover`: its kind's `*_jobs_recover`). Without a
    worker nobody else notices a job its web process lost; with one, the worker's sweep does,
    and a page polled every 2 s leaves it that work."""
    if jobs_inline():
        recover()
