from datetime import date

import pytest

from phongtrao.catalog.periods import (
    Period,
    PeriodType,
    period_containing,
    period_parse,
    period_type_of,
    periods_between,
)
from phongtrao.core.errors import AppError


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019", Period(PeriodType.YEARLY, 2019)),
        ("2019S2", Period(PeriodType.SIX_MONTHLY, 2019, 2)),
        ("2019Q3", Period(PeriodType.QUARTERLY, 2019, 3)),
        ("201908", Period(PeriodType.MONTHLY, 2019, 8)),
        (" 2019q3 ", Period(PeriodType.QUARTERLY, 2019, 3)),
    ],
)
def test_parse_reads_the_four_dhis2_identifiers(value, expected):
    # when
    period = period_parse(value)
    # then
    assert period == expected


@pytest.mark.parametrize("value", ["2019", "2019S1", "2019Q4", "201901", "201912"])
def test_the_identifier_round_trips(value):
    assert period_parse(value).id == value


@pytest.mark.parametrize(
    "value", ["", "19", "2019S3", "2019Q0", "2019Q5", "201913", "201900", "2019-08", "0219", "abc"]
)
def test_a_bad_identifier_is_refused_in_vietnamese(value):
    # when
    with pytest.raises(AppError) as exc:
        period_parse(value)
    # then
    assert exc.value.code == "invalid"
    assert exc.value.message == (
        f'"{value}" không phải là mã kỳ báo cáo: hãy viết năm (2019), 6 tháng (2019S2), '
        "quý (2019Q3) hoặc tháng (201908)."
    )


def test_period_type_of_names_the_type():
    assert [period_type_of(p) for p in ("2019", "2019S2", "2019Q3", "201908")] == [
        "yearly",
        "six_monthly",
        "quarterly",
        "monthly",
    ]


@pytest.mark.parametrize(
    ("value", "start", "end"),
    [
        ("2019", date(2019, 1, 1), date(2019, 12, 31)),
        ("2019S1", date(2019, 1, 1), date(2019, 6, 30)),
        ("2019S2", date(2019, 7, 1), date(2019, 12, 31)),
        ("2019Q3", date(2019, 7, 1), date(2019, 9, 30)),
        ("2019Q1", date(2019, 1, 1), date(2019, 3, 31)),
        ("201908", date(2019, 8, 1), date(2019, 8, 31)),
        ("202002", date(2020, 2, 1), date(2020, 2, 29)),
        ("201902", date(2019, 2, 1), date(2019, 2, 28)),
    ],
)
def test_start_and_end_dates(value, start, end):
    period = period_parse(value)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize(
    ("period_type", "expected"),
    [("yearly", "2019"), ("six_monthly", "2019S2"), ("quarterly", "2019Q3"), ("monthly", "201908")],
)
def test_the_period_containing_the_festival_day(period_type, expected):
    # when
    period = period_containing(date(2019, 8, 19), period_type)
    # then
    assert period.id == expected
    assert period.contains(date(2019, 8, 19))


@pytest.mark.parametrize(
    ("value", "previous"),
    [("2019", "2018"), ("2019S1", "2018S2"), ("2019Q1", "2018Q4"), ("201901", "201812"),
     ("2019Q3", "2019Q2"), ("201908", "201907")],
)  # fmt: skip
def test_previous_period_crosses_the_year(value, previous):
    assert period_parse(value).previous().id == previous


def test_next_period_crosses_the_year():
    assert period_parse("2019Q4").next().id == "2020Q1"


def test_periods_between_two_dates_include_both_ends():
    # when
    periods = periods_between(date(2019, 11, 15), date(2020, 2, 1), PeriodType.MONTHLY)
    # then
    assert [p.id for p in periods] == ["201911", "201912", "202001", "202002"]


def test_periods_between_the_same_day_is_one_period():
    assert [p.id for p in periods_between(date(2019, 8, 19), date(2019, 8, 19), "yearly")] == [
        "2019"
    ]


def test_periods_between_refuses_an_end_before_the_start():
    with pytest.raises(AppError) as exc:
        periods_between(date(2020, 1, 1), date(2019, 1, 1), "yearly")
    assert exc.value.message == "Ngày kết thúc 01/01/2019 ở trước ngày bắt đầu 01/01/2020."


@pytest.mark.parametrize(
    ("value", "label"),
    [
        ("2019", "Năm 2019"),
        ("2019S1", "6 tháng đầu năm 2019"),
        ("2019S2", "6 tháng cuối năm 2019"),
        ("2019Q3", "Quý III/2019"),
        ("2019Q4", "Quý IV/2019"),
        ("201908", "Tháng 8/2019"),
    ],
)
def test_vietnamese_labels(value, label):
    assert period_parse(value).label == label


def test_english_label_when_english_is_active():
    from django.utils import translation

    with translation.override("en"):
        assert period_parse("2019Q3").label == "Quarter III/2019"


def test_a_period_is_frozen():
    period = period_parse("2019")
    with pytest.raises(AttributeError):
        period.year = 2020  # type: ignore[misc]
