"""Writes of analytics: the rebuild of the derived totals (the triggers keep them), and the job
that runs it on the queue (core/jobs.py) for a page or `phongtrao analytics rebuild`."""

import logging
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from phongtrao.analytics.models import (
    ACTIVE_STATUSES,
    RecountJob,
    RecountJobStatus,
    SubtreeTotal,
    UnitAncestor,
)
from phongtrao.analytics.selectors import recount_job_active
from phongtrao.analytics.totals import totals_recount
from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.jobs import (
    heartbeat,
    job_claim,
    job_enqueue,
    job_failed,
    job_renewer,
    job_update,
    jobs_recover,
)
from phongtrao.core.roles import Role
from phongtrao.units.models import Unit

logger = logging.getLogger(__name__)
BATCH = 5000
# Where the rebuild stands (percent) after each of its steps; writing the totals fills the rest.
CLEARED, ANCESTORS_WRITTEN, COUNTED = 5, 20, 50

Progress = Callable[[int], None]


def _nothing(percent: int) -> None:
    pass


@transaction.atomic
def totals_rebuild(*, progress: Progress | None = None) -> int:
    """Make the unit ancestors and the subtree totals again from the units and the values,
    for a database whose triggers were off (a bulk load with them disabled, a repair).
    One transaction: cut off anywhere, it leaves the totals as they were. `progress` hears
    the percent done after each step. Returns the number of totals written."""
    say = progress or _nothing
    SubtreeTotal.objects.all().delete()
    UnitAncestor.objects.all().delete()
    say(CLEARED)
    ancestors = [
        UnitAncestor(unit_id=pk, ancestor_id=int(part))
        for pk, path in Unit.objects.exclude(path="").values_list("pk", "path").iterator()
        for part in path.strip("/").split("/")
        if int(part) != pk
    ]
    # The ancestors' own trigger is on the units, so these plain inserts are not counted twice.
    UnitAncestor.objects.bulk_create(ancestors, batch_size=BATCH)
    say(ANCESTORS_WRITTEN)
    totals = [
        SubtreeTotal(unit_id=u, indicator_id=i, period=p, state=s, count=n, total=t)
        for (u, i, p, s), (n, t) in totals_recount().items()
    ]
    say(COUNTED)
    for start in range(0, len(totals), BATCH):
        SubtreeTotal.objects.bulk_create(totals[start : start + BATCH])
        written = min(start + BATCH, len(totals))
        say(COUNTED + (100 - COUNTED) * written // len(totals))
    if not totals:
        say(100)
    return len(totals)


def may_recount(user: Any) -> bool:
    """A recount rewrites every province's totals and locks them while it runs, so only who
    administers the whole system asks for it: a superuser or a national administrator (a
    province administrator's rights stop at their province)."""
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(Role.NATIONAL_ADMIN)


def recount_job_create(*, actor: Any, run: bool = True) -> RecountJob:
    """Queue a recount (or run it now without a worker) once the row is committed; while one
    waits or runs, that one is returned and nothing more is queued. `actor` None is the
    command line."""
    if actor is not None and not may_recount(actor):
        raise AppError(
            ErrorCode.FORBIDDEN,
            _("Only a national administrator may recount the totals of the whole database."),
        )
    active = recount_job_active()
    if active is not None:
        return active
    try:
        with transaction.atomic():
            job = RecountJob.objects.create(actor=actor)
    except IntegrityError:  # another app server asked at the same moment: its job is the one
        return RecountJob.objects.get(status__in=ACTIVE_STATUSES)
    if run:
        transaction.on_commit(lambda: job_enqueue(recount_job_task, job_id=job.pk))
    return job


def recount_jobs_recover(*, now: datetime | None = None) -> int:
    """Recount jobs of a dead worker queued again (core/jobs.py)."""
    return jobs_recover(
        RecountJob,
        task=recount_job_task,
        now=now,
        retry_message=_("The recount was interrupted (the server restarted); it is tried again."),
        failed_message=_(
            "The recount was interrupted (the server restarted); the totals are as they were. "
            "Please ask for it again."
        ),
    )


def _progress_saver(job_id: int) -> Progress:
    """The job's progress written as the rebuild goes. The rebuild is one transaction, so its
    own connection's writes would show only at the end: each is written from a connection of
    its own. Not on SQLite, whose single writer is the rebuild itself until it ends."""
    if connection.vendor == "sqlite":
        return _nothing
    shown = {"percent": -1}

    def write(percent: int) -> None:
        try:
            RecountJob.objects.filter(pk=job_id, status=RecountJobStatus.RUNNING).update(
                progress=percent
            )
        except Exception:  # progress is a courtesy; the recount goes on
            logger.warning("could not save a recount's progress", exc_info=True)
        finally:
            connection.close()

    def save(percent: int) -> None:
        if percent == shown["percent"]:
            return
        shown["percent"] = percent
        thread = threading.Thread(target=write, args=(percent,), name="recount-progress")
        thread.start()
        thread.join()

    return save


def recount_job_run(*, job_id: int, progress: Progress | None = None) -> RecountJob:
    """Recount every total; every failure ends in the row (retried, or failed). A finished job
    run again does nothing; `progress` also hears the percent done (the command line)."""
    job = job_claim(RecountJob.objects.all(), job_id, progress=0)
    if job is None:
        return RecountJob.objects.get(pk=job_id)
    saver = _progress_saver(job_id)

    def say(percent: int) -> None:
        saver(percent)
        if progress is not None:
            progress(percent)

    try:
        with heartbeat(job_renewer(RecountJob, job_id)):
            written = totals_rebuild(progress=say)
    except Exception:  # a worker has nobody to report to but the row and the log
        logger.exception("recount job %s failed (attempt %s)", job.pk, job.attempts)
        message = _("The recount failed; the error has been logged. The totals are as they were.")
        job_failed(job, message, task=recount_job_task)
        # Read again: without a worker the retry has already run, inside job_failed.
        return RecountJob.objects.get(pk=job_id)
    job_update(job, status=RecountJobStatus.DONE, progress=100, totals=written, leased_until=None,
               error="", finished_at=timezone.now())  # fmt: skip
    return job


@task()
def recount_job_task(job_id: int) -> None:
    """What the queue runs: the recount job by its id."""
    recount_job_run(job_id=job_id)
