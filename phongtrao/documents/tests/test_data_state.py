"""Reports say which data they include: a data state, and how many of the units that must report
the festival form their figures cover ("Số liệu của 2/3 đơn vị đã gửi báo cáo")."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from phongtrao.catalog.models import Indicator, ReportForm
from phongtrao.core.roles import Role
from phongtrao.documents.models import ReportJob
from phongtrao.documents.services import report_render
from phongtrao.reporting.models import DataValue, Submission, SubmissionStatus, ValueState

pytestmark = pytest.mark.django_db
TODAY = date(2026, 9, 5)
YEAR = 2025
NOTES = {
    "approved": "Số liệu tổng hợp: chỉ báo cáo đã được duyệt. "
    "Số liệu của 1/3 đơn vị có báo cáo đã được duyệt.",
    "submitted": "Số liệu tổng hợp: báo cáo đã gửi và đã duyệt. "
    "Số liệu của 2/3 đơn vị đã gửi báo cáo.",
    "all": "Số liệu tổng hợp: toàn bộ số liệu, kể cả bản nháp. "
    "Số liệu của 3/3 đơn vị, kể cả bản nháp.",
}


@pytest.fixture
def reports(areas, bo_y):
    """Xã Bờ Y and its two villages report the festival form for 2025: Thôn Một approved with 2
    festival events, Thôn Hai sent with 3, the commune's own 5 still a draft."""
    form = ReportForm.objects.get(code="FESTIVAL")
    events = Indicator.objects.get(code="FESTIVAL_EVENTS")
    for unit, status, state, number in (
        (areas["Thôn Một"], SubmissionStatus.APPROVED, ValueState.APPROVED, 2),
        (areas["Thôn Hai"], SubmissionStatus.SUBMITTED, ValueState.SUBMITTED, 3),
        (bo_y, SubmissionStatus.DRAFT, ValueState.DRAFT, 5),
    ):
        Submission.objects.create(form=form, unit=unit, period=str(YEAR), status=status)
        DataValue.objects.create(
            indicator=events, unit=unit, period=str(YEAR), value=str(number),
            number=Decimal(number), state=state,
        )  # fmt: skip
    return bo_y


def _sheet(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def _events(sheet) -> int:
    return next(
        r[4] for r in sheet.iter_rows(min_row=6, values_only=True) if r[1] == "FESTIVAL_EVENTS"
    )


@pytest.mark.parametrize(("state", "events"), [("approved", 2), ("submitted", 5), ("all", 10)])
def test_the_annex_says_which_data_and_how_many_units_it_covers(reports, state, events):
    # when the annex is written from the figures of one data state
    rendered = report_render(
        unit=reports, year=YEAR, fmt="xlsx", boundaries="historical", today=TODAY, state=state
    )
    sheet = _sheet(rendered.content)
    # then its figures are those of the state, and its fourth line says which, and how many of
    # the three units that must report are in them
    assert (_events(sheet), sheet.cell(4, 1).value) == (events, NOTES[state])


def test_a_report_reads_sent_and_approved_reports_by_default(reports):
    # when the Word report is written without a state
    rendered = report_render(unit=reports, year=YEAR, boundaries="historical", today=TODAY)
    paragraphs = [p.text for p in Document(io.BytesIO(rendered.content)).paragraphs]
    # then the annex's heading is followed by the line on its data
    assert paragraphs[-3:] == [
        "PHỤ LỤC SỐ LIỆU",
        "(Kèm theo Báo cáo kết quả tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc năm 2025)",
        NOTES["submitted"],
    ]


def test_the_preview_says_which_data_it_shows(client, make_user, reports):
    # given a viewer of Bờ Y
    client.force_login(make_user("boy_xem", Role.VIEWER, (reports,)))
    choice = {"unit": reports.pk, "year": YEAR, "boundaries": "historical", "format": "docx"}
    # when the report is previewed with drafts included
    response = client.get(reverse("documents:preview"), choice | {"state": "all"})
    # then the preview says so
    assert f'<p class="center muted" id="data-note">{NOTES["all"]}</p>' in response.content.decode()


def test_the_report_command_takes_a_state(reports, tmp_path):
    # when the annex is asked for on the command line with approved reports only
    out = tmp_path / "phu-luc.xlsx"
    call_command(
        "report", "festival", "--unit", "23377", "--period", str(YEAR), "--out", str(out),
        "--state", "approved", stdout=io.StringIO(),
    )  # fmt: skip
    # then
    sheet = _sheet(out.read_bytes())
    assert (_events(sheet), sheet.cell(4, 1).value) == (2, NOTES["approved"])


def test_a_job_keeps_the_state_it_was_asked_for(client, make_user, reports, run_jobs_now):
    # given Bờ Y's data entry officer
    client.force_login(make_user("boy_nhap", Role.DATA_ENTRY, (reports,)))
    choice = {"unit": reports.pk, "year": YEAR, "boundaries": "historical", "format": "xlsx"}
    # when they ask for the annex of everything entered, drafts included
    client.post(reverse("documents:report"), choice | {"state": "all"})
    # then the job records it and its file is written from it
    job = ReportJob.objects.get()
    with job.file.open("rb") as handle:
        sheet = _sheet(handle.read())
    assert (job.state, _events(sheet), sheet.cell(4, 1).value) == ("all", 10, NOTES["all"])


def test_a_page_without_the_choice_reads_sent_and_approved_reports(
    client, make_user, reports, run_jobs_now
):
    # given a report page made before the choice existed (no `state` in the request)
    client.force_login(make_user("boy_nhap", Role.DATA_ENTRY, (reports,)))
    choice = {"unit": reports.pk, "year": YEAR, "boundaries": "historical", "format": "xlsx"}
    # when it is sent
    client.post(reverse("documents:report"), choice)
    # then the default state is used
    assert ReportJob.objects.get().state == "submitted"
