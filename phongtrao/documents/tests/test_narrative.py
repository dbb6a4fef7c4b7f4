import re
from datetime import date
from decimal import Decimal

from phongtrao.documents.narrative import Figures, anniversary_text, narrative_build

SUBJECT = {"subject": "Công an tỉnh Quảng Ngãi", "scope": "tỉnh"}
# Every indicator of the festival form, with a decimal and large numbers.
ALL = {
    "FESTIVAL_EVENTS": 120, "FESTIVAL_PARTICIPANTS": 45000, "FESTIVAL_GIFTS_VND": 125000000,
    "PLANS_ISSUED": 14, "OUTREACH_SESSIONS": 2150, "OUTREACH_AUDIENCE": 150000,
    "NEWS_ITEMS": 320, "BROADCASTS": 45, "BANNERS_SLOGANS": 1200, "CULTURAL_SPORTS_EVENTS": 86,
    "SEMINARS": 12, "GRATITUDE_ACTIVITIES": 30, "PACTS_SIGNED": 312, "AWARDED_COLLECTIVES": 45,
    "AWARDED_INDIVIDUALS": 120, "SCHEMES_MAINTAINED": 1240, "SCHEMES_REPLICATED": 85,
    "SCHEMES_NEW": 61, "SCHEMES_DAN_VAN_KHEO": 9, "SCHEME_POINTS": 410,
    "WEAPONS_SURRENDERED": 12, "AMMUNITION_SURRENDERED": 340,
    "EXPLOSIVES_SURRENDERED_KG": Decimal("1234567.5"), "SUPPORT_TOOLS_SURRENDERED": 7,
    "OFFENDERS_SURRENDERED": 3, "TIPS_RECEIVED": 210, "COMMUNITY_EDUCATION_PERSONS": 25,
    "REINTEGRATION_PERSONS": 8, "FIELD_OFFICERS_DEPLOYED": 640, "SECURITY_TEAMS": 96,
    "SECURITY_TEAM_MEMBERS": 870, "SAFE_RESIDENTIAL_AREAS": 1520, "SAFE_COMMUNES": 125,
    "SAFE_ORGANIZATIONS": 340,
}  # fmt: skip


def _figures(values, previous=None, year=2019) -> Figures:
    values = {k: Decimal(v) for k, v in values.items()}
    previous = {k: Decimal(v) for k, v in (previous or {}).items()}
    return Figures(year=year, values=values, previous=previous)


def test_models_sentence_lists_each_kind_the_vietnamese_way():
    # given
    figures = _figures({"SCHEMES_MAINTAINED": 1240, "SCHEMES_REPLICATED": 85, "SCHEMES_NEW": 61})
    # when
    narrative = narrative_build(figures=figures, **SUBJECT)
    # then
    assert narrative.sections[0].paragraphs == [
        "Củng cố, duy trì 1.240 mô hình, nhân rộng 85 mô hình, xây dựng mới 61 mô hình tự quản, "
        "tự phòng, tự bảo vệ, tự hòa giải về an ninh, trật tự."
    ]


def test_a_zero_or_missing_number_is_left_out():
    # given no replicated models and zero new ones
    figures = _figures({"SCHEMES_MAINTAINED": 1240, "SCHEMES_NEW": 0, "SCHEMES_DAN_VAN_KHEO": 0})
    # when
    text = narrative_build(figures=figures, **SUBJECT).text
    # then
    assert "Củng cố, duy trì 1.240 mô hình tự quản" in text
    assert re.search(r"(?<![\d.,])0 \w", text) is None
    assert "Dân vận khéo" not in text


def test_comparison_says_more_fewer_and_the_same():
    # given
    figures = _figures(
        {"SCHEMES_MAINTAINED": 1240, "SCHEMES_REPLICATED": 85, "SCHEMES_NEW": 61},
        {"SCHEMES_MAINTAINED": 1228, "SCHEMES_REPLICATED": 88, "SCHEMES_NEW": 61},
    )
    # when
    paragraphs = narrative_build(figures=figures, **SUBJECT).sections[0].paragraphs
    # then
    assert paragraphs[1] == (
        "So với năm 2018: số mô hình được củng cố, duy trì tăng 12 mô hình; số mô hình được "
        "nhân rộng giảm 3 mô hình; số mô hình xây dựng mới bằng năm 2018."
    )


