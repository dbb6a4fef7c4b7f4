"""Recounts of the totals on the queue: attempts, retries, leases, one at a time (services)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from phongtrao.analytics import services
from phongtrao.analytics.models import RecountJob, RecountJobStatus, SubtreeTotal
from phongtrao.analytics.totals import totals_differences
from phongtrao.catalog.models import Indicator, ReportForm
from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.roles import Role
from phongtrao.reporting.services import data_value_save

pytestmark = pytest.mark.django_db

FAILED_MESSAGE = "Không tính lại được các tổng; lỗi đã được ghi lại. Các tổng vẫn như trước."
RETRY_MESSAGE = "Việc tính lại bị gián đoạn (máy chủ khởi động lại); sẽ được thử lại."
INTERRUPTED_MESSAGE = (
    "Việc tính lại bị gián đoạn (máy chủ khởi động lại); các tổng vẫn như trước. "
    "Hãy yêu cầu tính lại."
)


@pytest.fixture
def spoiled(bo_y, make_area) -> SubtreeTotal:
    """A village's 3 festivals, and Bờ Y's total of them spoiled behind the triggers' back."""
    data_value_save(
        actor=None, form=ReportForm.objects.get(code="FESTIVAL"), unit=make_area(bo_y),
        period="2026", indicator=Indicator.objects.get(code="FESTIVAL_EVENTS"), raw_value="3",
        expected_version=None,
    )  # fmt: skip
    SubtreeTotal.objects.filter(unit=bo_y).update(total=Decimal(30))
    return SubtreeTotal.objects.get(unit=bo_y)


@pytest.fixture
def job(db) -> RecountJob:
    return services.recount_job_create(actor=None, run=False)


@pytest.fixture
def flaky_recount(monkeypatch):
    """The recount failing the first `failures` times (a database gone for a moment)."""
    real = services.totals_recount
    calls = {"n": 0}

    def install(failures: int) -> dict:
        def recount():
            calls["n"] += 1
            if calls["n"] <= failures:
                raise OSError("connection reset")
            return real()

        monkeypatch.setattr(services, "totals_recount", recount)
        return calls

    return install


def _bo_y_total(bo_y) -> Decimal:
    return SubtreeTotal.objects.get(unit=bo_y).total


def test_a_recount_failing_once_is_tried_again_and_done(spoiled, job, flaky_recount, bo_y):
    # given a recount that fails the first time; no worker (jobs run inline)
    flaky_recount(1)
    # when the job runs
    services.recount_job_run(job_id=job.pk)
    # then the second attempt rebuilt the totals
    job.refresh_from_db()
    assert (job.status, job.attempts, job.progress, job.totals, job.error) == (
        RecountJobStatus.DONE, 2, 100, 2, ""
    )  # fmt: skip
    assert job.finished_at is not None
    assert _bo_y_total(bo_y) == Decimal(3)
    assert totals_differences() == []


def test_a_recount_failing_every_time_fails_and_leaves_the_totals(
    spoiled, job, flaky_recount, settings, bo_y
):
    # given three attempts allowed and a recount that always fails after clearing the totals
    settings.PHONGTRAO_JOB_ATTEMPTS = 3
    calls = flaky_recount(99)
    # when the job runs
    services.recount_job_run(job_id=job.pk)
    # then it was tried three times and failed, and every attempt's writes were undone
    job.refresh_from_db()
    assert (job.status, job.attempts, job.totals, job.error) == (
        RecountJobStatus.FAILED, 3, 0, FAILED_MESSAGE
    )  # fmt: skip
    assert calls["n"] == 3
    assert job.finished_at is not None
    assert SubtreeTotal.objects.count() == 2
    assert _bo_y_total(bo_y) == Decimal(30)


def test_a_recount_run_twice_counts_once(spoiled, job, flaky_recount, bo_y):
    # given a recount done once
    calls = flaky_recount(0)
    services.recount_job_run(job_id=job.pk)
    job.refresh_from_db()
    first = (job.finished_at, job.totals)
    # when the queue hands it over again
    services.recount_job_run(job_id=job.pk)
    # then it did nothing more: one count, one attempt, the same totals
    job.refresh_from_db()
    assert calls["n"] == 1
    assert (job.finished_at, job.totals) == first
    assert (job.status, job.attempts) == (RecountJobStatus.DONE, 1)
    assert SubtreeTotal.objects.count() == 2
    assert _bo_y_total(bo_y) == Decimal(3)
    assert totals_differences() == []


