import unicodedata
from decimal import Decimal

import pytest
from django.template import Context, Template

from phongtrao.core.text import clean_text, format_number, nfc, parse_number, search_key


def test_nfc_composes_text_copied_from_old_word_files():
    decomposed = unicodedata.normalize("NFD", "Plei Kần")
    assert decomposed != "Plei Kần"
    assert nfc(decomposed) == "Plei Kần"


def test_clean_text_collapses_spaces():
    assert clean_text("  Thôn \t Iệc \n") == "Thôn Iệc"


def test_search_key_drops_diacritics_and_the_stroke_of_d():
    assert search_key("Đắk Lắk") == "dak lak"


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
