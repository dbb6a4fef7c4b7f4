import pytest

from phongtrao.analytics.pivot_periods import enclosing_period, period_range
from phongtrao.core.errors import AppError


def test_period_range_lists_every_period_from_the_first_to_the_last():
    assert [p.id for p in period_range("2019Q3", "2020Q2")] == [
        "2019Q3", "2019Q4", "2020Q1", "2020Q2",
    ]  # fmt: skip


def test_period_range_refuses_periods_of_two_kinds():
    with pytest.raises(AppError) as refused:
        period_range("2019", "2020Q1")
    assert refused.value.message == "Kỳ đầu và kỳ cuối phải cùng một loại (Năm 2019, Quý I/2020)."


def test_period_range_refuses_a_last_period_before_the_first():
    with pytest.raises(AppError) as refused:
        period_range("2021", "2019")
    assert refused.value.message == "Kỳ cuối Năm 2019 ở trước kỳ đầu Năm 2021."


def test_period_range_refuses_more_than_sixty_periods():
    with pytest.raises(AppError) as refused:
        period_range("201901", "202412")
    assert refused.value.message == "Mỗi lần xem được tối đa 60 kỳ; bạn đã chọn 72 kỳ."


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [("2019Q1", "2019Q4", "2019"), ("201901", "201906", "2019S1"), ("2019Q2", "2019Q3", None),
     ("2019", "2020", None), ("2019Q2", "2019Q2", "2019Q2")],
)  # fmt: skip
def test_the_enclosing_period_is_the_one_the_periods_make_up_exactly(first, last, expected):
    found = enclosing_period(period_range(first, last))
    assert (found.id if found else None) == expected