def test_asking_while_a_recount_waits_returns_that_one(
    settings, django_capture_on_commit_callbacks
):
    # given a deployment with workers and a recount waiting in the queue
    settings.PHONGTRAO_JOBS = "worker"
    with django_capture_on_commit_callbacks(execute=True):
        first = services.recount_job_create(actor=None)
    # when another recount is asked for
    with django_capture_on_commit_callbacks(execute=True):
        second = services.recount_job_create(actor=None)
    # then it is the same job, queued once
    assert second.pk == first.pk
    assert RecountJob.objects.count() == 1
    assert DBTaskResult.objects.count() == 1


def test_asking_while_a_recount_runs_returns_that_one(job):
    # given a recount running on a worker
    RecountJob.objects.filter(pk=job.pk).update(
        status=RecountJobStatus.RUNNING, attempts=1, leased_until=timezone.now()
    )
    # when another is asked for
    again = services.recount_job_create(actor=None, run=False)
    # then it is that one
    assert again.pk == job.pk
    assert RecountJob.objects.count() == 1


def test_after_a_finished_recount_a_new_one_is_made(job):
    # given a recount done
    services.recount_job_run(job_id=job.pk)
    # when another is asked for
    again = services.recount_job_create(actor=None, run=False)
    # then it is a new job, waiting
    assert again.pk != job.pk
    assert (again.status, RecountJob.objects.count()) == (RecountJobStatus.PENDING, 2)


def test_the_database_keeps_one_active_recount(job):
    # given a recount waiting
    from django.db import IntegrityError, transaction

    # when a second active one is written behind the service's back
    with pytest.raises(IntegrityError), transaction.atomic():
        RecountJob.objects.create(status=RecountJobStatus.RUNNING)
    # then there is still one
    assert RecountJob.objects.count() == 1


def test_a_province_administrator_may_not_ask_for_a_recount(make_user, quang_ngai):
    # given the administrator of a province
    admin = make_user("qn_admin", Role.ADMIN, (quang_ngai,))
    # when they ask for a recount
    with pytest.raises(AppError) as refused:
        services.recount_job_create(actor=admin)
    # then it is refused and nothing is queued
    assert refused.value.code == ErrorCode.FORBIDDEN
    assert RecountJob.objects.count() == 0


def test_a_recount_of_a_dead_worker_is_queued_again(job, settings):
    # given a deployment with workers and a recount whose worker stopped renewing its lease
    settings.PHONGTRAO_JOBS = "worker"
    RecountJob.objects.filter(pk=job.pk).update(
        status=RecountJobStatus.RUNNING, attempts=1, leased_until=timezone.now() - timedelta(1)
    )
    # when a worker sweeps
    recovered = services.recount_jobs_recover()
    # then it waits for another worker, saying why, queued to run at once
    job.refresh_from_db()
    assert recovered == 1
    assert (job.status, job.attempts, job.leased_until, job.error) == (
        RecountJobStatus.PENDING, 1, None, RETRY_MESSAGE
    )  # fmt: skip
    queued = DBTaskResult.objects.get()
    assert queued.args_kwargs["kwargs"] == {"job_id": job.pk}
    assert list(DBTaskResult.objects.ready()) == [queued]


def test_without_a_worker_a_lost_recount_fails_saying_so(job):
    # given no worker and a recount whose web process died mid-way
    RecountJob.objects.filter(pk=job.pk).update(
        status=RecountJobStatus.RUNNING, attempts=1, leased_until=timezone.now() - timedelta(1)
    )
    # when a page looks for lost jobs
    services.recount_jobs_recover()
    # then it failed, telling to ask again, and nothing was queued
    job.refresh_from_db()
    assert (job.status, job.error) == (RecountJobStatus.FAILED, INTERRUPTED_MESSAGE)
    assert DBTaskResult.objects.count() == 0


def test_the_rebuild_says_how_far_it_is(spoiled):
    # given a listener
    heard = []
    # when the totals are rebuilt
    written = services.totals_rebuild(progress=heard.append)
    # then it heard each step, the writing of the totals last
    assert written == 2
    assert heard == [5, 20, 50, 100]


def test_the_rebuild_of_nothing_ends_at_100(db):
    # given no values
    heard = []
    # when the totals are rebuilt
    written = services.totals_rebuild(progress=heard.append)
    # then nothing was written and it ended all the same
    assert (written, heard) == (0, [5, 20, 50, 100])
