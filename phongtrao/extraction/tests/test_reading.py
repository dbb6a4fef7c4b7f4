import unicodedata

import pytest

from phongtrao.core.errors import AppError
from phongtrao.extraction.document import analyse
from phongtrao.extraction.reading import read_bytes
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


@pytest.mark.parametrize(
    "name,data", [("x.pdf", b"not a pdf"), ("x.docx", b"zip?"), ("x.xls", b"a")]
)
def test_an_unreadable_file_gives_a_vietnamese_message(name, data):
    with pytest.raises(AppError) as error:
        read_bytes(data, name)
    assert error.value.message == (
        f"Không đọc được {name}: hãy chọn tệp .txt, .docx hoặc .pdf có chứa văn bản."
    )
