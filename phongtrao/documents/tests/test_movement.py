"""The movement's yearly report: Báo cáo tổng kết Phong trào toàn dân bảo vệ an ninh Tổ quốc."""

import io
import re
import subprocess
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from docx import Document

from phongtrao.analytics.selectors import value_get
from phongtrao.catalog.models import Indicator
from phongtrao.core.roles import Role
from phongtrao.core.text import parse_number
from phongtrao.documents.docx import builtin_template
from phongtrao.documents.models import DocumentTemplate, JobStatus, ReportJob
from phongtrao.documents.services import document_template_upload, report_render
from phongtrao.documents.tests.conftest import area_values_store
from phongtrao.documents.wording import AUTHOR_FIELD
from phongtrao.registries.models import (
    Grade,
    Rating,
    ReviewStatus,
    Scheme,
    SchemeReview,
    SchemeType,
    SecurityTeam,
    TeamGrading,
)

pytestmark = pytest.mark.django_db
TODAY = date(2026, 9, 5)
# Festival-day details the movement report leaves to the festival report.
FESTIVAL_ONLY = {"FESTIVAL_GIFTS_VND", "CULTURAL_SPORTS_EVENTS", "SEMINARS", "GRATITUDE_ACTIVITIES"}
TITLE_2020 = "Tổng kết Phong trào toàn dân bảo vệ an ninh Tổ quốc năm 2020"

# Two residential areas of Xã Bờ Y, 2019 and 2020. Explicit zeros must not be written.
MOVEMENT_VALUES = {
    "2019": {
        "Thôn Một": {"PLANS_ISSUED": 3, "OUTREACH_SESSIONS": 40, "FESTIVAL_EVENTS": 1,
                     "FESTIVAL_PARTICIPANTS": 500, "SCHEMES_MAINTAINED": 4, "SCHEMES_NEW": 2,
                     "SCHEMES_DAN_VAN_KHEO": 1, "WEAPONS_SURRENDERED": 2,
                     "AMMUNITION_SURRENDERED": 30, "OFFENDERS_SURRENDERED": 1,
                     "TIPS_RECEIVED": 12, "COMMUNITY_EDUCATION_PERSONS": 3,
                     "FIELD_OFFICERS_DEPLOYED": 20, "SECURITY_TEAMS": 1,
                     "SECURITY_TEAM_MEMBERS": 7, "SAFE_RESIDENTIAL_AREAS": 1, "PACTS_SIGNED": 5,
                     "AWARDED_INDIVIDUALS": 0},
        "Thôn Hai": {"SCHEMES_MAINTAINED": 3, "SCHEMES_NEW": 1, "TIPS_RECEIVED": 5,
                     "FIELD_OFFICERS_DEPLOYED": 15, "SECURITY_TEAMS": 1,
                     "SECURITY_TEAM_MEMBERS": 6, "FESTIVAL_EVENTS": 1,
                     "FESTIVAL_PARTICIPANTS": 350, "REINTEGRATION_PERSONS": 2},
    },
    "2020": {
        "Thôn Một": {"PLANS_ISSUED": 4, "SCHEMES_MAINTAINED": 6, "SCHEMES_NEW": 1,
                     "TIPS_RECEIVED": 10, "FIELD_OFFICERS_DEPLOYED": 25, "SECURITY_TEAMS": 1,
                     "SECURITY_TEAM_MEMBERS": 7, "SAFE_RESIDENTIAL_AREAS": 1,
                     "FESTIVAL_PARTICIPANTS": 1200, "WEAPONS_SURRENDERED": 0},
        "Thôn Hai": {"SCHEMES_MAINTAINED": 3, "SCHEMES_NEW": 3, "TIPS_RECEIVED": 8,
                     "SECURITY_TEAMS": 1, "SECURITY_TEAM_MEMBERS": 8,
                     "SAFE_RESIDENTIAL_AREAS": 1, "FESTIVAL_PARTICIPANTS": 900},
    },
}  # fmt: skip


@pytest.fixture
def movement_values(areas):
    return area_values_store(areas, MOVEMENT_VALUES)


