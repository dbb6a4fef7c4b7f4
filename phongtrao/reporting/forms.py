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
from phongtrao.units.models import Unit


class EntryStartForm(forms.Form):
    form = forms.ModelChoiceField(
        label=_("Form"), queryset=ReportForm.objects.none(), to_field_name="code"
    )
    # Any unit of the user's scope: the page lists them level by level (units.selectors.
    # unit_pick), never the whole list, which for a province runs to thousands.
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        error_messages={"required": _("Choose a unit in the list.")},
    )
    period = forms.CharField(label=_("Period"), max_length=8, help_text=_("e.g. 2024, 2024Q3"))

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # National forms and those of the user's provinces.
        self.fields["form"].queryset = form_choices(user=user)
        # Old units too: a village, a school, a commune of before the reform report as well.
        self.fields["unit"].queryset = Unit.objects.visible_to(user)
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


class UnitPickForm(forms.Form):
    """Where the entry page's unit picker stands: the unit whose children it lists (`go_to`,
    a button, wins over `at`, the place kept from the last page), a search, a page."""

    at = forms.IntegerField(required=False, min_value=0)
    go_to = forms.IntegerField(required=False, min_value=0)
    q = forms.CharField(required=False, max_length=100)
    page = forms.IntegerField(required=False, min_value=1)
    on_page = forms.IntegerField(required=False, min_value=1)
    unit = forms.IntegerField(required=False, min_value=1)

    def place(self) -> dict:
        """unit_pick's arguments; an unreadable value counts as absent."""
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields}
        moved = "go_to" in self.data
        at = data["go_to"] if moved else data["at"]
        searched = "search" in self.data
        return {
            "at_pk": at or None,  # 0: the top, the user's own units
            "query": "" if moved else (data["q"] or ""),
            "page": 1 if moved or searched else (data["page"] or data["on_page"] or 1),
            "selected_pk": data["unit"],
        }


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
