"""`phongtrao analytics rebuild` through a recount job, and `phongtrao jobs --recounts`."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from phongtrao.analytics import services
from phongtrao.analytics.management.commands import analytics as command
from phongtrao.analytics.models import RecountJob, RecountJobStatus, SubtreeTotal
from phongtrao.analytics.totals import totals_differences
from phongtrao.catalog.models import Indicator, ReportForm
from phongtrao.reporting.services import data_value_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def spoiled(bo_y, make_area) -> None:
    data_value_save(
        actor=None, form=ReportForm.objects.get(code="FESTIVAL"), unit=make_area(bo_y),
        period="2026", indicator=Indicator.objects.get(code="FESTIVAL_EVENTS"), raw_value="3",
        expected_version=None,
    )  # fmt: skip
    SubtreeTotal.objects.filter(unit=bo_y).update(total=Decimal(30))


def _rebuild(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("analytics", "rebuild", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_without_a_worker_rebuild_runs_the_job_at_once(spoiled, bo_y):
    # given no worker (PHONGTRAO_JOBS=inline) and a spoiled total
    # when the administrator rebuilds
    out, err = _rebuild()
    # then the job ran here, said its steps, and printed the line scripts read
    job = RecountJob.objects.get()
    assert out == "Đã đếm lại 2 tổng số.\n"
    assert err.splitlines() == [
        f"Đang tính lại các tổng: {percent}%" for percent in (5, 20, 50, 100)
    ]
    assert (job.status, job.actor, job.attempts, job.totals) == (RecountJobStatus.DONE, None, 1, 2)
    assert SubtreeTotal.objects.get(unit=bo_y).total == Decimal(3)
    assert totals_differences() == []


@override_settings(PHONGTRAO_JOBS="worker")
def test_with_a_worker_no_wait_queues_the_job_and_prints_its_id(
    spoiled, bo_y, django_capture_on_commit_callbacks
):
    # given a deployment with workers
    # when the administrator asks for a rebuild without waiting
    with django_capture_on_commit_callbacks(execute=True):
        out, err = _rebuild("--no-wait")
    # then the job waits for a worker and nothing was counted yet
    job = RecountJob.objects.get()
    assert (out, err) == (f"{job.pk}\n", "")
    assert (job.status, job.attempts) == (RecountJobStatus.PENDING, 0)
    assert DBTaskResult.objects.get().args_kwargs["kwargs"] == {"job_id": job.pk}
    assert SubtreeTotal.objects.get(unit=bo_y).total == Decimal(30)


@override_settings(PHONGTRAO_JOBS="worker")
def test_with_a_worker_rebuild_waits_for_the_job(spoiled, bo_y, monkeypatch):
    # given a deployment whose worker runs the queued job while the command waits
    def worker_runs(seconds: float) -> None:
        services.recount_job_run(job_id=RecountJob.objects.get().pk)

    monkeypatch.setattr(command.time, "sleep", worker_runs)
    # when the administrator rebuilds
    out, _ = _rebuild()
    # then the command waited for the job and printed the same line as without a worker
    assert out == "Đã đếm lại 2 tổng số.\n"
    assert RecountJob.objects.get().status == RecountJobStatus.DONE
    assert totals_differences() == []


def test_a_failed_recount_exits_with_its_error(spoiled, bo_y, monkeypatch, settings):
    # given a recount that always fails
    settings.PHONGTRAO_JOB_ATTEMPTS = 2

    def broken():
        raise OSError("connection reset")

    monkeypatch.setattr(services, "totals_recount", broken)
    # when the administrator rebuilds
    with pytest.raises(CommandError) as failed:
        _rebuild()
    # then the command failed with the job's error and the totals are as they were
    assert str(failed.value) == (
        "Không tính lại được các tổng; lỗi đã được ghi lại. Các tổng vẫn như trước."
    )
    assert (RecountJob.objects.get().status, RecountJob.objects.get().attempts) == ("failed", 2)
    assert SubtreeTotal.objects.get(unit=bo_y).total == Decimal(30)


def test_the_jobs_command_lists_recounts(spoiled):
    # given a recount done
    _rebuild()
    job = RecountJob.objects.get()
    out = StringIO()
    # when the administrator lists the recounts
    call_command("jobs", "--recounts", stdout=out)
    # then its line says so
    fields = out.getvalue().rstrip("\n").split("\t")
    assert fields[:4] == [str(job.pk), "done", "1", "100%"]
    assert fields[5:] == ["2", ""]
