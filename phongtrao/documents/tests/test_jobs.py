"""Report jobs on the queue: attempts, retries, leases and running one twice (services)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from phongtrao.core import jobs
from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.documents import services
from phongtrao.documents.models import JobStatus, ReportJob
from phongtrao.reporting.models import ImportJob

FAILED_MESSAGE = "Không lập được báo cáo; lỗi đã được ghi lại."
RETRY_MESSAGE = "Việc tạo báo cáo bị gián đoạn (máy chủ khởi động lại); báo cáo sẽ được lập lại."
INTERRUPTED_MESSAGE = "Việc tạo báo cáo bị gián đoạn (máy chủ khởi động lại); hãy tạo lại."


@pytest.fixture
def job(bo_y, festival_values):
    return services.report_job_create(
        actor=None, unit=bo_y, year=2019, fmt="xlsx", boundaries="current", run=False
    )


@pytest.fixture
def flaky_render(monkeypatch):
    """report_render failing the first `failures` times (a database gone for a moment)."""
    real = services.report_render
    calls = {"n": 0}

    def install(failures: int) -> dict:
        def render(**kwargs):
            calls["n"] += 1
            if calls["n"] <= failures:
                raise OSError("connection reset")
            return real(**kwargs)

        monkeypatch.setattr(services, "report_render", render)
        return calls

    return install


def _report_files(media) -> list[str]:
    return sorted(p.name for p in media.rglob("*") if p.is_file())


def test_a_job_failing_once_is_tried_again_and_done(job, flaky_render, media):
    # given a render that fails the first time; no worker (jobs run inline)
    flaky_render(1)
    # when the job runs
    services.report_job_run(job_id=job.pk)
    # then the second attempt wrote it
    job.refresh_from_db()
    assert (job.status, job.attempts, job.progress, job.error) == (JobStatus.DONE, 2, 100, "")
    assert _report_files(media) == [f"job{job.pk}-bao-cao-ngay-hoi-2019-23377-hien-nay.xlsx"]


def test_a_job_failing_every_time_fails_after_the_last_attempt(job, flaky_render, settings, media):
    # given three attempts allowed and a render that always fails
    settings.PHONGTRAO_JOB_ATTEMPTS = 3
    calls = flaky_render(99)
    # when the job runs
    services.report_job_run(job_id=job.pk)
    # then it was tried three times and failed with the message, writing nothing
    job.refresh_from_db()
    assert (job.status, job.attempts, job.error) == (JobStatus.FAILED, 3, FAILED_MESSAGE)
    assert calls["n"] == 3
    assert job.finished_at is not None and job.file.name == ""
    assert _report_files(media) == []


def test_a_refused_report_is_not_tried_again(job, monkeypatch, settings, media):
    # given a deployment with workers and a render refusing the report (the data is wrong: the
    # next try would say the same)
    settings.PHONGTRAO_JOBS = "worker"

    def refuse(**kwargs):
        raise AppError(ErrorCode.INVALID, "Mẫu báo cáo không hợp lệ.")

    monkeypatch.setattr(services, "report_render", refuse)
    # when the job runs
    services.report_job_run(job_id=job.pk)
    # then it failed at the first attempt with the reason
    job.refresh_from_db()
    assert (job.status, job.attempts, job.error) == (
        JobStatus.FAILED, 1, "Mẫu báo cáo không hợp lệ."
    )  # fmt: skip
    assert DBTaskResult.objects.count() == 0
    assert job.file.name == "" and _report_files(media) == []


def test_a_job_run_twice_writes_one_file(job, media):
    # given a job done once
    services.report_job_run(job_id=job.pk)
    job.refresh_from_db()
    first = (job.file.name, job.finished_at)
    # when the queue hands it over again
    services.report_job_run(job_id=job.pk)
    # then nothing changed: one row, one file, one attempt
    job.refresh_from_db()
    assert (job.file.name, job.finished_at) == first
    assert (job.status, job.attempts) == (JobStatus.DONE, 1)
    assert ReportJob.objects.count() == 1
    assert _report_files(media) == [f"job{job.pk}-bao-cao-ngay-hoi-2019-23377-hien-nay.xlsx"]


def test_a_retry_after_a_killed_attempt_overwrites_its_file(job, media):
    # given an attempt that wrote its file and was killed before recording it
    job.file.storage.save(
        job.file.field.generate_filename(
            job, f"job{job.pk}-bao-cao-ngay-hoi-2019-23377-hien-nay.xlsx"
        ),
        services.ContentFile(b"half"),
    )
    ReportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, attempts=1, leased_until=timezone.now() - timedelta(seconds=1)
    )
    # when the job runs again
    services.report_job_run(job_id=job.pk)
    # then the one file is the whole report
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.DONE, 2)
    assert _report_files(media) == [f"job{job.pk}-bao-cao-ngay-hoi-2019-23377-hien-nay.xlsx"]
    assert job.file.size > 1000


def test_a_job_a_live_worker_holds_is_not_run_again(job):
    # given a job running on a worker whose lease still runs
    leased = timezone.now() + timedelta(seconds=60)
    ReportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, attempts=1, progress=10, leased_until=leased
    )
    # when the queue hands it to another worker
    services.report_job_run(job_id=job.pk)
    # then that worker leaves it alone
    job.refresh_from_db()
    assert (job.status, job.attempts, job.progress, job.leased_until) == (
        JobStatus.RUNNING, 1, 10, leased
    )  # fmt: skip


def test_with_a_worker_a_job_is_queued_not_run(job, settings):
    # given a deployment with workers
    settings.PHONGTRAO_JOBS = "worker"
    # when the job is started
    services.report_job_start(job_id=job.pk)
    # then it waits in the queue for a worker
    job.refresh_from_db()
    queued = DBTaskResult.objects.get()
    assert (job.status, job.attempts) == (JobStatus.PENDING, 0)
    assert (queued.task_path, queued.args_kwargs["kwargs"], queued.status) == (
        "phongtrao.documents.services.report_job_task", {"job_id": job.pk}, "READY"
    )  # fmt: skip


def test_with_a_worker_a_failed_attempt_is_queued_for_later(job, settings, flaky_render):
    # given a deployment with workers, retries after 30 s, and a render failing once
    settings.PHONGTRAO_JOBS = "worker"
    settings.PHONGTRAO_JOB_RETRY_SECONDS = 30
    flaky_render(1)
    before = timezone.now()
    # when a worker runs the job
    services.report_job_run(job_id=job.pk)
    # then it waits again, saying why, queued to run in 30 s
    job.refresh_from_db()
    assert (job.status, job.attempts, job.error) == (JobStatus.PENDING, 1, FAILED_MESSAGE)
    queued = DBTaskResult.objects.get()
    assert before + timedelta(seconds=30) <= queued.run_after <= timezone.now() + timedelta(30)


def test_a_job_of_a_dead_worker_is_queued_again(job, settings):
    # given a deployment with workers and a job whose worker stopped renewing its lease
    settings.PHONGTRAO_JOBS = "worker"
    ReportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, attempts=1, leased_until=timezone.now() - timedelta(seconds=5)
    )
    # when a worker sweeps
    recovered = services.report_jobs_recover()
    # then the job waits for another worker, which may take it at once
    job.refresh_from_db()
    assert recovered == 1
    assert (job.status, job.attempts, job.leased_until) == (JobStatus.PENDING, 1, None)
    assert job.error == RETRY_MESSAGE
    queued = DBTaskResult.objects.get()
    assert queued.args_kwargs["kwargs"] == {"job_id": job.pk}
    assert list(DBTaskResult.objects.ready()) == [queued]


def test_a_job_of_a_dead_worker_after_its_last_attempt_fails(job, settings):
    # given a job that had its three attempts, the last one's worker dead
    settings.PHONGTRAO_JOBS = "worker"
    settings.PHONGTRAO_JOB_ATTEMPTS = 3
    ReportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, attempts=3, leased_until=timezone.now() - timedelta(seconds=5)
    )
    # when a worker sweeps
    services.report_jobs_recover()
    # then it failed, saying so, and nothing was queued
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == INTERRUPTED_MESSAGE
    assert DBTaskResult.objects.count() == 0


def test_without_a_worker_a_cut_off_job_fails_saying_to_ask_again(job):
    # given no worker and a job whose web process died while writing it
    ReportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, attempts=1, leased_until=timezone.now() - timedelta(seconds=5)
    )
    # when a page looks for lost jobs
    recovered = services.report_jobs_recover()
    # then it failed at once (nobody would run it again), saying so, and nothing was queued
    job.refresh_from_db()
    assert recovered == 1
    assert (job.status, job.attempts, job.error) == (JobStatus.FAILED, 1, INTERRUPTED_MESSAGE)
    assert DBTaskResult.objects.count() == 0


def test_a_sweep_leaves_running_jobs_alone(job, settings):
    # given a job whose worker renews its lease
    settings.PHONGTRAO_JOBS = "worker"
    leased = timezone.now() + timedelta(seconds=30)
    ReportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, attempts=1, leased_until=leased
    )
    # when a worker sweeps
    recovered = services.report_jobs_recover()
    # then nothing changed
    job.refresh_from_db()
    assert recovered == 0
    assert (job.status, job.leased_until) == (JobStatus.RUNNING, leased)
    assert DBTaskResult.objects.count() == 0


def test_the_jobs_command_lists_status_and_attempts(job, flaky_render):
    # given a job done at its second attempt
    flaky_render(1)
    services.report_job_run(job_id=job.pk)
    out = StringIO()
    # when the administrator lists the jobs
    call_command("jobs", stdout=out)
    # then its line says so
    fields = out.getvalue().rstrip("\n").split("\t")
    assert fields[:4] == [str(job.pk), "done", "2", "100%"]
    assert fields[5:] == ["festival 2019 23377 xlsx", ""]


def test_the_jobs_command_lists_import_jobs_too(db):
    # given an import job that failed
    ImportJob.objects.create(
        upload="x.csv", file_name="so-lieu.csv", format="csv", status="failed", attempts=1,
        progress=120, error="Tệp bị từ chối: 1 lỗi; không ghi gì.\nDòng 2, cột value: sai",
    )  # fmt: skip
    out = StringIO()
    # when the administrator lists the import jobs
    call_command("jobs", "--imports", stdout=out)
    # then its line says so, the error on one line
    fields = out.getvalue().rstrip("\n").split("\t")
    assert fields[1:4] == ["failed", "1", "120"]
    assert fields[5:] == [
        "so-lieu.csv", "Tệp bị từ chối: 1 lỗi; không ghi gì. Dòng 2, cột value: sai"
    ]  # fmt: skip


def test_a_report_job_speaks_the_statuses_of_core_jobs_in_its_own_words():
    # given the statuses core.jobs writes when it claims, fails and recovers a job
    core = [jobs.JobStatus.PENDING, jobs.JobStatus.RUNNING, jobs.JobStatus.DONE,
            jobs.JobStatus.FAILED]  # fmt: skip
    # then a report job's are the same values, labelled for a report being written
    assert [(value, str(label)) for value, label in JobStatus.choices] == list(
        zip(core, ["Đang chờ", "Đang lập", "Đã xong", "Bị lỗi"], strict=True)
    )
    # and it is finished exactly in core's finished statuses
    finished = [ReportJob(status=s).is_finished for s in core]
    assert finished == [False, False, True, True]
