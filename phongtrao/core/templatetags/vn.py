"""Vietnamese number formatting in templates: `{% load vn %}` then `{{ count|vn_number }}`."""

from decimal import Decimal

from django import template

from phongtrao.core.text import format_number

register = template.Library()


@register.filter
def vn_number(value: int | float | Decimal | str | None) -> str:
    """2150 -> "2.150"; anything that is not a number is shown as it is."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return "" if value is None else str(value)
    return format_number(value)
