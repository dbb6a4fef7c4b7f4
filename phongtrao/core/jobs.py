"""Background jobs: what each job's service needs besides the queue itself.

The queue is django-tasks with its database backend (`django_tasks_db`, docs/deploy.md says
why): a job is a row, so it survives a restart and is seen by every app server. It does not
retry a failed job, nor notice that the worker running one was killed; a job's own row does
that here: an attempts counter, a wait that grows after each failure, and a lease its worker
renews while it runs (`heartbeat`), so a job whose lease ran out is handed to another worker.

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
from django.db import connection
from django.utils import timezone

logger = logging.getLogger(__name__)


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
