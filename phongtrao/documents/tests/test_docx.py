import io
import re
from datetime import date

import pytest
from docx import Document
from docx.shared import Mm, Twips

from phongtrao.analytics.selectors import value_get
from phongtrao.catalog.models import Indicator
from phongtrao.catalog.selectors import form_get, form_indicators
from phongtrao.core.text import parse_number
from phongtrao.documents.services import report_render

pytestmark = pytest.mark.django_db
TODAY = date(2026, 9, 5)


def _twips(mm: int) -> int:
    return Twips(round(Mm(mm) / 635))


@pytest.fixture
def report_2019(festival_values, bo_y, tmp_path):
    rendered = report_render(unit=bo_y, year=2019, boundaries="current", today=TODAY)
    path = tmp_path / rendered.filename
    path.write_bytes(rendered.content)
    return Document(str(path))


def _paragraphs(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def _cell_lines(cell) -> list[str]:
    return [p.text for p in cell.paragraphs]


def test_header_block_names_the_issuer_and_the_national_motto(report_2019):
    # when
    left, right = report_2019.tables[0].rows[0].cells
    # then
    assert _cell_lines(left) == ["CÔNG AN TỈNH QUẢNG NGÃI", "CÔNG AN XÃ BỜ Y", "Số: …/BC-CAX"]
    assert _cell_lines(right) == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Bờ Y, ngày 05 tháng 9 năm 2026",
    ]


def test_motto_is_bold_and_the_date_line_italic(report_2019):
    # when
    nation, motto, place_date = report_2019.tables[0].rows[0].cells[1].paragraphs
    # then
    assert [r.bold for r in nation.runs + motto.runs] == [True, True]
    assert [r.italic for r in place_date.runs] == [True]


def test_header_block_has_no_borders(report_2019):
    borders = report_2019.tables[0]._tbl.tblPr.xpath("./w:tblBorders/*/@w:val")
    assert set(borders) == {"nil"}


def test_page_is_a4_with_the_decree_margins(report_2019):
    # when
    section = report_2019.sections[0]
    # then
    assert (section.page_width, section.page_height) == (Twips(11906), Twips(16838))
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert margins == [_twips(20), _twips(20), _twips(30), _twips(15)]
    assert [round(m.mm) for m in margins] == [20, 20, 30, 15]


def test_text_is_times_new_roman_14(report_2019):
    # when
    normal = report_2019.styles["Normal"]
    fonts = normal.element.rPr.rFonts
    # then
    assert (normal.font.name, normal.font.size.pt) == ("Times New Roman", 14)
    assert {fonts.get(f"{{{fonts.nsmap['w']}}}{a}") for a in ("eastAsia", "cs")} == {
        "Times New Roman"
    }


def test_page_numbers_start_on_page_two(report_2019):
    # when
    section = report_2019.sections[0]
    # then the first page has its own, empty header; the others show the PAGE field
    assert section.different_first_page_header_footer is True
    assert section.header._element.xpath(".//w:fldSimple/@w:instr") == ["PAGE"]
    assert section.first_page_header._element.xpath(".//w:fldSimple") == []


def test_title_names_the_year(report_2019):
    paragraphs = _paragraphs(report_2019)
    assert paragraphs[:2] == [
        "BÁO CÁO",
        "Kết quả tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc năm 2019",
    ]


def test_exact_sentences_of_2019(report_2019):
    # when
    paragraphs = _paragraphs(report_2019)
    results = paragraphs[paragraphs.index("I. KẾT QUẢ THỰC HIỆN") + 1 :]
    results = results[: results.index("II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN")]
    # then sections without figures are left out and the others numbered in turn
    assert results == [
        "1. Công tác tuyên truyền",
        "Công tác tuyên truyền được đẩy mạnh với nhiều hình thức: tổ chức 2.150 buổi tuyên truyền.",
        "2. Tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc",
        "Ngày hội toàn dân bảo vệ an ninh Tổ quốc được tổ chức tại 3 điểm, thu hút 2.150 lượt "
        "người dân tham dự, tặng quà, hỗ trợ trị giá 125.000.000 đồng.",
        "So với năm 2018: số lượt người tham dự tăng 150 lượt người.",
        "Đơn vị tiêu biểu: Thôn Một có số người tham dự Ngày hội đông nhất (1.500 lượt).",
        "3. Ký kết giao ước thi đua, khen thưởng",
        "Các cơ quan, đơn vị, khu dân cư ký kết 312 bản giao ước thi đua thực hiện Phong trào "
        "toàn dân bảo vệ an ninh Tổ quốc.",
        "Khen thưởng, biểu dương 45 tập thể, 120 cá nhân có thành tích xuất sắc trong Phong trào.",
        "4. Xây dựng, nhân rộng mô hình, điển hình tiên tiến",
        "Củng cố, duy trì 1.240 mô hình, nhân rộng 85 mô hình, xây dựng mới 61 mô hình tự "
        "quản, tự phòng, tự bảo vệ, tự hòa giải về an ninh, trật tự.",
        "So với năm 2018: số mô hình được củng cố, duy trì tăng 12 mô hình; số mô hình được "
        "nhân rộng giảm 3 mô hình; số mô hình xây dựng mới bằng năm 2018.",
        "Đơn vị tiêu biểu: Thôn Một xây dựng mới nhiều mô hình nhất (40).",
        "5. Kết quả vận động quần chúng tham gia phòng, chống tội phạm",
        "Vận động quần chúng nhân dân tự nguyện giao nộp, thu hồi 12 khẩu súng các loại và "
        "12,5 kg vật liệu nổ.",
    ]