@pytest.fixture
def registries(areas, bo_y):
    """2020: four models reviewed (three good, one fair); two teams graded in both years."""
    camera = SchemeType.objects.get(code="camera_an_ninh")
    for n, rating in enumerate([Rating.GOOD, Rating.GOOD, Rating.GOOD, Rating.FAIR]):
        scheme = Scheme.objects.create(
            unit=areas["Thôn Một"], year=2019, name=f"Mô hình {n}", scheme_type=camera,
            founded_on=date(2019, 1, 1),
        )  # fmt: skip
        SchemeReview.objects.create(
            scheme=scheme, year=2020, status=ReviewStatus.MAINTAINED, rating=rating
        )
    grades = [(Grade.EXCELLENT, Grade.EXCELLENT), (Grade.GOOD, Grade.EXCELLENT)]
    for n, (in_2019, in_2020) in enumerate(grades):
        team = SecurityTeam.objects.create(
            unit=bo_y, year=2019, name=f"Tổ {n}", established_on=date(2018, 1, 1)
        )
        TeamGrading.objects.create(team=team, year=2019, grade=in_2019)
        TeamGrading.objects.create(team=team, year=2020, grade=in_2020)


def _render(unit, year=2020, fmt="docx", **kwargs):
    return report_render(unit=unit, year=year, fmt=fmt, boundaries="current", today=TODAY,
                         kind="movement", **kwargs)  # fmt: skip


@pytest.fixture
def movement_2020(movement_values, registries, bo_y):
    return Document(io.BytesIO(_render(bo_y).content))


def _paragraphs(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def _results(paragraphs: list[str]) -> list[str]:
    results = paragraphs[paragraphs.index("I. KẾT QUẢ THỰC HIỆN") + 1 :]
    return results[: results.index("II. ĐÁNH GIÁ CHUNG")]


def test_title_names_the_movement_and_the_year(movement_2020):
    assert _paragraphs(movement_2020)[:2] == ["BÁO CÁO", TITLE_2020]


def test_header_block_is_the_same_as_the_festival_report(movement_2020):
    left, right = movement_2020.tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs] == [
        "CÔNG AN TỈNH QUẢNG NGÃI", "CÔNG AN XÃ BỜ Y", "Số: …/BC-CAX"
    ]  # fmt: skip
    assert [p.text for p in right.paragraphs][-1] == "Bờ Y, ngày 05 tháng 9 năm 2026"


def test_opening_cites_the_directive_and_the_anniversaries(movement_2020):
    intro = _paragraphs(movement_2020)[2:4]
    assert intro == [
        "Thực hiện Chỉ thị số 09-CT/TW ngày 01/12/2011 của Ban Bí thư về tăng cường sự lãnh đạo "
        "của Đảng đối với Phong trào toàn dân bảo vệ an ninh Tổ quốc trong tình hình mới và "
        "hướng dẫn của cấp trên, Công an xã Bờ Y báo cáo tổng kết Phong trào toàn dân bảo vệ an "
        "ninh Tổ quốc năm 2020 như sau:",
        "Năm 2020, Phong trào toàn dân bảo vệ an ninh Tổ quốc được triển khai trong không khí "
        "thi đua chào mừng kỷ niệm 75 năm Ngày truyền thống lực lượng Công an nhân dân "
        "(19/8/1945 - 19/8/2020) và 15 năm Ngày hội toàn dân bảo vệ an ninh Tổ quốc "
        "(19/8/2005 - 19/8/2020).",
    ]