def test_no_comparison_without_data_of_the_previous_year():
    # given
    figures = _figures({"PACTS_SIGNED": 312})
    # when
    paragraphs = narrative_build(figures=figures, **SUBJECT).sections[0].paragraphs
    # then
    assert paragraphs == [
        "Các cơ quan, đơn vị, khu dân cư ký kết 312 bản giao ước thi đua thực hiện Phong trào "
        "toàn dân bảo vệ an ninh Tổ quốc."
    ]


def test_sections_are_numbered_without_gaps():
    # given figures of the first and the fifth sections only
    figures = _figures({"PLANS_ISSUED": 3, "SCHEMES_NEW": 2})
    # when
    headings = [s.heading for s in narrative_build(figures=figures, **SUBJECT).sections]
    # then
    assert headings == [
        "1. Công tác chỉ đạo, hướng dẫn",
        "2. Xây dựng, nhân rộng mô hình, điển hình tiên tiến",
    ]


def test_a_year_without_data_says_so():
    # when
    narrative = narrative_build(figures=_figures({}), **SUBJECT)
    # then
    assert narrative.sections == []
    assert narrative.intro[-1].startswith("Chưa có số liệu của năm 2019")


def test_the_standout_unit_is_named():
    # given
    figures = _figures({"FESTIVAL_PARTICIPANTS": 2150})
    figures.standouts = {"FESTIVAL_PARTICIPANTS": ("Xã Bờ Y", Decimal(1500))}
    # when
    paragraphs = narrative_build(figures=figures, **SUBJECT).sections[0].paragraphs
    # then
    assert paragraphs[-1] == (
        "Đơn vị tiêu biểu: Xã Bờ Y có số người tham dự Ngày hội đông nhất (1.500 lượt)."
    )


def test_anniversaries_of_2019_look_ahead_to_2020():
    assert anniversary_text(2019) == (
        "Ngày hội toàn dân bảo vệ an ninh Tổ quốc năm 2019 được tổ chức trong không khí thi đua "
        "chào mừng kỷ niệm 74 năm Ngày truyền thống lực lượng Công an nhân dân (19/8/1945 - "
        "19/8/2019) và 14 năm Ngày hội toàn dân bảo vệ an ninh Tổ quốc (19/8/2005 - 19/8/2019), "
        "hướng tới kỷ niệm 75 năm Ngày truyền thống lực lượng Công an nhân dân (19/8/1945 - "
        "19/8/2020) và 15 năm Ngày hội toàn dân bảo vệ an ninh Tổ quốc (19/8/2005 - 19/8/2020)."
    )


def test_anniversaries_of_2020():
    assert anniversary_text(2020) == (
        "Ngày hội toàn dân bảo vệ an ninh Tổ quốc năm 2020 được tổ chức trong không khí thi đua "
        "chào mừng kỷ niệm 75 năm Ngày truyền thống lực lượng Công an nhân dân (19/8/1945 - "
        "19/8/2020) và 15 năm Ngày hội toàn dân bảo vệ an ninh Tổ quốc (19/8/2005 - 19/8/2020)."
    )


def _with_event(values) -> Figures:
    figures = _figures(values)
    figures.festival_event = ("Nhà văn hóa thôn Đăk Răng", "Xã Bờ Y", date(2019, 8, 19), 2150)
    return figures


def test_the_most_attended_festival_event_is_named_in_the_festival_section():
    # given the year's events, and the registries' most attended one
    figures = _with_event({"FESTIVAL_EVENTS": 120, "FESTIVAL_PARTICIPANTS": 45000})
    # when
    narrative = narrative_build(figures=figures, **SUBJECT)
    # then
    assert narrative.sections[0].paragraphs[-1] == (
        "Điểm tổ chức tiêu biểu: Nhà văn hóa thôn Đăk Răng (Xã Bờ Y), ngày 19/8/2019, đông người "
        "tham dự nhất (2.150 lượt)."
    )


def test_no_event_is_named_when_no_festival_event_is_counted():
    # given an event in the registries but no festival figures for the year
    figures = _with_event({"SCHEMES_NEW": 61})
    # when
    text = narrative_build(figures=figures, **SUBJECT).text
    # then
    assert "tiêu biểu" not in text