def test_sentences_of_2020_compare_with_2019(festival_values, bo_y):
    # when
    rendered = report_render(unit=bo_y, year=2020, boundaries="current", today=TODAY)
    paragraphs = _paragraphs(Document(io.BytesIO(rendered.content)))
    # then
    assert "Ngày hội toàn dân bảo vệ an ninh Tổ quốc được tổ chức tại" not in " ".join(paragraphs)
    assert "So với năm 2019: số lượt người tham dự tăng 150 lượt người." in paragraphs
    assert "So với năm 2019: số mô hình được củng cố, duy trì tăng 15 mô hình." in paragraphs
    assert (
        "Ngày hội toàn dân bảo vệ an ninh Tổ quốc năm 2020 được tổ chức trong không khí thi đua "
        "chào mừng kỷ niệm 75 năm Ngày truyền thống lực lượng Công an nhân dân (19/8/1945 - "
        "19/8/2020) và 15 năm Ngày hội toàn dân bảo vệ an ninh Tổ quốc (19/8/2005 - 19/8/2020)."
    ) in paragraphs


def test_anniversaries_of_2019_are_in_the_opening(report_2019):
    paragraphs = _paragraphs(report_2019)
    assert (
        "Ngày hội toàn dân bảo vệ an ninh Tổ quốc năm 2019 được tổ chức trong không khí thi đua "
        "chào mừng kỷ niệm 74 năm Ngày truyền thống lực lượng Công an nhân dân (19/8/1945 - "
        "19/8/2019) và 14 năm Ngày hội toàn dân bảo vệ an ninh Tổ quốc (19/8/2005 - 19/8/2019), "
        "hướng tới kỷ niệm 75 năm Ngày truyền thống lực lượng Công an nhân dân (19/8/1945 - "
        "19/8/2020) và 15 năm Ngày hội toàn dân bảo vệ an ninh Tổ quốc (19/8/2005 - 19/8/2020)."
    ) in paragraphs


def test_no_sentence_counts_zero_of_anything(report_2019):
    paragraphs = _paragraphs(report_2019)
    assert [p for p in paragraphs if re.search(r"(?<![\d.,])0 \w", p)] == []
    assert not any("Dân vận khéo" in p for p in paragraphs)


def test_annex_lists_every_festival_indicator_with_the_totals_of_values_get(report_2019):
    # given the annex rows: number, name, unit, this year, last year, difference
    rows = [[c.text for c in row.cells] for row in report_2019.tables[-1].rows[1:]]
    data = {r[1]: r for r in rows if r[0]}
    names = {i.code: i.name for i in Indicator.objects.all()}
    codes = [i.code for i in form_indicators(form=form_get(code="FESTIVAL"))]
    # when
    expected = {
        names[code]: (
            value_get(indicator_code=code, unit_code="23377", period="2019", boundaries="current"),
            value_get(indicator_code=code, unit_code="23377", period="2018", boundaries="current"),
        )
        for code in codes
    }
    # then
    assert set(data) == set(expected)
    for name, (now, before) in expected.items():
        cells = data[name]
        assert (parse_number(cells[3]) if cells[3] else None) == now, name
        assert (parse_number(cells[4]) if cells[4] else None) == before, name
    assert data[names["SCHEMES_MAINTAINED"]][3:] == ["1.240", "1.228", "+12"]
    assert data[names["EXPLOSIVES_SURRENDERED_KG"]][3:] == ["12,5", "", "—"]


def test_report_ends_with_recipients_and_signature(report_2019):
    left, right = report_2019.tables[1].rows[0].cells
    assert _cell_lines(left)[0] == "Nơi nhận:"
    assert _cell_lines(left)[-1] == "- Lưu: VT."
    assert _cell_lines(right)[0] == "TRƯỞNG CÔNG AN"
