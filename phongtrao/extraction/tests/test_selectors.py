import pytest

from phongtrao.extraction.report_analysis import Analysis, UnitName, analyse
from phongtrao.extraction.selectors import (
    festival_form,
    text_segments,
    unit_of_places,
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


def _unit_of(text: str):
    unit = unit_resolve(analysis=analyse(text))
    return (unit.code, unit.name) if unit else None


def test_a_text_speaking_for_its_unnamed_province_is_the_province_of_its_places():
    # given the province's police speaking without naming it, and places of one province
    text = (
        "Theo báo cáo của Công an tỉnh, năm 2019 toàn tỉnh đã nhân rộng 40 mô hình, như “Camera "
        "an ninh” tại xã Phước Lộc (huyện Tuy Phước), “Tổ tự quản” ở phường Nhơn Bình và huyện "
        "Hoài Nhơn."
    )
    # then the unit is the province holding them, not the first place named
    assert _unit_of(text) == ("52", "Tỉnh Bình Định")


def test_districts_named_without_their_type_give_their_province():
    # given a province's decision listing its districts without "huyện"
    text = (
        "Năm 2023, UBND tỉnh vừa công nhận 40 cơ quan đạt tiêu chuẩn an toàn về ANTT. Có 5 địa "
        "phương được xếp loại xuất sắc (gồm Sơn Tịnh, Tư Nghĩa, Mộ Đức, Đức Phổ, Bình Sơn)."
    )
    assert _unit_of(text) == ("51", "Tỉnh Quảng Ngãi")


def test_places_of_two_provinces_give_no_province():
    # given one district of Bình Định and one of Quảng Ngãi
    text = (
        "Theo Công an tỉnh, năm 2019 toàn tỉnh nhân rộng 40 mô hình, như mô hình tại huyện Tuy "
        "Phước và huyện Sơn Tịnh."
    )
    assert _unit_of(text) is None


def test_a_text_speaking_for_its_province_without_places_has_no_unit():
    text = "Năm 2019, Công an tỉnh chỉ đạo toàn tỉnh nhân rộng 40 mô hình."
    assert _unit_of(text) is None


def test_one_place_without_its_type_is_the_place_at_its_highest_level():
    # given "Tại Quảng Ngãi": the province, not the city of the same name
    text = "Ngày hội năm 2022\nTại Quảng Ngãi, Ngày hội đã được tổ chức ở 1.100 khu dân cư."
    assert _unit_of(text) == ("51", "Tỉnh Quảng Ngãi")


def test_two_places_without_their_type_and_no_body_give_no_unit():
    text = "Ngày hội năm 2022\nTại Quảng Ngãi và ở Bình Định, Ngày hội đã được tổ chức."
    assert _unit_of(text) is None


@pytest.mark.parametrize(
    ("named", "bare", "found"),
    [
        ([], ["Sơn Tịnh"], None),
        ([UnitName("huyện", "Sơn Tịnh"), UnitName("huyện", "Tư Nghĩa")],
         ["Mộ Đức", "Đức Phổ", "Bình Sơn"], ("51", "Tỉnh Quảng Ngãi")),
    ],
    ids=["one place", "five places"],
)  # fmt: skip
def test_the_places_of_a_text_cost_the_same_queries_however_many(
    named, bare, found, django_assert_num_queries
):
    # given a 2023 text of an unnamed province naming districts with and without their type
    analysis = Analysis(
        text="", year=2023, unit=None, named_units=named, speaks_for="tỉnh", places=bare
    )
    # when its unit is looked for, then one query finds every place and one their province
    with django_assert_num_queries(2):
        unit = unit_of_places(analysis=analysis)
    # and five districts of Quảng Ngãi give it, one alone is too few
    assert ((unit.code, unit.name) if unit else None) == found
