from decimal import Decimal

import pytest

from phongtrao.core.errors import AppError
from phongtrao.reporting.value_parsing import value_display, value_parse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "value", "number"),
    [("2.150", "2150", Decimal(2150)), ("2150", "2150", Decimal(2150)), (" 12 ", "12", 12)],
)
def test_whole_numbers_accept_vietnamese_grouping(indicators, raw, value, number):
    parsed = value_parse(indicators["SCHEMES_NEW"], raw)
    assert (parsed.value, parsed.number) == (value, number)


def test_a_decimal_takes_a_comma(indicators):
    parsed = value_parse(indicators["EXPLOSIVES_SURRENDERED_KG"], "1.234,5")
    assert (parsed.value, parsed.number) == ("1234.5", Decimal("1234.5"))


def test_machine_formats_take_a_dot(indicators):
    parsed = value_parse(indicators["EXPLOSIVES_SURRENDERED_KG"], "2.5", machine=True)
    assert parsed.value == "2.5"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("-3", "Số đếm không được âm (-3)."),
        ("abc", "“abc” không phải là số."),
        ("2,5", "2,5 không phải là số nguyên."),
    ],
)
def test_bad_counts_are_refused_in_vietnamese(indicators, raw, message):
    with pytest.raises(AppError) as error:
        value_parse(indicators["SCHEMES_NEW"], raw)
    assert error.value.message == message


def test_display_uses_vietnamese_grouping(indicators):
    assert value_display(indicators["FESTIVAL_PARTICIPANTS"], "1234567") == "1.234.567"
    assert value_display(indicators["EXPLOSIVES_SURRENDERED_KG"], "2.5") == "2,5"


@pytest.mark.parametrize("machine", [False, True])
def test_scientific_notation_is_refused_in_cells_and_files(indicators, machine):
    # given "1e5", which was saved as 100.000 without a word
    # when
    with pytest.raises(AppError) as error:
        value_parse(indicators["SCHEMES_NEW"], "1e5", machine=machine)
    # then
    assert error.value.message == "“1e5” viết dạng số mũ; hãy viết đầy đủ con số."


def test_thousands_in_our_csv_are_refused_as_ambiguous_not_read_as_a_decimal(indicators):
    # given "1.200" kg in our CSV, which a spreadsheet may have written for 1200
    # when
    with pytest.raises(AppError) as error:
        value_parse(
            indicators["EXPLOSIVES_SURRENDERED_KG"], "1.200", machine=True, ambiguous_dots=True
        )
    # then
    assert error.value.message.startswith(
        "“1.200” có thể là số có dấu chấm ngăn cách hàng nghìn hoặc số thập phân"
    )
