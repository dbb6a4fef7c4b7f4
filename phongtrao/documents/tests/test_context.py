"""The annex's change column (documents/context.py): a change is said only between two figures
(issue 20 item 12: "+60", "+1.710" were shown as increases when last year had no figure)."""

from decimal import Decimal

import pytest

from phongtrao.documents.context import difference_text
from phongtrao.documents.selectors import AnnexRow


def row(value: str | None, previous: str | None) -> AnnexRow:
    number = lambda text: None if text is None else Decimal(text)  # noqa: E731
    return AnnexRow(1, "SCHEMES_NEW", "Số mô hình xây dựng mới", "mô hình", number(value),
                    number(previous))  # fmt: skip


@pytest.mark.parametrize(
    ("value", "previous", "shown", "difference"),
    [
        ("60", None, "—", None),  # last year has no figure: no "+60"
        ("1710", None, "—", None),
        (None, "35", "—", None),  # this year has none: no "-35" either
        ("1240", "1228", "+12", Decimal(12)),
        ("25", "35", "-10", Decimal(-10)),
        ("7", "7", "0", Decimal(0)),
        ("12.5", "0", "+12,5", Decimal("12.5")),
        (None, None, "", None),  # nothing either year: the row stays blank
    ],
)
def test_the_change_is_said_only_between_two_figures(value, previous, shown, difference):
    # given an annex row with this year's and last year's figures
    annex_row = row(value, previous)
    # when its change is written, then
    assert (difference_text(annex_row), annex_row.difference) == (shown, difference)