def test_exact_sentences_of_2020(movement_2020):
    assert _results(_paragraphs(movement_2020)) == [
        "1. Công tác chỉ đạo, hướng dẫn, xây dựng kế hoạch",
        "Công an xã Bờ Y đã tham mưu ban hành 4 kế hoạch, văn bản chỉ đạo, hướng dẫn triển khai "
        "Phong trào toàn dân bảo vệ an ninh Tổ quốc năm 2020.",
        "So với năm 2019: số kế hoạch, văn bản chỉ đạo tăng 1 văn bản.",
        "2. Tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc",
        "Ngày hội toàn dân bảo vệ an ninh Tổ quốc năm 2020 thu hút 2.100 lượt người dân tham dự "
        "(kết quả cụ thể tại Báo cáo kết quả tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc "
        "năm 2020).",
        "So với năm 2019: số lượt người tham dự tăng 1.250 lượt người.",
        "3. Xây dựng, nhân rộng mô hình, điển hình tiên tiến",
        "Củng cố, duy trì 9 mô hình, xây dựng mới 4 mô hình tự quản, tự phòng, tự bảo vệ, tự hòa "
        "giải về an ninh, trật tự.",
        "So với năm 2019: số mô hình được củng cố, duy trì tăng 2 mô hình; số mô hình xây dựng "
        "mới tăng 1 mô hình.",
        "Qua đánh giá, có 3 mô hình hoạt động hiệu quả tốt và 1 mô hình khá.",
        "Đơn vị tiêu biểu: Thôn Hai xây dựng mới nhiều mô hình nhất (3).",
        "4. Kết quả vận động quần chúng tham gia phòng, chống tội phạm",
        "Tiếp nhận 18 tin báo, tố giác tội phạm từ quần chúng nhân dân.",
        "So với năm 2019: số tin báo, tố giác tội phạm tăng 1 tin.",
        "Đơn vị tiêu biểu: Thôn Một tiếp nhận nhiều tin báo, tố giác tội phạm nhất (10 tin).",
        "5. Lực lượng hướng về cơ sở",
        "Điều động 25 lượt cán bộ, chiến sĩ hướng về cơ sở, bám địa bàn, nắm tình hình, hướng "
        "dẫn Phong trào.",
        "So với năm 2019: số lượt cán bộ, chiến sĩ hướng về cơ sở giảm 10 lượt.",
        "Đơn vị tiêu biểu: Thôn Một có nhiều lượt cán bộ, chiến sĩ hướng về cơ sở nhất (25 lượt).",
        "6. Tổ bảo vệ an ninh, trật tự ở cơ sở",
        "Toàn xã có 2 Tổ bảo vệ an ninh, trật tự ở cơ sở với 15 thành viên Tổ bảo vệ an ninh, "
        "trật tự.",
        "So với năm 2019: số Tổ bảo vệ an ninh, trật tự bằng năm 2019; số thành viên tăng 2 người.",
        "Kết quả phân loại năm 2020: 2 Tổ hoàn thành xuất sắc nhiệm vụ.",
        "So với năm 2019: số Tổ hoàn thành xuất sắc nhiệm vụ tăng 1 tổ.",
        "7. Xây dựng khu dân cư, xã, cơ quan, doanh nghiệp, cơ sở giáo dục đạt chuẩn “An toàn "
        "về an ninh, trật tự”",
        "Có 2 khu dân cư đạt chuẩn “An toàn về an ninh, trật tự”.",
        "So với năm 2019: số khu dân cư đạt chuẩn tăng 1 khu.",
    ]


def test_exact_sentences_of_2019_without_a_previous_year(movement_values, registries, bo_y):
    # when
    paragraphs = _paragraphs(Document(io.BytesIO(_render(bo_y, year=2019).content)))
    results = _results(paragraphs)
    # then 2018 has no data: nothing is compared; 2019 has no model reviews
    assert not any(p.startswith("So với năm") for p in results)
    assert not any(p.startswith("Qua đánh giá") for p in results)
    for sentence in (
        "Công tác tuyên truyền được đẩy mạnh với nhiều hình thức: tổ chức 40 buổi tuyên truyền.",
        "Ngày hội toàn dân bảo vệ an ninh Tổ quốc năm 2019 được tổ chức tại 2 điểm, thu hút 850 "
        "lượt người dân tham dự (kết quả cụ thể tại Báo cáo kết quả tổ chức Ngày hội toàn dân "
        "bảo vệ an ninh Tổ quốc năm 2019).",
        "Củng cố, duy trì 7 mô hình, xây dựng mới 3 mô hình tự quản, tự phòng, tự bảo vệ, tự hòa "
        "giải về an ninh, trật tự.",
        "Toàn xã có 1 mô hình “Dân vận khéo” trong lĩnh vực bảo đảm an ninh, trật tự.",
        "Các cơ quan, đơn vị, khu dân cư ký kết 5 bản giao ước thi đua thực hiện Phong trào toàn "
        "dân bảo vệ an ninh Tổ quốc.",
        "Vận động quần chúng nhân dân tự nguyện giao nộp, thu hồi 2 khẩu súng các loại và 30 "
        "viên đạn.",
        "Vận động 1 đối tượng ra đầu thú.",
        "Phối hợp quản lý, giáo dục 3 người vi phạm pháp luật tại cộng đồng; giúp đỡ 2 người "
        "chấp hành xong án phạt tù tái hòa nhập cộng đồng.",
        "Kết quả phân loại năm 2019: 1 Tổ hoàn thành xuất sắc nhiệm vụ và 1 Tổ hoàn thành tốt "
        "nhiệm vụ.",
    ):
        assert sentence in results, sentence
    assert any("hướng tới kỷ niệm 75 năm" in p for p in paragraphs[2:4])


def test_no_sentence_counts_zero_of_anything(movement_2020, movement_values, bo_y):
    # given 2019's explicit zero of commended individuals and 2020's of weapons
    doc_2019 = Document(io.BytesIO(_render(bo_y, year=2019).content))
    for document in (movement_2020, doc_2019):
        paragraphs = _paragraphs(document)
        assert [p for p in paragraphs if re.search(r"(?<![\d.,])0 \w", p)] == []
        assert not any("khẩu súng" in p for p in _results(paragraphs) if "2020" in p)
    assert not any("cá nhân" in p for p in _paragraphs(doc_2019))


