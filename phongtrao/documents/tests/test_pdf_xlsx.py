import io
import re
import subprocess
import sys
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from phongtrao.documents.services import report_render

pytestmark = pytest.mark.django_db
TODAY = date(2026, 9, 5)


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture
def pdf_2019(festival_values, bo_y, tmp_path):
    rendered = report_render(unit=bo_y, year=2019, fmt="pdf", boundaries="current", today=TODAY)
    path = tmp_path / "report.pdf"
    path.write_bytes(rendered.content)
    return path


@pytest.mark.pdf
def test_pdf_has_the_text_of_the_report(pdf_2019):
    # when
    text = _words(subprocess.run(["pdftotext", str(pdf_2019), "-"], capture_output=True,
                                 text=True, check=True).stdout)  # fmt: skip
    # then
    for sentence in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Bờ Y, ngày 05 tháng 9 năm 2026",
        "Số: …/BC-CAX",
        "Củng cố, duy trì 1.240 mô hình, nhân rộng 85 mô hình, xây dựng mới 61 mô hình",
        "So với năm 2018: số mô hình được củng cố, duy trì tăng 12 mô hình",
        "thu hồi 12 khẩu súng các loại và 12,5 kg vật liệu nổ",
        "Nơi nhận:",
    ):
        assert sentence in text


@pytest.mark.pdf
def test_pdf_pages_are_numbered_from_page_two(pdf_2019):
    # when
    count = len(PdfReader(pdf_2019).pages)
    pages = [
        subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(pdf_2019), "-"],
                       capture_output=True, text=True, check=True).stdout
        for n in range(1, count + 1)
    ]  # fmt: skip
    # then two pages of report, then the annex from a page of its own
    assert count == 4
    assert pages[0].strip().startswith("CÔNG AN TỈNH QUẢNG NGÃI")
    assert [p.strip().split()[0] for p in pages[1:]] == ["2", "3", "4"]
    assert "PHỤ LỤC SỐ LIỆU" in pages[2] and "PHỤ LỤC SỐ LIỆU" not in pages[1]


@pytest.mark.pdf
def test_pdf_is_a4(pdf_2019):
    box = PdfReader(pdf_2019).pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)


def test_xlsx_annex_has_numbers_as_numbers(festival_values, bo_y):
    # when
    rendered = report_render(unit=bo_y, year=2019, fmt="xlsx", boundaries="current", today=TODAY)
    sheet = load_workbook(io.BytesIO(rendered.content)).active
    rows = {row[1]: row for row in sheet.iter_rows(min_row=6, values_only=True) if row[1]}
    # then
    assert sheet.cell(5, 3).value == "Chỉ tiêu"
    assert rows["SCHEMES_MAINTAINED"][4:] == (1240, 1228, 12)
    assert rows["EXPLOSIVES_SURRENDERED_KG"][4:] == (12.5, None, "—")
    assert rows["NEWS_ITEMS"][4:] == (None, None, None)


def test_xlsx_numbers_are_shown_the_vietnamese_way(festival_values, bo_y):
    rendered = report_render(unit=bo_y, year=2019, fmt="xlsx", boundaries="current", today=TODAY)
    sheet = load_workbook(io.BytesIO(rendered.content)).active
    cell = next(r[4] for r in sheet.iter_rows(min_row=6) if r[1].value == "SCHEMES_MAINTAINED")
    assert cell.number_format == "[$-42A]#,##0"


def test_without_pango_a_pdf_is_refused_with_the_reason(festival_values, bo_y, monkeypatch):
    from phongtrao.core.errors import AppError

    # given a server where WeasyPrint cannot load (its Pango library is missing)
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    # when a PDF is asked for
    with pytest.raises(AppError) as error:
        report_render(unit=bo_y, year=2019, fmt="pdf", boundaries="current", today=TODAY)
    # then the reason and the fix are named, in Vietnamese
    assert "libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation2" in error.value.message
    assert error.value.message.startswith("Máy chủ này không xuất được tệp PDF")


def test_without_pango_the_docx_is_still_written(festival_values, bo_y, monkeypatch):
    # given
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    # when
    rendered = report_render(unit=bo_y, year=2019, fmt="docx", boundaries="current", today=TODAY)
    # then
    assert rendered.content[:2] == b"PK"


@pytest.mark.pdf
def test_every_paragraph_of_the_docx_is_in_the_pdf(festival_values, bo_y, pdf_2019):
    from docx import Document

    # given the same report as DOCX
    docx = report_render(unit=bo_y, year=2019, fmt="docx", boundaries="current", today=TODAY)
    paragraphs = [_words(p.text) for p in Document(io.BytesIO(docx.content)).paragraphs]
    # when the PDF's text is read
    text = _words(subprocess.run(["pdftotext", str(pdf_2019), "-"], capture_output=True,
                                 text=True, check=True).stdout)  # fmt: skip
    # then each paragraph of the Word file with words in it (not the author's dotted lines,
    # whose length follows the page) is in it, word for word
    worded = [p for p in paragraphs if any(ch.isalnum() for ch in p)]
    assert [p for p in worded if p not in text] == []
    assert len(worded) > 20
