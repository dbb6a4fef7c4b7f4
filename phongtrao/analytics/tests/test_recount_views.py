"""The recount page: who may ask, one job per ask, the list and its polling."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from phongtrao.analytics.models import RecountJob, RecountJobStatus
from phongtrao.core.roles import Role

pytestmark = pytest.mark.django_db
URL = "/analytics/recount/"


@pytest.fixture
def national_admin(client, make_user):
    user = make_user("tw_admin", Role.NATIONAL_ADMIN)
    client.force_login(user)
    return user


@pytest.fixture
def worker(settings):
    settings.PHONGTRAO_JOBS = "worker"


@pytest.mark.parametrize("role", [Role.ADMIN, Role.DATA_ENTRY])
def test_a_commune_or_province_user_is_refused_and_nothing_is_queued(
    client, make_user, bo_y, quang_ngai, worker, role
):
    # given a commune's data entry clerk, or a province's administrator
    unit = quang_ngai if role == Role.ADMIN else bo_y
    client.force_login(make_user("someone", role, (unit,)))
    # when they open the page and ask for a recount
    seen = client.get(URL)
    asked = client.post(URL)
    # then both are refused and nothing was queued
    assert (seen.status_code, asked.status_code) == (403, 403)
    assert (RecountJob.objects.count(), DBTaskResult.objects.count()) == (0, 0)


def test_a_national_administrator_asks_for_one_recount(
    client, national_admin, worker, django_capture_on_commit_callbacks
):
    # given a deployment with workers
    # when the national administrator asks twice
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(URL)
        second = client.post(URL, follow=True)
    # then one job waits, queued once, and the page says the second ask found it
    job = RecountJob.objects.get()
    assert first.url == URL
    assert (job.status, job.actor) == (RecountJobStatus.PENDING, national_admin)
    assert DBTaskResult.objects.get().args_kwargs["kwargs"] == {"job_id": job.pk}
    assert "Đã có một lần tính lại đang chờ hoặc đang chạy" in second.content.decode()


def test_without_a_worker_a_superuser_recounts_at_once(
    client, make_user, django_capture_on_commit_callbacks
):
    # given no worker and a superuser
    client.force_login(make_user("root", Role.VIEWER, is_superuser=True))
    # when they ask for a recount
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL)
    # then it is done by the time the page comes back
    assert RecountJob.objects.get().status == RecountJobStatus.DONE


def test_the_list_shows_status_attempts_error_and_who_asked(client, national_admin):
    # given a recount that failed at its second attempt, and one of the command line waiting
    RecountJob.objects.create(
        actor=national_admin, status=RecountJobStatus.FAILED, attempts=2, error="Hỏng."
    )
    RecountJob.objects.create(status=RecountJobStatus.RUNNING, attempts=1, progress=20)
    # when the page is opened
    page = client.get(URL).content.decode()
    # then each row says it, in Vietnamese, and the list polls while one runs
    assert "Bị lỗi" in page and "Hỏng." in page and str(national_admin) in page
    assert "Đang tính lại (20%)" in page and "dòng lệnh" in page
    assert 'hx-trigger="every 2s"' in page


def test_the_list_stops_polling_once_every_recount_finished(client, national_admin):
    # given only a finished recount
    RecountJob.objects.create(status=RecountJobStatus.DONE, attempts=1, totals=1200)
    # when htmx reloads the list
    fragment = client.get(URL, headers={"HX-Request": "true"}).content.decode()
    # then it is the list alone, with the totals written and no more polling
    assert fragment.lstrip().startswith('<div id="recount-jobs"')
    assert "Xong" in fragment and "1.200" in fragment
    assert "hx-trigger" not in fragment


@pytest.mark.parametrize("count", [1, 20])
def test_the_list_reads_the_same_queries_for_1_or_20_recounts(
    client, national_admin, make_user, count, django_assert_num_queries
):
    # given recounts asked by as many users
    for number in range(count):
        RecountJob.objects.create(
            actor=make_user(f"tw{number}", Role.NATIONAL_ADMIN), status=RecountJobStatus.DONE
        )
    # when the page is opened; then the queries do not grow with the jobs
    # (session, user, recover's look for lost jobs, the list)
    with django_assert_num_queries(4):
        client.get(URL)


def test_with_a_worker_the_page_leaves_lost_recounts_to_its_sweep(client, national_admin, worker):
    # given a recount whose worker died
    stale = timezone.now() - timedelta(seconds=5)
    job = RecountJob.objects.create(status=RecountJobStatus.RUNNING, attempts=1, leased_until=stale)
    # when the page is polled
    client.get(URL, headers={"HX-Request": "true"})
    # then nothing changed: the worker's sweep recovers it
    job.refresh_from_db()
    assert (job.status, job.leased_until) == (RecountJobStatus.RUNNING, stale)
    assert DBTaskResult.objects.count() == 0


def test_the_menu_links_the_page_for_national_administrators_only(
    client, make_user, quang_ngai, national_admin
):
    # given a national administrator and a province administrator
    link = f'href="{URL}"'
    national = client.get(reverse("analytics:country_map")).content.decode()
    client.force_login(make_user("qn_admin", Role.ADMIN, (quang_ngai,)))
    province = client.get(reverse("analytics:country_map")).content.decode()
    # then only the national administrator's menu has it
    assert (link in national, link in province) == (True, False)