def test_assessment_and_next_year_are_left_for_the_author(movement_2020):
    paragraphs = _paragraphs(movement_2020)
    start = paragraphs.index("II. ĐÁNH GIÁ CHUNG")
    dots = AUTHOR_FIELD
    assert paragraphs[start : start + 7] == [
        "II. ĐÁNH GIÁ CHUNG", "1. Ưu điểm", dots, "2. Tồn tại, hạn chế", dots,
        "III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2021", dots,
    ]  # fmt: skip


def test_annex_lists_every_catalogue_indicator_with_the_totals_of_values_get(movement_2020):
    # given the annex rows: number, name, unit, this year, last year, difference
    rows = [[c.text for c in row.cells] for row in movement_2020.tables[-1].rows[1:]]
    data = {r[1]: r for r in rows if r[0]}
    numeric = [i for i in Indicator.objects.all() if i.is_numeric]
    # then all 34, numbered 1 to 34, each equal to `values get`
    assert len(numeric) == 34
    assert sorted(int(r[0]) for r in data.values()) == list(range(1, 35))
    assert set(data) == {i.name for i in numeric}
    for indicator in numeric:
        now, before = (
            value_get(indicator_code=indicator.code, unit_code="23377", period=year,
                      boundaries="current")
            for year in ("2020", "2019")
        )  # fmt: skip
        cells = data[indicator.name]
        assert (parse_number(cells[3]) if cells[3] else None) == now, indicator.code
        assert (parse_number(cells[4]) if cells[4] else None) == before, indicator.code
    names = {i.code: i.name for i in numeric}
    assert data[names["FESTIVAL_PARTICIPANTS"]][3:] == ["2.100", "850", "+1.250"]
    assert data[names["FIELD_OFFICERS_DEPLOYED"]][3:] == ["25", "35", "-10"]
    # and the annex says which data they are, and how many of the units that had to report
    # (the three old communes of today's Bờ Y, whose reports these test values skip) they cover
    assert _paragraphs(movement_2020)[-3:] == [
        "PHỤ LỤC SỐ LIỆU",
        "(Kèm theo Báo cáo tổng kết Phong trào toàn dân bảo vệ an ninh Tổ quốc năm 2020)",
        "Số liệu tổng hợp: báo cáo đã gửi và đã duyệt. Số liệu của 0/3 đơn vị đã gửi báo cáo.",
    ]


@pytest.mark.pdf
def test_pdf_has_the_text_of_the_report(movement_values, registries, bo_y, tmp_path):
    # given
    path = tmp_path / "movement.pdf"
    path.write_bytes(_render(bo_y, fmt="pdf").content)
    # when
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    text = re.sub(r"\s+", " ", text)
    # then
    for sentence in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        TITLE_2020,
        "Qua đánh giá, có 3 mô hình hoạt động hiệu quả tốt và 1 mô hình khá.",
        "Kết quả phân loại năm 2020: 2 Tổ hoàn thành xuất sắc nhiệm vụ.",
        "So với năm 2019: số lượt cán bộ, chiến sĩ hướng về cơ sở giảm 10 lượt.",
        "II. ĐÁNH GIÁ CHUNG",
        "PHỤ LỤC SỐ LIỆU",
    ):
        assert sentence in text, sentence


def test_xlsx_annex_has_every_indicator(movement_values, bo_y):
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(_render(bo_y, fmt="xlsx").content)).active
    rows = {row[1]: row for row in sheet.iter_rows(min_row=6, values_only=True) if row[1]}
    assert len(rows) == 34
    assert rows["TIPS_RECEIVED"][4:] == (18, 17, 1)
    assert sheet["A2"].value.startswith("(Kèm theo Báo cáo tổng kết Phong trào")


def test_the_file_is_named_for_the_movement(movement_values, bo_y):
    assert _render(bo_y).filename == "bao-cao-phong-trao-2020-23377-hien-nay.docx"


def test_command_writes_the_movement_report(movement_values, tmp_path, capsys):
    # when
    out = tmp_path / "tong-ket.docx"
    call_command("report", "movement", "--unit", "23377", "--period", "2020", "--out", str(out),
                 "--boundaries", "current")  # fmt: skip
    # then
    assert capsys.readouterr().out.strip() == str(out)
    assert Document(str(out)).paragraphs[1].text == TITLE_2020


@pytest.mark.pdf
def test_command_writes_the_movement_pdf(movement_values, tmp_path):
    out = tmp_path / "tong-ket.pdf"
    call_command("report", "movement", "--unit", "23377", "--period", "2020", "--out", str(out),
                 "--boundaries", "current")  # fmt: skip
    assert out.read_bytes()[:5] == b"%PDF-"


