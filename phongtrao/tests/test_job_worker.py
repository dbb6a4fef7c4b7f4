"""A worker killed with SIGKILL in the middle of a report loses no job: another worker takes it
when the lease of the dead one runs out, and the report is written once (core/jobs.py,
documents/services.py, ops' `worker`); a recount queued by `analytics rebuild --no-wait` is run
by a real worker. Real processes on a SQLite file of their own."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "phongtrao.cli"]
MAKE_JOB = """
import django; django.setup()
from phongtrao.documents.services import report_job_create
from phongtrao.units.models import REFORM_DATE, Unit, UnitKind
unit = Unit.objects.create(code="51", kind=UnitKind.PROVINCE, name="Tỉnh Quảng Ngãi",
                           short_name="Quảng Ngãi", type_name="Tỉnh", valid_from=REFORM_DATE)
report_job_create(actor=None, unit=unit, year=2019, fmt="xlsx", boundaries="current")
"""


@pytest.fixture
def site(tmp_path) -> Iterator[dict]:
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "phongtrao.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PHONGTRAO_VAR_DIR": str(tmp_path),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PHONGTRAO_JOBS": "worker",
        # A dead worker's job is taken over 1,5 s after its last renewal.
        "PHONGTRAO_JOB_LEASE_SECONDS": "1.5",
    }
    env.pop("DEBUG", None)
    subprocess.run([*CLI, "migrate", "-v0"], env=env, check=True)
    subprocess.run([sys.executable, "-c", MAKE_JOB], env=env, check=True, capture_output=True)
    started: list[subprocess.Popen] = []
    yield {"env": env, "tmp": tmp_path, "started": started}
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def _job(tmp: Path) -> tuple:
    with sqlite3.connect(tmp / "db.sqlite3") as db:
        return db.execute("SELECT status, attempts, file FROM documents_reportjob").fetchone()


def _wait(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {seconds} s for {what}")
        time.sleep(0.1)


def test_a_worker_killed_mid_job_loses_no_job(site):
    env, tmp = site["env"], site["tmp"]
    marker = tmp / "render-started"
    # given a worker writing the report, slowly
    slow = subprocess.Popen(
        [sys.executable, "-m", "phongtrao.tests.slow_worker", str(marker)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    site["started"].append(slow)
    _wait(marker.exists, 15, "the first worker to start the report")
    assert _job(tmp)[:2] == ("running", 1)
    # when it is killed outright, and another worker runs
    os.kill(slow.pid, signal.SIGKILL)
    slow.wait(timeout=5)
    log = (tmp / "worker2.log").open("w")
    other = subprocess.Popen([*CLI, "worker", "--interval", "0.2"], env=env, stdout=log, stderr=log)
    site["started"].append(other)
    # then the other worker writes the report, once
    _wait(lambda: _job(tmp)[0] == "done", 20, "the second worker to finish the job")
    status, attempts, name = _job(tmp)
    assert (status, attempts) == ("done", 2)
    files = sorted(p.relative_to(tmp / "media").as_posix() for p in tmp.rglob("media/**/*.xlsx"))
    assert files == [name]
    assert name.endswith("/job1-bao-cao-ngay-hoi-2019-51-hien-nay.xlsx")


def test_a_worker_runs_a_queued_recount(site):
    env, tmp = site["env"], site["tmp"]
    # given a recount queued from the command line without waiting
    queued = subprocess.run(
        [*CLI, "analytics", "rebuild", "--no-wait"], env=env, check=True, capture_output=True,
        text=True,
    )  # fmt: skip
    # when a worker runs what is queued
    subprocess.run([*CLI, "worker", "--batch"], env=env, check=True, capture_output=True)
    # then the recount the command printed is done, at its first attempt
    with sqlite3.connect(tmp / "db.sqlite3") as db:
        rows = db.execute("SELECT id, status, attempts FROM analytics_recountjob").fetchall()
    assert rows == [(int(queued.stdout), "done", 1)]
