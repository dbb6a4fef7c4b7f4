import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from docx import Document

from phongtrao.core.models import AuditEvent
from phongtrao.core.roles import Role
from phongtrao.documents.docx import builtin_template
from phongtrao.documents.models import DocumentTemplate, JobStatus, ReportJob
from phongtrao.documents.services import report_job_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def boy_client(client, make_user, bo_y):
    client.force_login(make_user("boy_xem", Role.VIEWER, (bo_y,)))
    return client


@pytest.fixture
def boy_job(bo_y, festival_values, run_jobs_now):
    return report_job_create(actor=None, unit=bo_y, year=2019, fmt="docx", boundaries="current")


def _choice(unit, **extra) -> dict:
    return {"unit": unit.pk, "year": 2019, "boundaries": "current", "format": "docx"} | extra


def test_the_page_offers_the_units_of_the_user(boy_client, bo_y, cam_thanh):
    response = boy_client.get(reverse("documents:report"))
    units = list(response.context["choice"].fields["unit"].queryset)
    assert bo_y in units and cam_thanh not in units


def test_preview_shows_the_narrative(boy_client, bo_y, festival_values):
    # when
    response = boy_client.get(reverse("documents:preview"), _choice(bo_y))
    # then
    assert "Củng cố, duy trì 1.240 mô hình" in response.content.decode()


@pytest.fixture
def entry_client(client, make_user, bo_y):
    client.force_login(make_user("boy_nhap", Role.DATA_ENTRY, (bo_y,)))
    return client


def test_generating_runs_a_job_and_offers_the_download(entry_client, bo_y, festival_values,
                                                       run_jobs_now):  # fmt: skip
    # when
    response = entry_client.post(reverse("documents:report"), _choice(bo_y))
    job = ReportJob.objects.get()
    page = entry_client.get(response.url)
    download = entry_client.get(reverse("documents:job_download", args=[job.pk]))
    # then
    assert response.url == reverse("documents:job", args=[job.pk])
    assert (job.status, job.progress) == (JobStatus.DONE, 100)
    assert reverse("documents:job_download", args=[job.pk]) in page.content.decode()
    document = Document(io.BytesIO(b"".join(download.streaming_content)))
    assert document.paragraphs[1].text.endswith("năm 2019")


def test_an_unfinished_job_polls_every_two_seconds(boy_client, bo_y):
    job = report_job_create(actor=None, unit=bo_y, year=2019, fmt="pdf", boundaries="current",
                            run=False)  # fmt: skip
    response = boy_client.get(reverse("documents:job", args=[job.pk]), headers={"HX-Request": "1"})
    assert 'hx-trigger="every 2s"' in response.content.decode()


def test_a_cam_thanh_user_gets_404_for_a_bo_y_job(client, make_user, cam_thanh, boy_job):
    # given
    client.force_login(make_user("ct_xem", Role.VIEWER, (cam_thanh,)))
    # when
    page = client.get(reverse("documents:job", args=[boy_job.pk]))
    download = client.get(reverse("documents:job_download", args=[boy_job.pk]))
    # then
    assert (page.status_code, download.status_code) == (404, 404)


def test_a_unit_outside_the_scope_cannot_be_chosen(boy_client, cam_thanh):
    response = boy_client.post(reverse("documents:report"), _choice(cam_thanh))
    assert response.status_code == 200
    assert response.context["choice"].errors["unit"]
    assert ReportJob.objects.count() == 0


def test_a_viewer_cannot_upload_a_template(boy_client, quang_ngai):
    upload = SimpleUploadedFile("festival.docx", builtin_template().read_bytes())
    data = {"unit": quang_ngai.pk, "kind": "festival", "file": upload}
    events = AuditEvent.objects.count()
    response = boy_client.post(reverse("documents:templates"), data)
    assert response.status_code == 403
    assert (DocumentTemplate.objects.count(), AuditEvent.objects.count()) == (0, events)


def test_command_writes_the_report(festival_values, tmp_path, capsys):
    # when
    out = tmp_path / "bao-cao.docx"
    call_command("report", "festival", "--unit", "23377", "--period", "2019", "--out", str(out),
                 "--boundaries", "current")  # fmt: skip
    # then
    assert capsys.readouterr().out.strip() == str(out)
    assert Document(str(out)).paragraphs[1].text == (
        "Kết quả tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc năm 2019"
    )


def test_command_refuses_an_unknown_unit(tmp_path):
    with pytest.raises(CommandError, match="99999"):
        call_command("report", "festival", "--unit", "99999", "--period", "2019",
                     "--out", str(tmp_path / "x.docx"))  # fmt: skip
    assert not (tmp_path / "x.docx").exists()


def test_command_takes_the_format_from_the_option(festival_values, tmp_path):
    out = tmp_path / "phu-luc.bin"
    call_command("report", "festival", "--unit", "23377", "--period", "2019", "--out", str(out),
                 "--boundaries", "current", "--format", "xlsx")  # fmt: skip
    assert out.read_bytes()[:2] == b"PK"


