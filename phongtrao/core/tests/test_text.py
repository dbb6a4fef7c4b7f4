import unicodedata
from decimal import Decimal

import pytest
from django.template import Context, Template

from phongtrao.core.text import (
    AmbiguousNumber,
    ScientificNotation,
    clean_text,
    fold,
    format_number,
    machine_text,
    nfc,
    parse_machine_number,
    parse_number,
    search_key,
)


def test_nfc_composes_text_copied_from_old_word_files():
    decomposed = unicodedata.normalize("NFD", "Plei Kần")
    assert decomposed != "Plei Kần"
    assert nfc(decomposed) == "Plei Kần"


def test_clean_text_collapses_spaces():
    assert clean_text("  Thôn \t Iệc \n") == "Thôn Iệc"


def test_search_key_drops_diacritics_and_the_stroke_of_d():
    assert search_key("Đắk Lắk") == "dak lak"


@pytest.mark.parametrize(
    ("raw", "folded", "key"),
    [
        ("ĐặngVăn", "dangvan", "dangvan"),
        ("an.le", "an.le", "an le"),
        ("  Thị trấn   Plei Kần (cũ) ", "thi tran plei kan (cu)", "thi tran plei kan cu"),
    ],
)
def test_a_search_key_is_the_folded_text_blind_to_punctuation(raw, folded, key):
    # fold drops only marks and capitals (user names keep their dots); the search key, built
    # on it, also reads punctuation as a space
    assert (fold(raw), search_key(raw)) == (folded, key)


def test_search_key_of_nfd_text_equals_that_of_nfc_text():
    assert search_key(unicodedata.normalize("NFD", "Thị trấn Plei Kần")) == "thi tran plei kan"


def test_format_number_groups_thousands_with_dots():
    assert format_number(2150) == "2.150"


def test_format_number_writes_decimals_with_a_comma():
    assert format_number(1234567.5) == "1.234.567,5"


def test_parse_number_reads_thousands_with_dots():
    assert parse_number("2.150") == Decimal("2150")


def test_parse_number_reads_decimals_with_a_comma():
    assert parse_number("1.234.567,5") == Decimal("1234567.5")


def test_parse_number_reads_plain_digits():
    assert parse_number("2150") == Decimal("2150")


def test_parse_number_rejects_text():
    with pytest.raises(ValueError):
        parse_number("abc")


def test_parse_number_rejects_an_empty_cell():
    with pytest.raises(ValueError):
        parse_number("  ")


def test_templates_write_counts_the_vietnamese_way():
    rendered = Template("{% load vn %}{{ n|vn_number }} {{ missing|vn_number }}").render(
        Context({"n": 2150})
    )
    assert rendered == "2.150 "


@pytest.mark.parametrize("raw", ["1e5", "1E5", "2,5e3", "1.200e-2"])
def test_scientific_notation_is_refused_by_the_one_parser(raw):
    # given a number written the way a spreadsheet shows a large one
    # when / then
    with pytest.raises(ScientificNotation):
        parse_number(raw)


@pytest.mark.parametrize(
    ("raw", "number"),
    [("2150.5", Decimal("2150.5")), ("1.2340", Decimal("1.234")), ("1200", Decimal(1200))],
)
def test_a_machine_number_reads_a_dot_as_the_decimal_point(raw, number):
    assert parse_machine_number(raw, ambiguous_dots=True) == number


@pytest.mark.parametrize("raw", ["1.200", "15.000.000", "-1.234"])
def test_a_machine_number_that_looks_like_thousands_is_ambiguous(raw):
    with pytest.raises(AmbiguousNumber):
        parse_machine_number(raw, ambiguous_dots=True)


def test_a_machine_number_refuses_scientific_notation():
    with pytest.raises(ScientificNotation):
        parse_machine_number("1e5")


def test_machine_text_keeps_three_decimals_from_reading_as_thousands():
    # given stored numbers / when written for our CSV / then they read back the same
    assert [machine_text(v) for v in ("1.234", "1234", "2.5", "1.2345")] == [
        "1.2340", "1234", "2.5", "1.2345",
    ]  # fmt: skip
    assert parse_machine_number(machine_text("1.234"), ambiguous_dots=True) == Decimal("1.234")
