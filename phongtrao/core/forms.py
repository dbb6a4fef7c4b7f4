from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from phongtrao.core.text import ScientificNotation, format_number, parse_number

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class DateInput(forms.DateInput):
    # The browser shows its own dd/mm/yyyy picker; the value it sends is always ISO.
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def _number(value: Any) -> Decimal | None:
    """What a person typed, read by the one parser (`core.text.parse_number`): "1.200" is
    1200, "2,5" is 2.5, "1e5" is refused; None when nothing was typed."""
    if value in (None, ""):
        return None
    if isinstance(value, str) and not value.strip():
        return None
    try:
        return parse_number(value)
    except ScientificNotation:
        raise ValidationError(
            _("“%(value)s” is in scientific notation; write the number in full."),
            code="invalid", params={"value": value},
        ) from None  # fmt: skip
    except ValueError:
        raise ValidationError(
            _("“%(value)s” is not a number; write it as 1.200 or 2,5."),
            code="invalid", params={"value": value},
        ) from None  # fmt: skip


def _grouped_bounds(run: Callable[[Any], None], value: Any) -> None:
    """Django's bound messages with the bound grouped: "at least 1.900", not "1900"."""
    try:
        run(value)
    except ValidationError as exc:
        for error in exc.error_list:
            limit = (error.params or {}).get("limit_value")
            if isinstance(limit, int | Decimal) and not isinstance(limit, bool):
                error.params = {**error.params, "limit_value": format_number(limit)}
        raise


class VietnameseNumberInput(forms.TextInput):
    """A text box, not type=number (which refuses "1.200" in the browser), shown grouped."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": "decimal", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            return format_number(value)
        return super().format_value(value)


# The bounds said in the project's words, with the bound written the Vietnamese way.
_BOUND_MESSAGES = {
    "min_value": _("Write a number of at least %(limit_value)s."),
    "max_value": _("Write a number of at most %(limit_value)s."),
}


class VietnameseIntegerField(forms.IntegerField):
    """A count: "1.200" and "15.000.000" accepted, "2,5" refused in Vietnamese."""

    widget = VietnameseNumberInput
    default_error_messages = _BOUND_MESSAGES

    def to_python(self, value: Any) -> int | None:
        number = _number(value)
        if number is None:
            return None
        if not number.is_finite() or number != number.to_integral_value():
            raise ValidationError(
                _("%(value)s is not a whole number."),
                code="invalid", params={"value": format_number(number)},
            )  # fmt: skip
        return int(number)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {}  # no min/max/step: they belong to type=number, which this is not

    def run_validators(self, value: Any) -> None:
        _grouped_bounds(super().run_validators, value)


class VietnameseDecimalField(forms.DecimalField):
    """An amount: "20.500.000" and "2,5" accepted; too many decimals said in Vietnamese."""

    widget = VietnameseNumberInput
    default_error_messages = {
        "max_decimal_places": _("Write at most %(max)s digits after the comma."),
        "max_whole_digits": _("The number is too large."),
        "max_digits": _("The number is too large."),
        **_BOUND_MESSAGES,
    }

    def to_python(self, value: Any) -> Decimal | None:
        number = _number(value)
        if number is not None and not number.is_finite():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if number is not None and self.decimal_places == 0 and number % 1:
            raise ValidationError(
                _("%(value)s is not a whole number."),
                code="invalid", params={"value": format_number(number)},
            )  # fmt: skip
        return number

    def validate(self, value: Any) -> None:
        forms.Field.validate(self, value)

    def run_validators(self, value: Any) -> None:
        _grouped_bounds(super().run_validators, value)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {}


def vietnamese_number_field(field: forms.Field) -> forms.Field:
    """The same field, reading numbers the Vietnamese way (for a ModelForm's generated ones)."""
    if isinstance(field, VietnameseIntegerField | VietnameseDecimalField):
        return field
    common = {
        "required": field.required, "label": field.label, "initial": field.initial,
        "help_text": field.help_text, "disabled": field.disabled,
    }  # fmt: skip
    if isinstance(field, forms.DecimalField):
        return VietnameseDecimalField(
            max_value=field.max_value, min_value=field.min_value,
            max_digits=field.max_digits, decimal_places=field.decimal_places, **common,
        )  # fmt: skip
    if isinstance(field, forms.IntegerField):
        return VietnameseIntegerField(
            max_value=field.max_value, min_value=field.min_value, **common
        )
    return field