def test_units_before_the_reform_are_offered_after_todays(client, make_user, quang_ngai):
    # given a viewer of today's province of Quảng Ngãi, which took over Tỉnh Kon Tum
    client.force_login(make_user("qn_xem", Role.VIEWER, (quang_ngai,)))
    # when the report page is opened
    field = client.get(reverse("documents:report")).context["choice"].fields["unit"]
    labels = [field.label_from_instance(u) for u in field.queryset]
    # then today's units come first, then the old ones with the day they ended
    assert labels[0] == "Tỉnh Quảng Ngãi"
    assert "Tỉnh Kon Tum (đến 30/06/2025)" in labels
    assert labels.index("Tỉnh Kon Tum (đến 30/06/2025)") > labels.index("Tỉnh Quảng Ngãi")


def test_an_old_province_is_reported_in_its_own_years_boundaries(client, make_user, quang_ngai):
    from phongtrao.units.models import Unit

    # given
    client.force_login(make_user("qn_xem", Role.VIEWER, (quang_ngai,)))
    kon_tum = Unit.objects.get(code="62", valid_to__isnull=False)
    # when a 2019 report of Tỉnh Kon Tum is previewed in that year's boundaries
    response = client.get(reverse("documents:preview"), _choice(kon_tum, boundaries="historical"))
    # then the report is Kon Tum's
    assert response.status_code == 200
    assert "KON TUM" in response.content.decode().upper()
    assert response.context["choice"].report_unit == kon_tum


def _aged(job, minutes: int, status=JobStatus.RUNNING):
    from datetime import timedelta

    from django.utils import timezone

    ReportJob.objects.filter(pk=job.pk).update(
        status=status, created_at=timezone.now() - timedelta(minutes=minutes)
    )


def test_a_job_a_restart_cut_off_shows_as_failed_instead_of_waiting_for_ever(boy_client, bo_y):
    # given a job left "running" eleven minutes ago by a web process that restarted
    job = report_job_create(actor=None, unit=bo_y, year=2019, fmt="pdf", boundaries="current",
                            run=False)  # fmt: skip
    _aged(job, 11)
    # when its page is opened
    response = boy_client.get(reverse("documents:job", args=[job.pk]), headers={"HX-Request": "1"})
    # then it has failed, says why, and stops polling
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    html = response.content.decode()
    assert "Việc tạo báo cáo bị gián đoạn (máy chủ khởi động lại); hãy tạo lại." in html
    assert "every 2s" not in html


def test_with_a_worker_the_pages_leave_a_cut_off_job_to_its_sweep(boy_client, bo_y, settings):
    # given a deployment with workers and a job left "running" eleven minutes ago
    settings.PHONGTRAO_JOBS = "worker"
    job = report_job_create(actor=None, unit=bo_y, year=2019, fmt="pdf", boundaries="current",
                            run=False)  # fmt: skip
    _aged(job, 11)
    # when its page is polled and the report page opened
    boy_client.get(reverse("documents:job", args=[job.pk]), headers={"HX-Request": "1"})
    boy_client.get(reverse("documents:report"))
    # then neither touched it: the worker's sweep recovers jobs
    job.refresh_from_db()
    assert (job.status, job.error) == (JobStatus.RUNNING, "")
    assert DBTaskResult.objects.count() == 0


def test_a_job_still_within_its_time_keeps_running(boy_client, bo_y):
    # given a job running for five minutes
    job = report_job_create(actor=None, unit=bo_y, year=2019, fmt="pdf", boundaries="current",
                            run=False)  # fmt: skip
    _aged(job, 5)
    # when its page is opened
    boy_client.get(reverse("documents:job", args=[job.pk]), headers={"HX-Request": "1"})
    # then it is left alone
    job.refresh_from_db()
    assert (job.status, job.error) == (JobStatus.RUNNING, "")


def test_the_preview_of_a_unit_outside_the_scope_shows_nothing(
    boy_client, cam_thanh, festival_values
):
    # when a Bờ Y viewer asks for Phường Cẩm Thành's narrative
    response = boy_client.get(reverse("documents:preview"), _choice(cam_thanh))
    # then the form refuses the unit and no narrative is written
    assert response.context["choice"].errors["unit"]
    assert "report" not in response.context


def test_asking_for_a_report_is_audited(client, make_user, bo_y, festival_values, run_jobs_now):
    # given a Bờ Y data entry officer
    viewer = make_user("boy_nhap", Role.DATA_ENTRY, (bo_y,))
    client.force_login(viewer)
    # when they ask for the 2019 report as a Word file
    client.post(reverse("documents:report"), _choice(bo_y))
    # then the audit names who asked for which report of which unit
    job = ReportJob.objects.get()
    event = AuditEvent.objects.get(content_type__model="reportjob", object_id=str(job.pk))
    assert (event.action, event.actor, event.unit, event.changes["year"]) == (
        "create", viewer, bo_y, [None, 2019],
    )  # fmt: skip
    assert event.changes["format"] == [None, "docx"]
    assert (
        event.object_repr == "Báo cáo kết quả Ngày hội toàn dân bảo vệ ANTQ 2019 · Xã Bờ Y (DOCX)"
    )


