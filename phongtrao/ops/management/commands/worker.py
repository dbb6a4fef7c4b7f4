"""`phongtrao worker`: runs the queue's jobs (PHONGTRAO_JOBS=worker), any number of them on
any number of machines. It is django-tasks' database worker, plus a sweep that hands the jobs
of a worker that died (its lease ran out) to the living ones (core/jobs.py)."""

import logging
import os
import socket
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Worker

from phongtrao.analytics.services import recount_jobs_recover
from phongtrao.documents.services import report_jobs_recover
from phongtrao.reporting.transfer.jobs import import_jobs_recover

logger = logging.getLogger("phongtrao.core.jobs")


def _sweep(stop: threading.Event) -> None:
    period = settings.PHONGTRAO_JOB_LEASE_SECONDS / 3
    try:
        while True:
            try:
                close_old_connections()
                for kind, recover in (
                    ("report", report_jobs_recover),
                    ("import", import_jobs_recover),
                    ("recount", recount_jobs_recover),
                ):
                    if recovered := recover():
                        logger.warning(
                            "%s %s job(s) of a stopped worker recovered", recovered, kind
                        )
            except Exception:  # the database may be restarting: try again next time
                logger.warning("could not look for interrupted jobs", exc_info=True)
            if stop.wait(period):
                return
    finally:
        connection.close()


class Command(BaseCommand):
    help = "Run background jobs (reports, imports, recounts) from the database queue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between looks at an empty queue"
        )
        parser.add_argument(
            "--batch", action="store_true", help="run what is queued, then stop (cron, tests)"
        )

    def handle(self, *args: str, interval: float, batch: bool, **options: object) -> None:
        if settings.PHONGTRAO_JOBS != "worker":
            logger.warning(
                "PHONGTRAO_JOBS is not 'worker': web servers run jobs themselves and queue none"
            )
        worker_id = f"{socket.gethostname()}-{os.getpid()}"[:64]
        logger.info("worker %s started", worker_id)
        stop = threading.Event()
        sweeper = threading.Thread(target=_sweep, args=(stop,), name="job-sweep", daemon=True)
        sweeper.start()
        worker = Worker(
            queue_names=["default"], interval=interval, batch=batch, backend_name="default",
            startup_delay=not batch, max_tasks=None, worker_id=worker_id,
            excluded_queue_names=[],
        )  # fmt: skip
        worker.configure_signals()
        try:
            worker.run()
        finally:
            stop.set()
            sweeper.join()
            logger.info("worker %s stopped", worker_id)
