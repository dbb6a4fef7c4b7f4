import unicodedata
from decimal import Decimal

from phongtrao.extraction.reading import read_bytes
from phongtrao.extraction.report_analysis import analyse, report_unit, report_year
from phongtrao.extraction.tests.conftest import corpus_text


def test_the_year_comes_from_the_title_not_the_anniversaries():
    text = (
        "CÔNG AN TỈNH BÌNH ĐỊNH\nBÁO CÁO\nKết quả Ngày hội năm 2019\n"
        "Kỷ niệm (19/8/2005 - 19/8/2019)"
    )
    assert report_year(text) == 2019


def test_the_year_comes_from_the_place_and_date_line_without_a_title_year():
    text = "CÔNG AN XÃ BỜ Y\nBờ Y, ngày 05 tháng 9 năm 2024\nBÁO CÁO KẾT QUẢ NGÀY HỘI"
    assert report_year(text) == 2024


def test_the_issuing_body_is_the_deepest_unit_of_the_header():
    text = "CÔNG AN HUYỆN NGỌC HỒI\nCÔNG AN THỊ TRẤN PLEI KẦN\nSố: 21/BC-CATT\n"
    unit, _ = report_unit(text)
    assert (unit.type, unit.key) == ("thị trấn", "plei kan")


def test_without_a_header_the_first_acting_body_is_the_unit():
    text = "Sáng 18/8, Công an tỉnh Bình Định phối hợp với UBND huyện Tuy Phước tổ chức Ngày hội."
    unit, named = report_unit(text)
    assert (unit.type, unit.key) == ("tỉnh", "binh dinh")
    assert [u.key for u in named] == ["binh dinh", "tuy phuoc"]


def test_figures_of_a_lower_unit_and_of_another_year_are_not_the_reports():
    # given a province report that quotes a district and the year before
    text = (
        "CÔNG AN TỈNH BÌNH ĐỊNH\nBÁO CÁO năm 2019\n"
        "Toàn tỉnh duy trì 1.240 mô hình. Riêng huyện Tuy Phước duy trì 120 mô hình. "
        "Tại huyện Tuy Phước, Ngày hội thu hút 5.000 lượt người. "
        "Năm 2018, toàn tỉnh duy trì 1.100 mô hình."
    )
    # when
    analysis = analyse(text)
    # then
    assert [(f.indicator, f.value) for f in analysis.values] == [("SCHEMES_MAINTAINED", 1240)]
    assert [f.value for f in analysis.unmatched] == [120, 5000, 1100]


def test_a_headline_rounding_gives_way_to_the_exact_figure():
    analysis = analyse(corpus_text("12-quang-ngai-2022-bai-bao-ngan"))
    events = [f.value for f in analysis.values if f.indicator == "FESTIVAL_EVENTS"]
    assert events == [Decimal(1124)]


def test_nfd_text_gives_the_same_figures_as_nfc():
    # given a report stored in NFD
    nfd = corpus_text("05-kon-tum-2019-nfd", raw=True)
    assert nfd != unicodedata.normalize("NFC", nfd)  # stored in NFD
    text = read_bytes(nfd.encode(), "report.txt")
    # when
    analysis = analyse(text)
    # then
    assert analysis.year == 2019
    assert ("REINTEGRATION_PERSONS", 96) in [(f.indicator, f.value) for f in analysis.values]
    assert len(analysis.values) == 10