@pytest.fixture
def boy_client(client, make_user, bo_y):
    client.force_login(make_user("boy_nhap", Role.DATA_ENTRY, (bo_y,)))
    return client


def _choice(unit, **extra) -> dict:
    return {"kind": "movement", "unit": unit.pk, "year": 2020, "boundaries": "current",
            "format": "docx"} | extra  # fmt: skip


def test_the_page_lets_the_user_choose_the_kind(boy_client):
    response = boy_client.get(reverse("documents:report"))
    choices = dict(response.context["choice"].fields["kind"].choices)
    assert set(choices) == {"festival", "movement"}
    assert 'name="kind"' in response.content.decode()


def test_preview_shows_the_movement_narrative(boy_client, bo_y, movement_values):
    response = boy_client.get(reverse("documents:preview"), _choice(bo_y))
    content = response.content.decode()
    assert TITLE_2020 in content
    assert "Tiếp nhận 18 tin báo, tố giác tội phạm" in content


def test_generating_the_movement_report_from_the_page(boy_client, bo_y, movement_values,
                                                      run_jobs_now):  # fmt: skip
    # when
    response = boy_client.post(reverse("documents:report"), _choice(bo_y))
    job = ReportJob.objects.get()
    download = boy_client.get(reverse("documents:job_download", args=[job.pk]))
    # then
    assert (job.kind, job.status) == ("movement", JobStatus.DONE)
    assert response.url == reverse("documents:job", args=[job.pk])
    assert "bao-cao-phong-trao-2020-23377-hien-nay.docx" in download["Content-Disposition"]
    document = Document(io.BytesIO(b"".join(download.streaming_content)))
    assert document.paragraphs[1].text == TITLE_2020


def test_a_unit_outside_the_scope_cannot_be_chosen(client, make_user, cam_thanh, bo_y):
    # given a Cẩm Thành user
    client.force_login(make_user("ct_xem", Role.VIEWER, (cam_thanh,)))
    # when they ask for Bờ Y's movement report, or preview it
    response = client.post(reverse("documents:report"), _choice(bo_y))
    preview = client.get(reverse("documents:preview"), _choice(bo_y))
    # then
    assert response.context["choice"].errors["unit"]
    assert ReportJob.objects.count() == 0
    assert TITLE_2020 not in preview.content.decode()


def _template(text: str) -> SimpleUploadedFile:
    document = Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return SimpleUploadedFile("mau-tong-ket.docx", out.getvalue())


def test_province_templates_are_per_kind(quang_ngai, bo_y, movement_values):
    # given the province's own template of the movement report only
    template = document_template_upload(
        actor=None, unit=quang_ngai, upload=_template("Tổng kết riêng của tỉnh, năm {{ year }}"),
        kind="movement",
    )  # fmt: skip
    # when
    movement = Document(io.BytesIO(_render(bo_y).content))
    festival = Document(io.BytesIO(report_render(unit=bo_y, year=2020, boundaries="current",
                                                 today=TODAY).content))  # fmt: skip
    builtin = Document(io.BytesIO(_render(bo_y, use_builtin=True).content))
    # then
    assert template.kind == "movement"
    assert _paragraphs(movement) == ["Tổng kết riêng của tỉnh, năm 2020"]
    assert _paragraphs(festival)[0] == "BÁO CÁO"
    assert _paragraphs(builtin)[1] == TITLE_2020


def test_a_movement_template_is_tried_on_the_movement_fields(quang_ngai):
    # the built-in template uploaded back as the movement's, unchanged, is accepted
    upload = SimpleUploadedFile("festival.docx", builtin_template().read_bytes())
    template = document_template_upload(actor=None, unit=quang_ngai, upload=upload,
                                        kind="movement")  # fmt: skip
    assert DocumentTemplate.objects.filter(unit=quang_ngai).count() == 1
    assert template.get_kind_display() == "Báo cáo tổng kết Phong trào toàn dân bảo vệ ANTQ"


def test_the_templates_page_names_the_kind_of_each_template(client, make_user, quang_ngai):
    # given a province's movement template
    document_template_upload(actor=None, unit=quang_ngai, upload=_template("{{ year }}"),
                             kind="movement")  # fmt: skip
    client.force_login(make_user("qn_qt", Role.ADMIN, (quang_ngai,)))
    # when
    response = client.get(reverse("documents:templates"))
    # then
    content = response.content.decode()
    assert "Báo cáo tổng kết Phong trào toàn dân bảo vệ ANTQ" in content
    assert 'name="kind"' in content
