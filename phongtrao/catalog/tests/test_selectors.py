from datetime import date

import pytest

from phongtrao.catalog.selectors import (
    form_due_date,
    form_has_period,
    form_indicators,
    form_list,
    form_lock_date,
    form_period_get,
    form_periods,
    form_sections,
    forms_for_unit_kind,
    indicator_get,
    indicator_list,
    rules_using_indicator,
)
from phongtrao.core.errors import AppError

pytestmark = pytest.mark.django_db


def test_search_ignores_diacritics():
    # when
    found = indicator_list(query="dan van kheo")
    # then
    assert [i.code for i in found] == ["SCHEMES_DAN_VAN_KHEO"]


def test_search_finds_words_in_any_order_across_code_and_names():
    assert [i.code for i in indicator_list(query="tổ AN NINH thành viên")] == [
        "SECURITY_TEAM_MEMBERS"
    ]


def test_search_by_code_and_by_english_name():
    assert [i.code for i in indicator_list(query="explosives")] == ["EXPLOSIVES_SURRENDERED_KG"]
    assert [i.code for i in indicator_list(query="schemes_new")] == ["SCHEMES_NEW"]


def test_indicator_get_refuses_an_unknown_code():
    with pytest.raises(AppError) as exc:
        indicator_get(code="NOPE")
    assert (exc.value.code, exc.value.message) == (
        "not_found",
        'Không có chỉ tiêu nào có mã "NOPE".',
    )


@pytest.mark.parametrize(("year", "due"), [(2019, date(2019, 8, 31)), (2026, date(2026, 8, 31))])
def test_the_festival_report_is_due_31_august_of_its_year(festival, year, due):
    assert form_due_date(festival, str(year)) == due


def test_the_festival_report_locks_31_days_after_the_year(festival):
    assert form_lock_date(festival, "2019") == date(2020, 1, 31)


def test_due_days_after_the_end_of_a_quarter(make_form):
    form = make_form(due_days_after_end=10, lock_days_after_end=45)
    assert form_due_date(form, "2019Q3") == date(2019, 10, 10)
    assert form_lock_date(form, "2019Q3") == date(2019, 11, 14)


def test_a_form_without_a_lock_rule_never_locks(make_form):
    assert form_lock_date(make_form(lock_days_after_end=None), "2019Q3") is None


def test_a_fixed_29_february_falls_back_to_the_28th(make_form):
    form = make_form(
        code="LEAP", period_type="yearly", due_days_after_end=None, due_month=2, due_day=29
    )
    assert [form_due_date(form, y) for y in ("2024", "2025")] == [
        date(2024, 2, 29),
        date(2025, 2, 28),
    ]


def test_the_festival_form_has_its_years(festival):
    assert [form_has_period(festival, p) for p in ("2005", "2019", "2030")] == [True] * 3


@pytest.mark.parametrize("period_id", ["2004", "2019Q3", "201908", "nonsense"])
def test_the_festival_form_refuses_other_periods(festival, period_id):
    assert form_has_period(festival, period_id) is False


def test_a_period_of_another_type_is_refused_with_a_reason(festival):
    with pytest.raises(AppError) as exc:
        form_period_get(form=festival, period_id="2019Q3")
    assert exc.value.message == 'Biểu mẫu FESTIVAL không có kỳ "2019Q3": biểu mẫu báo cáo theo năm.'


def test_a_period_outside_the_range_is_refused_with_a_reason(make_form):
    form = make_form(first_period="2019Q1", last_period="2020Q4")
    with pytest.raises(AppError) as exc:
        form_period_get(form=form, period_id="2021Q1")
    assert exc.value.message == (
        'Biểu mẫu QUARTERLY_SECURITY không dùng cho kỳ "2021Q1" (từ 2019Q1 đến 2020Q4).'
    )


def test_form_periods_between_dates_stay_within_the_range(make_form):
    form = make_form(first_period="2019Q3")
    periods = form_periods(form=form, start=date(2019, 1, 1), end=date(2020, 2, 1))
    assert [p.id for p in periods] == ["2019Q3", "2019Q4", "2020Q1"]


def test_form_sections_come_with_their_items_in_two_queries(festival, django_assert_num_queries):
    with django_assert_num_queries(2):
        sections = form_sections(form=festival)
        codes = [i.indicator.code for s in sections for i in s.items.all()]
    assert len(sections) == 8
    assert codes[:2] == ["PLANS_ISSUED", "OUTREACH_SESSIONS"]


def test_form_indicators_in_form_order(festival):
    codes = [i.code for i in form_indicators(form=festival)]
    assert (len(codes), codes[0], codes[-1]) == (34, "PLANS_ISSUED", "SAFE_ORGANIZATIONS")


def test_form_list_counts_items_and_rules(festival, make_form):
    make_form()
    rows = [(f.code, f.item_count, f.rule_count) for f in form_list()]
    assert rows == [("FESTIVAL", 34, 4), ("QUARTERLY_SECURITY", 0, 0)]


def test_forms_a_residential_area_reports(festival, make_form):
    make_form()
    assert [f.code for f in forms_for_unit_kind(kind="residential_area")] == ["FESTIVAL"]
    assert [f.code for f in forms_for_unit_kind(kind="commune")] == [
        "FESTIVAL",
        "QUARTERLY_SECURITY",
    ]


def test_rules_using_an_indicator_match_whole_codes(festival):
    # SCHEMES_NEW is a prefix of nothing else, SECURITY_TEAMS is a prefix of SECURITY_TEAM_MEMBERS
    assert [str(r) for r in rules_using_indicator(code="SECURITY_TEAMS")] == [
        "SECURITY_TEAM_MEMBERS >= SECURITY_TEAMS"
    ]
    assert rules_using_indicator(code="SECURITY_TEAM") == []
