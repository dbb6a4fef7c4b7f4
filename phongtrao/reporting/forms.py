from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phongtrao.catalog.models import ReportForm
from phongtrao.catalog.selectors import (
    form_applies_to_unit,
    form_choices,
    form_not_for_unit_message,
    form_period_get,
)
from phongtrao.core.errors import AppError
from phongtrao.units.forms import UnitChoiceField, unit_in_tree
from phongtrao.units.models import ADMINISTRATIVE_KINDS, Unit


class EntryStartForm(forms.Form):
    form = forms.ModelChoiceField(
        label=_("Form"), queryset=ReportForm.objects.none(), to_field_name="code"
    )
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none(), labelled_by=unit_in_tree)
    period = forms.CharField(label=_("Period"), max_length=8, help_text=_("e.g. 2024, 2024Q3"))

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # National forms and those of the user's provinces.
        self.fields["form"].queryset = form_choices(user=user)
        # The user's own units and the administrative units below them that are in force.
        self.fields["unit"].queryset = (
            Unit.objects.visible_to(user)
            .valid_on(timezone.localdate())
            .filter(kind__in=ADMINISTRATIVE_KINDS)
            .order_by("path")
        )
        self.fields["period"].initial = str(timezone.localdate().year)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("form") and data.get("period"):
            try:
                form_period_get(form=data["form"], period_id=data["period"])
            except AppError as exc:
                self.add_error("period", exc.message)
        form, unit = data.get("form"), data.get("unit")
        if form and unit and not form_applies_to_unit(form=form, unit=unit):
            self.add_error(
                "form", form_not_for_unit_message(form_code=form.code, unit_name=unit.name)
            )
        return data


class CellForm(forms.Form):
    value = forms.CharField(required=False, max_length=1000)
    comment = forms.CharField(required=False, max_length=2000)
    version = forms.IntegerField(required=False, min_value=0)


class SubmissionActionForm(forms.Form):
    ACTIONS = ("submit", "withdraw", "approve", "return", "unapprove", "reopen")
    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    version = forms.IntegerField(min_value=1)
    text = forms.CharField(required=False, max_length=2000)
    until = forms.DateField(required=False)
