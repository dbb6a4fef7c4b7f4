import io
import unicodedata

import pytest
from pypdf import PdfReader

from phongtrao.core.errors import AppError
from phongtrao.extraction.reading import read_bytes, unwrap_lines
from phongtrao.extraction.report_analysis import UnitName, analyse
from phongtrao.extraction.tests.conftest import make_docx, make_pdf


def test_nfd_and_mixed_text_is_read_as_nfc():
    # given
    raw = unicodedata.normalize("NFD", "Củng cố, duy trì") + " 1.240 mô hình"
    # when
    text = read_bytes(raw.encode(), "a.txt")
    # then
    assert text == "Củng cố, duy trì 1.240 mô hình\n"
    assert unicodedata.is_normalized("NFC", text)


def test_web_page_leftovers_are_dropped():
    raw = (
        "Tiêu đề bài viết\nLượt xem: 1.245\n/uploads/2022/08/anh-1.jpg\nLoading...\n"
        "Ảnh: Lãnh đạo tỉnh trao Bằng khen cho 30 tập thể\n"
        "Khen thưởng 36 tập thể.\nTrao Bằng khen cho 30 tập thể (Ảnh: CAT)\n"
        "Đi tới nguồn bài viết\n875 lượt xem\nChia sẻ\n"
    )
    assert read_bytes(raw.encode(), "web.txt") == "Tiêu đề bài viết\nKhen thưởng 36 tập thể.\n"


def test_a_docx_is_read_with_its_table_rows():
    # given a Word report with a paragraph and a table
    data = make_docx(
        ["CÔNG AN TỈNH QUẢNG NGÃI", "Báo cáo năm 2024", "Ký kết 312 bản giao ước thi đua."],
        [
            ["STT", "Nội dung", "Số lượng"],
            ["1", "Số mô hình được củng cố, duy trì", "1.240"],
            ["2", "Số tập thể được khen thưởng, biểu dương", "45"],
        ],
    )
    # when
    analysis = analyse(read_bytes(data, "bao-cao.docx"))
    # then
    assert "1 | Số mô hình được củng cố, duy trì | 1.240" in analysis.text
    assert [(f.indicator, f.value) for f in analysis.values] == [
        ("PACTS_SIGNED", 312), ("SCHEMES_MAINTAINED", 1240), ("AWARDED_COLLECTIVES", 45),
    ]  # fmt: skip


@pytest.mark.pdf
def test_a_pdf_with_a_text_layer_is_read():
    # given
    data = make_pdf(
        "BÁO CÁO năm 2022\nToàn tỉnh đã củng cố, duy trì 1.315 mô hình, nhân rộng 92 mô hình."
    )
    # when
    analysis = analyse(read_bytes(data, "bao-cao.pdf"))
    # then
    assert analysis.year == 2022
    assert [(f.indicator, f.value) for f in analysis.values] == [
        ("SCHEMES_MAINTAINED", 1315), ("SCHEMES_REPLICATED", 92),
    ]  # fmt: skip


