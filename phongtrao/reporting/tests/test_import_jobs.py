"""A confirmed import on the queue (PHONGTRAO_JOBS=worker): transfer/jobs.py and its page."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from phongtrao.reporting.models import DataValue, ImportJob, ImportJobStatus, ValueImport
from phongtrao.reporting.transfer import jobs

from .test_transfer_views import HEADER, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    settings.PHONGTRAO_JOBS = "worker"
    return tmp_path


def _confirmed(client, content: bytes):
    preview = upload(client, content)
    return client.post(reverse("reporting:import_confirm"), {"token": preview.context["token"]})


def _pending_files(media: Path) -> list[str]:
    return sorted(p.name for p in (media / "imports").iterdir())


def test_confirming_queues_the_import_and_writes_nothing_yet(client, form, bo_y, clerk, media):
    # given an upload checked by its preview
    client.force_login(clerk)
    # when it is confirmed
    response = _confirmed(client, HEADER + b"SCHEMES_NEW,23377,2026,4,\n")
    # then a job waits for a worker, and the page follows it
    job = ImportJob.objects.get()
    assert response.url == reverse("reporting:import_job", args=[job.pk])
    assert (job.status, job.actor, job.file_name) == (ImportJobStatus.PENDING, clerk, "so-lieu.csv")
    assert DBTaskResult.objects.get().args_kwargs["kwargs"] == {"job_id": job.pk}
    assert DataValue.objects.count() == 0
    assert len(_pending_files(media)) == 1


def test_a_worker_imports_the_file_and_the_page_says_so(client, form, bo_y, clerk, media):
    # given a queued import
    client.force_login(clerk)
    _confirmed(client, HEADER + b"SCHEMES_NEW,23377,2026,4,\n")
    job = ImportJob.objects.get()
    # when a worker runs it
    jobs.import_job_run(job_id=job.pk)
    # then the value is written, the upload removed, and the page links to the changes
    job.refresh_from_db()
    assert (job.status, job.attempts, job.imported, job.updated, job.ignored) == (
        ImportJobStatus.DONE, 1, 1, 0, 0
    )  # fmt: skip
    assert DataValue.objects.get().value == "4"
    assert _pending_files(media) == []
    page = client.get(reverse("reporting:import_job", args=[job.pk])).content.decode()
    assert "Đã nhập" in page
    assert reverse("reporting:value_import", args=[job.value_import_id]) in page


def test_an_import_job_run_twice_writes_once(client, form, bo_y, clerk):
    # given an import done by a worker
    client.force_login(clerk)
    _confirmed(client, HEADER + b"SCHEMES_NEW,23377,2026,4,\n")
    job = ImportJob.objects.get()
    jobs.import_job_run(job_id=job.pk)
    # when the queue hands it over again
    jobs.import_job_run(job_id=job.pk)
    # then nothing more was written
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ImportJobStatus.DONE, 1)
    assert (DataValue.objects.count(), ValueImport.objects.count()) == (1, 1)


def test_a_file_refused_at_import_fails_the_job_and_writes_nothing(
    client, form, bo_y, clerk, media
):
    # given a queued import whose file went bad after its preview
    client.force_login(clerk)
    _confirmed(client, HEADER + b"SCHEMES_NEW,23377,2026,4,\n")
    job = ImportJob.objects.get()
    (media / "imports" / job.upload).write_bytes(HEADER + b"SCHEMES_NEW,23377,2026,abc,\n")
    # when a worker runs it
    jobs.import_job_run(job_id=job.pk)
    # then it failed at once, saying why, and nothing was written
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ImportJobStatus.FAILED, 1)
    assert job.error.startswith("Tệp bị từ chối: 1 lỗi; không ghi gì.\nDòng 2, cột value: ")
    assert DataValue.objects.count() == 0
    assert _pending_files(media) == []
    page = client.get(reverse("reporting:import_job", args=[job.pk])).content.decode()
    assert "Tệp bị từ chối: 1 lỗi; không ghi gì.<br>Dòng 2, cột value: " in page


def test_an_import_failing_once_waits_and_is_then_done(client, form, bo_y, clerk, monkeypatch):
    # given a queued import and a database that drops the first attempt
    client.force_login(clerk)
    _confirmed(client, HEADER + b"SCHEMES_NEW,23377,2026,4,\n")
    job = ImportJob.objects.get()
    real, calls = jobs.values_import, []

    def flaky(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("connection reset")
        return real(**kwargs)

    monkeypatch.setattr(jobs, "values_import", flaky)
    # when a worker runs it
    jobs.import_job_run(job_id=job.pk)
    # then it waits for another attempt, saying why, its file kept
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ImportJobStatus.PENDING, 1)
    assert job.error == "Nhập tệp không thành; lỗi đã được ghi lại. Không ghi gì."
    assert DBTaskResult.objects.count() == 2  # the first delivery and the retry
    # when the retry runs
    jobs.import_job_run(job_id=job.pk)
    # then the import is done
    job.refresh_from_db()
    assert (job.status, job.attempts, job.error) == (ImportJobStatus.DONE, 2, "")
    assert DataValue.objects.get().value == "4"


def test_another_user_cannot_see_an_import_job(client, form, bo_y, clerk, other_clerk):
    # given an import queued by one clerk
    client.force_login(clerk)
    _confirmed(client, HEADER + b"SCHEMES_NEW,23377,2026,4,\n")
    job = ImportJob.objects.get()
    # when another opens its page
    client.force_login(other_clerk)
    response = client.get(reverse("reporting:import_job", args=[job.pk]))
    # then there is no such page
    assert response.status_code == 404


def _cut_off(clerk) -> ImportJob:
    """An import whose worker was killed mid-way: its lease ran out."""
    return ImportJob.objects.create(
        actor=clerk, upload="x.csv", file_name="so-lieu.csv", format="csv",
        status=ImportJobStatus.RUNNING, attempts=1,
        leased_until=timezone.now() - timedelta(seconds=5),
    )  # fmt: skip


def test_with_a_worker_the_page_leaves_a_cut_off_import_to_its_sweep(client, clerk):
    # given a deployment with workers and an import whose worker died
    job = _cut_off(clerk)
    client.force_login(clerk)
    # when its page is polled
    client.get(reverse("reporting:import_job", args=[job.pk]), headers={"HX-Request": "1"})
    # then it is untouched: the worker's sweep recovers it
    job.refresh_from_db()
    assert (job.status, job.error) == (ImportJobStatus.RUNNING, "")
    assert DBTaskResult.objects.count() == 0


def test_a_sweep_queues_a_cut_off_import_again_saying_so(clerk):
    # given a deployment with workers and an import whose worker died
    job = _cut_off(clerk)
    # when a worker sweeps
    jobs.import_jobs_recover()
    # then it waits for another attempt and says it will be tried again
    job.refresh_from_db()
    assert (job.status, job.error) == (
        ImportJobStatus.PENDING,
        "Việc nhập tệp bị gián đoạn (máy chủ khởi động lại); hệ thống sẽ thử lại.",
    )
    assert DBTaskResult.objects.get().args_kwargs["kwargs"] == {"job_id": job.pk}


def test_without_a_worker_the_page_fails_a_cut_off_import_saying_so(client, clerk, settings):
    # given no worker and an import cut off by a restart
    settings.PHONGTRAO_JOBS = "inline"
    job = _cut_off(clerk)
    client.force_login(clerk)
    # when its page is opened
    page = client.get(reverse("reporting:import_job", args=[job.pk])).content.decode()
    # then it failed, telling to import the file again, and nothing was queued
    job.refresh_from_db()
    message = "Việc nhập tệp bị gián đoạn (máy chủ khởi động lại) và chưa xong; hãy nhập lại tệp."
    assert (job.status, job.error) == (ImportJobStatus.FAILED, message)
    assert message in page
    assert DBTaskResult.objects.count() == 0
