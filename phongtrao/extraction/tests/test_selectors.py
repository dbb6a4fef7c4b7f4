import pytest

from phongtrao.extraction.report_analysis import analyse
from phongtrao.extraction.selectors import (
    festival_form,
    text_segments,
    unit_resolve,
    value_proposals,
)
from phongtrao.extraction.tests.conftest import corpus_text

pytestmark = pytest.mark.django_db


def _unit(stem: str):
    unit = unit_resolve(analysis=analyse(corpus_text(stem)))
    return (unit.code, unit.name, unit.kind) if unit else None


def test_a_province_is_the_one_of_the_reports_year():
    # Bình Định was code 52 until the reform; code 52 is Gia Lai since.
    assert _unit("02-binh-dinh-2022-bai-bao-web") == ("52", "Tỉnh Bình Định", "province")
    assert _unit("07-gia-lai-2025-sau-sap-nhap") == ("52", "Tỉnh Gia Lai", "province")


def test_an_old_district_and_an_old_commune_are_found():
    assert _unit("11-ngoc-hoi-2020-huyen-nfd") == ("611", "Huyện Ngọc Hồi", "district")
    assert _unit("04-plei-kan-2021-bao-cao-xa") == ("23377", "Thị trấn Plei Kần", "commune")


def test_communes_of_the_same_name_are_told_apart_by_their_district():
    # "Xã Phước Sơn" existed in three provinces; the report names huyện Tuy Phước.
    code, name, _ = _unit("17-phuoc-son-2019-xa-trung-ten")
    assert (code, name) == ("21970", "Xã Phước Sơn")


def test_an_ambiguous_commune_without_clues_is_no_answer():
    assert unit_resolve(analysis=analyse("UBND XÃ PHƯỚC SƠN\nBÁO CÁO năm 2019\n")) is None


def test_figures_of_one_sentence_for_one_indicator_are_added_up():
    # given "1 điểm Ngày hội cấp tỉnh và 8 điểm Ngày hội ở các thôn"
    analysis = analyse(corpus_text("17-phuoc-son-2019-xa-trung-ten"))
    # when
    proposals = value_proposals(analysis=analysis, form=festival_form())
    # then
    assert [(p.indicator.code, p.value) for p in proposals][:2] == [
        ("OUTREACH_SESSIONS", 14), ("OUTREACH_AUDIENCE", 960),
    ]  # fmt: skip
    assert {p.indicator.code: p.value for p in proposals}["FESTIVAL_EVENTS"] == 9


def test_segments_put_the_text_back_together():
    analysis = analyse(corpus_text("06-bo-y-2026-bao-cao-xa"))
    segments = text_segments(analysis=analysis)
    assert "".join(s.text for s in segments) == analysis.text
    assert [s.indicator for s in segments if s.indicator][:2] == ["PLANS_ISSUED", "FESTIVAL_EVENTS"]


def test_a_past_year_written_in_todays_boundaries_finds_todays_commune():
    # given a 2019 report drawn up for today's Xã Bờ Y, which names its province
    text = "CÔNG AN TỈNH QUẢNG NGÃI\nCÔNG AN XÃ BỜ Y\nBÁO CÁO\nKết quả năm 2019\n"
    # when
    unit = unit_resolve(analysis=analyse(text))
    # then today's commune, the only Bờ Y under a Quảng Ngãi
    assert (unit.code, unit.name, unit.valid_to) == ("23377", "Xã Bờ Y", None)


def test_a_todays_commune_without_its_parent_named_is_no_answer():
    # given the same report without the province's name
    text = "CÔNG AN XÃ BỜ Y\nBÁO CÁO\nKết quả năm 2019\n"
    # then no unit is guessed
    assert unit_resolve(analysis=analyse(text)) is None