def _header_table_docx() -> bytes:
    """The header block of Nghị định 30/2020: a borderless table, each side several paragraphs."""
    from docx import Document

    document = Document()
    left, right = document.add_table(rows=1, cols=2).rows[0].cells
    left.text = "CÔNG AN HUYỆN NGỌC HỒI"
    left.add_paragraph("CÔNG AN THỊ TRẤN PLEI KẦN")
    left.add_paragraph("Số: 25/BC-CATT")
    right.text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    right.add_paragraph("Độc lập - Tự do - Hạnh phúc")
    right.add_paragraph("Plei Kần, ngày 10 tháng 8 năm 2020")
    document.add_paragraph("BÁO CÁO")
    document.add_paragraph("Kết quả Ngày hội toàn dân bảo vệ an ninh Tổ quốc năm 2020")
    document.add_paragraph("Toàn thị trấn củng cố, duy trì 14 mô hình.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_paragraphs_of_a_docx_table_cell_stay_on_lines_of_their_own():
    # given the header block in a table, issuer and number as paragraphs of one cell
    data = _header_table_docx()
    # when
    analysis = analyse(read_bytes(data, "bao-cao.docx"))
    # then the issuing body is read from its own line
    assert analysis.text.splitlines()[:6] == [
        "CÔNG AN HUYỆN NGỌC HỒI",
        "CÔNG AN THỊ TRẤN PLEI KẦN",
        "Số: 25/BC-CATT | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Plei Kần, ngày 10 tháng 8 năm 2020",
        "BÁO CÁO",
    ]
    assert analysis.unit == UnitName("thị trấn", "PLEI KẦN")
    assert analysis.year == 2020
    assert [(f.indicator, f.value) for f in analysis.values] == [("SCHEMES_MAINTAINED", 14)]


# A long paragraph in a column 45 mm wide: nearly every figure's words are split across lines.
WRAPPED = (
    "Năm 2021, toàn tỉnh đã củng cố, duy trì 1.315 mô hình, nhân rộng 92 mô hình, xây dựng "
    "mới 61 mô hình tự quản về an ninh, trật tự; ký kết 312 bản giao ước thi đua; tổ chức "
    "2.150 điểm Ngày hội, thu hút 1.500 lượt người tham dự; khen thưởng 45 tập thể, 120 cá "
    "nhân có thành tích xuất sắc."
)


def _wrapped_pdf() -> bytes:
    from html import escape

    from weasyprint import HTML

    html = (
        '<html><body style="font-family: Liberation Serif">'
        "<p>CÔNG AN TỈNH KON TUM</p><p>BÁO CÁO</p><p>1. Kết quả thực hiện</p>"
        f'<p style="width: 45mm">{escape(WRAPPED)}</p><p>2. Tồn tại, hạn chế</p></body></html>'
    )
    return HTML(string=html).write_pdf()


@pytest.mark.pdf
def test_a_wrapped_pdf_paragraph_is_read_as_one_line():
    # given a PDF whose long paragraph wraps over many lines
    data = _wrapped_pdf()
    assert len(PdfReader(io.BytesIO(data)).pages[0].extract_text().splitlines()) > 10
    # when
    text = read_bytes(data, "bao-cao.pdf")
    analysis = analyse(text)
    # then the paragraph is whole again, headings stay on their lines, and every figure is read
    assert text == (
        f"CÔNG AN TỈNH KON TUM\nBÁO CÁO\n1. Kết quả thực hiện\n{WRAPPED}\n2. Tồn tại, hạn chế\n"
    )
    assert analysis.year == 2021
    assert [(f.indicator, f.value) for f in analysis.values] == [
        ("SCHEMES_MAINTAINED", 1315), ("SCHEMES_REPLICATED", 92), ("SCHEMES_NEW", 61),
        ("PACTS_SIGNED", 312), ("FESTIVAL_EVENTS", 2150), ("FESTIVAL_PARTICIPANTS", 1500),
        ("AWARDED_COLLECTIVES", 45), ("AWARDED_INDIVIDUALS", 120),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "lines,expected",
    [
        # a line wrapped inside a phrase, or before a number and its noun
        ("xây dựng mới 61 mô\nhình", "xây dựng mới 61 mô hình"),
        ("Ngày hội thu hút\n1.500 lượt người", "Ngày hội thu hút 1.500 lượt người"),
        # a heading, a numbered heading, a list item, a sentence's end: kept apart
        ("I. KẾT QUẢ THỰC HIỆN\nnăm 2019", "I. KẾT QUẢ THỰC HIỆN\nnăm 2019"),
        ("Nội dung\n1. công tác tuyên truyền", "Nội dung\n1. công tác tuyên truyền"),
        ("kết quả như sau\na) tổ chức 12 buổi", "kết quả như sau\na) tổ chức 12 buổi"),
        ("kết quả như sau\n- tổ chức 12 buổi", "kết quả như sau\n- tổ chức 12 buổi"),
        ("duy trì 14 mô hình.\nnhân rộng 3 mô hình", "duy trì 14 mô hình.\nnhân rộng 3 mô hình"),
        # table rows as pypdf gives them, and a page number above a continued sentence
        ("3 Số lượt người lượt người\n4 Số tin, bài tin, bài",
         "3 Số lượt người lượt người\n4 Số tin, bài tin, bài"),
        ("2\nmô hình tự quản", "2\nmô hình tự quản"),
    ],
)  # fmt: skip
def test_only_soft_line_breaks_of_a_pdf_are_undone(lines, expected):
    assert unwrap_lines(lines) == expected


@pytest.mark.parametrize(
    "name,data", [("x.pdf", b"not a pdf"), ("x.docx", b"zip?"), ("x.xls", b"a")]
)
def test_an_unreadable_file_gives_a_vietnamese_message(name, data):
    with pytest.raises(AppError) as error:
        read_bytes(data, name)
    assert error.value.message == (
        f"Không đọc được {name}: hãy chọn tệp .txt, .docx hoặc .pdf có chứa văn bản."
    )


def test_a_docx_unpacking_to_ten_million_paragraphs_is_refused_in_bounded_memory(tmp_path):
    # given a 120 KB DOCX whose body unpacks to 60 MB of empty paragraphs
    from phongtrao.tests.uploads import huge_docx, read_capped

    path = huge_docx(tmp_path / "big.docx")
    # when the old-report reader reads it, in a child capped at a few GB
    code = "from pathlib import Path\nfrom phongtrao.extraction.reading import read_path\n"
    outcome = read_capped(code + "read_path(Path(path))", path)
    # then it is refused before python-docx builds the tree (it once took 7.6 GB)
    assert outcome["error"] == (
        "Tệp giải nén ra nhiều hơn mức máy chủ nhận (tổng cộng 500 MB, 20 MB cho một phần được "
        "đọc trọn); hãy chia thành các tệp nhỏ hơn."
    )
    assert outcome["peak_mb"] < 260
