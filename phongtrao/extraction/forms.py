from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from phongtrao.catalog.models import Indicator
from phongtrao.core.text import format_number, parse_number
from phongtrao.core.uploads import validate_upload_size


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".txt,.docx,.pdf"}))
        kwargs.setdefault("validators", [validate_upload_size])
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class UploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Reports"), help_text=_("One or more .txt, .docx or .pdf files.")
    )


class ReviewForm(forms.Form):
    unit_code = forms.CharField(label=_("Unit code"), max_length=20)
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2999)


class ValueRowForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"), required=False)
    value = forms.CharField(label=_("Value"), max_length=40, required=False)
    keep = forms.BooleanField(label=_("Keep"), required=False, initial=True)

    def __init__(self, *args, indicators: list[Indicator], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", "—")] + [
            (i.code, f"{i.code} · {i.name}") for i in indicators
        ]

    def clean(self) -> dict:
        data = super().clean()
        typed = (data.get("value") or "").strip()
        if (
            data.get("keep")
            and not data.get("indicator")
            and typed
            and "indicator" not in self.errors
        ):
            # A figure typed on an added row without its indicator would otherwise vanish.
            self.add_error("indicator", _("Choose the indicator this figure is for."))
            return data
        if not data.get("keep") or not data.get("indicator"):
            data["keep"] = False
            return data
        try:
            number = parse_number(data.get("value") or "")
        except ValueError:
            self.add_error("value", _("Write a number, e.g. 1.240 or 2,5."))
            return data
        if number < 0:
            self.add_error("value", _("A count cannot be negative."))
        data["number"] = number
        return data


def row_initial(*, code: str, value: Decimal) -> dict:
    return {"indicator": code, "value": format_number(value), "keep": True}


ValueRowFormSet = forms.formset_factory(ValueRowForm, extra=2)
