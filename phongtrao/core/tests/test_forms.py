"""The number fields of every form read numbers as the entry grid does (`parse_number`)."""

from decimal import Decimal

import pytest
from django import forms

from phongtrao.core.forms import VietnameseDecimalField, VietnameseIntegerField


class Numbers(forms.Form):
    count = VietnameseIntegerField(min_value=0, max_value=10000)
    amount = VietnameseDecimalField(max_digits=18, decimal_places=0, required=False)
    kg = VietnameseDecimalField(max_digits=10, decimal_places=2, required=False)


def cleaned(**data):
    form = Numbers(data=data)
    return form.is_valid(), (form.cleaned_data if form.is_valid() else form.errors)


def test_thousands_and_a_decimal_comma_are_read_the_vietnamese_way():
    # given what a commune officer types / when / then
    assert cleaned(count="1.200", amount="15.000.000", kg="2,5") == (
        True, {"count": 1200, "amount": Decimal(15000000), "kg": Decimal("2.5")},
    )  # fmt: skip


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"count": "1e5"}, {"count": ["“1e5” viết dạng số mũ; hãy viết đầy đủ con số."]}),
        ({"count": "2,5"}, {"count": ["2,5 không phải là số nguyên."]}),
        ({"count": "mười"}, {"count": ["“mười” không phải là số; hãy viết như 1.200 hoặc 2,5."]}),
        ({"count": "1", "amount": "2,5"}, {"amount": ["2,5 không phải là số nguyên."]}),
        ({"count": "-3"}, {"count": ["Hãy viết số không nhỏ hơn 0."]}),
        ({"count": "15.000"}, {"count": ["Hãy viết số không lớn hơn 10.000."]}),
        (
            {"count": "1", "kg": "1,234"},
            {"kg": ["Chỉ được viết tối đa 2 chữ số sau dấu phẩy."]},
        ),
    ],
)
def test_bad_numbers_are_refused_in_vietnamese(data, errors):
    assert cleaned(**data) == (False, errors)


def test_a_number_is_shown_grouped_in_its_box():
    form = Numbers(initial={"count": 1200, "amount": Decimal(20500000)})
    assert 'value="1.200"' in str(form["count"])
    assert 'value="20.500.000"' in str(form["amount"])
    assert 'type="text"' in str(form["count"])
