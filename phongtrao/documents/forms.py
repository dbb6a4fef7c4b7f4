from django import forms
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phongtrao.analytics.states import DEFAULT_STATE
from phongtrao.core.errors import AppError
from phongtrao.documents.models import (
    BOUNDARY_CHOICES,
    STATE_CHOICES,
    DocumentFormat,
    ReportKind,
)
from phongtrao.documents.selectors import report_unit_get
from phongtrao.reporting.selectors import Boundaries
from phongtrao.units.forms import UnitChoiceField, unit_in_tree
from phongtrao.units.models import ADMINISTRATIVE_KINDS, LEGACY_END, Unit, UnitKind, valid_on


class ReportChoiceForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Report"), choices=ReportKind.choices, initial=ReportKind.FESTIVAL,
        required=False,
    )  # fmt: skip
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none(), labelled_by=unit_in_tree)
    year = forms.IntegerField(label=_("Year"), min_value=2005, max_value=2100)
    boundaries = forms.ChoiceField(
        label=_("Boundaries"), choices=BOUNDARY_CHOICES, initial=Boundaries.CURRENT.value
    )
    # Optional, so an address or a page made before the choice existed still works.
    state = forms.ChoiceField(
        label=_("Figures from"), choices=STATE_CHOICES, initial=DEFAULT_STATE.value,
        required=False,
    )  # fmt: skip
    format = forms.ChoiceField(
        label=_("Format"), choices=DocumentFormat.choices, initial=DocumentFormat.DOCX
    )
    use_builtin = forms.BooleanField(
        label=_("Use the built-in template"),
        required=False,
        help_text=_("Otherwise the province's own template is used when it has one."),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        # Today's units, then those before the reform (Tỉnh Kon Tum…), for reports of the years
        # when they existed.
        self.fields["unit"].queryset = (
            Unit.objects.visible_to(user)
            .filter(valid_on(timezone.localdate()) | valid_on(LEGACY_END))
            .filter(kind__in=ADMINISTRATIVE_KINDS)
            .order_by(F("valid_to").desc(nulls_first=True), "path")
        )
        self.fields["year"].initial = timezone.localdate().year - 1
        self.report_unit: Unit | None = None

    def clean(self) -> dict:
        data = super().clean()
        data["kind"] = data.get("kind") or ReportKind.FESTIVAL
        data["state"] = data.get("state") or DEFAULT_STATE.value
        if self.errors:
            return data
        # In the year's own boundaries the code names the unit of that year (Plei Kần for
        # 23377 in 2019), which must be in the user's scope too.
        try:
            self.report_unit = report_unit_get(
                code=data["unit"].code, year=data["year"], boundaries=data["boundaries"],
                user=self.user,
            )  # fmt: skip
        except AppError as exc:
            self.add_error("unit", exc.message)
        return data


class TemplateUploadForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Province"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(
        label=_("Report"), choices=ReportKind.choices, initial=ReportKind.FESTIVAL,
        required=False,
    )  # fmt: skip
    file = forms.FileField(label=_("Word template (.docx)"))

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = (
            Unit.objects.visible_to(user)
            .valid_on(timezone.localdate())
            .filter(kind=UnitKind.PROVINCE)
            .order_by("name")
        )

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or ReportKind.FESTIVAL