def test_polling_a_job_writes_nothing_when_no_job_was_cut_off(boy_client, bo_y):
    # given a job started a minute ago
    job = report_job_create(actor=None, unit=bo_y, year=2019, fmt="pdf", boundaries="current",
                            run=False)  # fmt: skip
    _aged(job, 1, status=JobStatus.PENDING)
    # when its page is polled
    with CaptureQueriesContext(connection) as queries:
        boy_client.get(reverse("documents:job", args=[job.pk]), headers={"HX-Request": "1"})
    # then only reads were made and the job is untouched
    assert [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("UPDATE")] == []
    job.refresh_from_db()
    assert job.status == JobStatus.PENDING


def test_a_viewer_may_not_generate_a_report(boy_client, bo_y, festival_values, run_jobs_now):
    # given a Bờ Y viewer, in a deployment that does not let viewers generate reports
    events = AuditEvent.objects.count()
    # when they ask for the 2019 report
    response = boy_client.post(reverse("documents:report"), _choice(bo_y))
    # then they are refused with the reason, and no job, file or audit entry was made
    assert response.status_code == 403
    assert response.context["choice"].non_field_errors() == [
        "Người xem không được tạo báo cáo ở đây; hãy nhờ quản trị viên tạo báo cáo."
    ]
    assert ReportJob.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_a_viewer_sees_the_preview_but_no_generate_button(boy_client):
    # when a Bờ Y viewer opens the report page
    html = boy_client.get(reverse("documents:report")).content.decode()
    # then the page says why there is nothing to generate, and offers only the preview
    assert "Xem trước" in html
    assert '<button type="submit">' not in html
    assert "Người xem được xem trước báo cáo; tạo tệp báo cáo dành cho cán bộ nhập liệu" in html


def test_a_viewer_generates_a_report_where_the_deployment_allows_it(
    boy_client, bo_y, festival_values, run_jobs_now, settings
):
    # given a deployment that lets viewers generate reports
    settings.REPORTS_VIEWERS_MAY_GENERATE = True
    # when a Bờ Y viewer asks for the 2019 report
    response = boy_client.post(reverse("documents:report"), _choice(bo_y))
    # then the job ran
    job = ReportJob.objects.get()
    assert response.url == reverse("documents:job", args=[job.pk])
    assert (job.status, job.created_by.username) == (JobStatus.DONE, "boy_xem")


def test_the_recent_reports_say_which_boundaries_each_used(
    entry_client, bo_y, festival_values, run_jobs_now
):
    # given the 2019 report of Bờ Y asked for in today's boundaries, then in that year's
    for boundaries in ("current", "historical"):
        entry_client.post(reverse("documents:report"), _choice(bo_y, boundaries=boundaries))
    # when the report page lists them
    response = entry_client.get(reverse("documents:report"))
    # then each row names its boundaries, the latest first
    html = response.content.decode()
    rows = [row.split("</tr>")[0] for row in html.split("<tbody>")[1].split("<tr>")[1:]]
    cells = [row.split("<td>")[4].split("</td>")[0] for row in rows]
    # in the words the form offered them
    assert cells == ["theo địa giới của năm báo cáo", "theo đơn vị hành chính hiện nay"]


def test_the_downloaded_file_names_carry_the_boundaries(
    entry_client, bo_y, festival_values, run_jobs_now
):
    # given the 2019 report of Bờ Y in today's boundaries and in that year's
    jobs = {
        boundaries: report_job_create(
            actor=None, unit=bo_y, year=2019, fmt="docx", boundaries=boundaries
        )
        for boundaries in ("current", "historical")
    }
    # when each is downloaded
    names = {
        boundaries: entry_client.get(reverse("documents:job_download", args=[job.pk]))[
            "Content-Disposition"
        ]
        for boundaries, job in jobs.items()
    }
    # then the names say which, in ASCII
    assert names == {
        "current": 'attachment; filename="bao-cao-ngay-hoi-2019-23377-hien-nay.docx"',
        "historical": 'attachment; filename="bao-cao-ngay-hoi-2019-23377-lich-su.docx"',
    }


def test_a_job_waiting_for_its_next_attempt_says_so(boy_client, bo_y):
    # given a job whose first attempt failed and which waits to be tried again
    job = report_job_create(actor=None, unit=bo_y, year=2019, fmt="pdf", boundaries="current",
                            run=False)  # fmt: skip
    ReportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.PENDING, attempts=2, error="Không lập được báo cáo; lỗi đã được ghi lại."
    )
    # when its page is polled
    page = boy_client.get(reverse("documents:job", args=[job.pk])).content.decode()
    # then it says how many attempts, why, and that it will be tried again
    assert "Số lần thử: 2" in page
    assert (
        "Lần thử vừa rồi không thành; hệ thống sẽ tự thử lại sau ít phút. "
        "Không lập được báo cáo; lỗi đã được ghi lại."
    ) in page
