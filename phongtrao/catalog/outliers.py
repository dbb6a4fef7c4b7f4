"""Outlier warnings: a value far from the unit's own history, by the modified z-score.

Median and median absolute deviation (Iglewicz and Hoaglin) instead of mean and standard
deviation, because a unit's history is short and one odd year must not hide the next one.
"""

from collections.abc import Sequence
from decimal import Decimal
from statistics import median

# 0.6745 makes the MAD comparable with a standard deviation for normally distributed data.
MAD_SCALE = Decimal("0.6745")
DEFAULT_THRESHOLD = Decimal("3.5")
MIN_HISTORY = 3


def modified_z_score(value: Decimal, history: Sequence[Decimal]) -> Decimal | None:
    """How far `value` lies from the history; None when the history cannot tell.

    The history says nothing with fewer than three points, nor when half of it or more is
    one same number (the MAD is then 0 and every other value would be infinitely far).
    """
    points = [Decimal(x) for x in history if x is not None]
    if len(points) < MIN_HISTORY:
        return None
    centre = median(points)
    mad = median([abs(x - centre) for x in points])
    if mad == 0:
        return None
    return MAD_SCALE * (Decimal(value) - centre) / mad


def is_outlier(
    value: Decimal, history: Sequence[Decimal], threshold: Decimal = DEFAULT_THRESHOLD
) -> bool:
    score = modified_z_score(value, history)
    return score is not None and abs(score) > threshold
