from collections.abc import Callable
from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from phongtrao.core.forms import DATE_INPUT_FORMATS, DateInput
from phongtrao.core.text import format_date
from phongtrao.units.models import Unit, UnitKind
from phongtrao.units.services import ALLOWED_PARENT_KINDS

MAX_UPLOAD_BYTES = 5 * 1024 * 1024

# Suggestions only: the type is free text, as local names vary (buôn, plei, sóc, khóm …).
TYPE_SUGGESTIONS = [
    "Thôn",
    "Làng",
    "Bản",
    "Buôn",
    "Plei",
    "Ấp",
    "Sóc",
    "Tổ dân phố",
    "Khu phố",
    "Khóm",
    "Khu dân cư",
]


def unit_label(unit: Unit) -> str:
    # Many communes share names across provinces, and every commune has a "Thôn 1".
    return f"{unit.name} ({unit.parent.name})" if unit.parent_id else unit.name


def unit_indented(unit: Unit) -> str:
    """The unit's name indented by its depth, for a list in tree order (by path)."""
    return f"{'— ' * max(unit.depth - 1, 0)}{unit.name}"


def unit_dated(unit: Unit, name: str | None = None) -> str:
    """The unit's name (or `name`), saying until when a unit no longer in force was:
    "Tỉnh Kon Tum (đến 30/06/2025)"."""
    label = unit.name if name is None else name
    if unit.valid_to is not None:
        return _("%(unit)s (until %(date)s)") % {"unit": label, "date": format_date(unit.valid_to)}
    return label


def unit_in_tree(unit: Unit) -> str:
    """The unit's name after one dash per level below the top (a province has none), for a
    list of units of several levels in tree order; a unit no longer in force says until when."""
    return unit_dated(unit, f"{'— ' * unit.depth}{unit.name}")


class UnitLabelMixin:
    """`labelled_by` names each unit in the list: with its parent (`unit_label`, the default)
    where units of many places mix, or indented (`unit_indented`) in a list in tree order."""

    def __init__(self, *args: Any, labelled_by: Callable[[Unit], str] = unit_label, **kwargs: Any):
        self.labelled_by = labelled_by
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Unit) -> str:
        return self.labelled_by(obj)


class UnitChoiceField(UnitLabelMixin, forms.ModelChoiceField):
    pass


class UnitMultipleChoiceField(UnitLabelMixin, forms.ModelMultipleChoiceField):
    pass


def _max_length(name: str) -> int:
    return Unit._meta.get_field(name).max_length


class BrowseForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Name or code, e.g. plei kan"),
                "autocomplete": "off",
            }
        ),
    )
    on = forms.DateField(
        label=_("Date"), required=False, input_formats=DATE_INPUT_FORMATS, widget=DateInput()
    )


class UnitForm(forms.Form):
    """The fields people may set on a grassroots unit; `kind` and `code` only when creating."""

    kind = forms.ChoiceField(label=_("Kind"))
    name = forms.CharField(label=_("Name"), max_length=_max_length("name"))
    type_name = forms.CharField(
        label=_("Type"),
        required=False,
        max_length=_max_length("type_name"),
        help_text=_("For example: Thôn, Làng, Bản, Tổ dân phố."),
        widget=forms.TextInput(attrs={"list": "type-suggestions"}),
    )
    code = forms.CharField(
        label=_("Code"),
        required=False,
        max_length=_max_length("code"),
        help_text=_("Leave empty to get the next code of the commune, such as 23377-004."),
    )
    valid_from = forms.DateField(
        label=_("Valid from"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=DateInput(),
        help_text=_("Leave empty: from the start of the unit above."),
    )
    valid_to = forms.DateField(
        label=_("Valid to"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=DateInput(),
        help_text=_("Leave empty: as long as the unit above."),
    )
    contact_name = forms.CharField(
        label=_("Contact person"), required=False, max_length=_max_length("contact_name")
    )
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        required=False,
        max_length=_max_length("contact_phone"),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, *args, parent: Unit | None = None, creating: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if creating:
            kinds = [k for k, holders in ALLOWED_PARENT_KINDS.items() if parent.kind in holders]
            self.fields["kind"].choices = [(k, capfirst(UnitKind(k).label)) for k in kinds]
        else:
            del self.fields["kind"]
            del self.fields["code"]


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("An Excel workbook (.xlsx) or a CSV file in UTF-8, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Upload an .xlsx or .csv file."))
        return upload
