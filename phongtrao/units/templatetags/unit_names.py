"""How pages name a unit: the names of units/forms.py, for templates."""

from django import template

from phongtrao.units.forms import unit_dated as _unit_dated
from phongtrao.units.forms import unit_label as _unit_label
from phongtrao.units.models import Unit

register = template.Library()


@register.filter
def unit_dated(unit: Unit) -> str:
    """ "Thị trấn Plei Kần (đến 30/06/2025)" for a unit no longer in force."""
    return _unit_dated(unit)


@register.filter
def unit_located(unit: Unit) -> str:
    """The name with its parent's ("Thôn 1 (Xã Bờ Y)"), and until when, if it has ended."""
    return _unit_dated(unit, _unit_label(unit))
