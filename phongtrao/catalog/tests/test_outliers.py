from decimal import Decimal

import pytest

from phongtrao.catalog.outliers import is_outlier, modified_z_score

D = Decimal


def test_score_from_median_and_mad():
    # given a history with median 12 and median absolute deviation 2
    history = [D(10), D(12), D(14), D(11), D(13)]
    # when the new value is 30
    score = modified_z_score(D(30), history)
    # then 0.6745 * (30 - 12) / 1
    assert score == D("0.6745") * D(18) / D(1)


def test_score_with_an_even_history_uses_the_middle_of_the_two_medians():
    # given median 15, absolute deviations 5, 5, 5, 5 -> MAD 5
    history = [D(10), D(10), D(20), D(20)]
    assert modified_z_score(D(25), history) == D("1.349")


def test_a_value_below_the_history_scores_negative():
    assert modified_z_score(D(0), [D(10), D(12), D(14)]) == D("0.6745") * D(-12) / D(2)


def test_fewer_than_three_points_give_no_score():
    assert modified_z_score(D(100), [D(1), D(2)]) is None


def test_a_history_of_one_repeated_value_gives_no_score():
    # given half the history is the same number, the MAD is 0
    assert modified_z_score(D(100), [D(5), D(5), D(5), D(9)]) is None


def test_missing_points_in_the_history_are_left_out():
    assert modified_z_score(D(10), [D(1), None, D(2)]) is None


@pytest.mark.parametrize(("value", "expected"), [(D(30), True), (D(15), False)])
def test_outlier_above_the_default_threshold(value, expected):
    assert is_outlier(value, [D(10), D(12), D(14), D(11), D(13)]) is expected


def test_a_lower_threshold_flags_more():
    history = [D(10), D(12), D(14), D(11), D(13)]
    assert is_outlier(D(15), history, threshold=D("2")) is True
