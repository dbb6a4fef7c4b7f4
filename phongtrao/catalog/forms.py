"""Forms of the catalogue pages. They validate input; the services decide and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from phongtrao.catalog.models import Indicator, ReportForm, ValidationRule
from phongtrao.core.forms import VietnameseDecimalField
from phongtrao.units.models import UnitKind

INDICATOR_FIELDS = [
    "name",
    "name_en",
    "value_type",
    "aggregation",
    "unit_of_measure",
    "description",
    "allow_negative",
    "max_plausible",
    "is_active",
]
FORM_FIELDS = [
    "name",
    "description",
    "period_type",
    "due_days_after_end",
    "due_month",
    "due_day",
    "lock_days_after_end",
    "first_period",
    "last_period",
    "outlier_threshold",
    "is_active",
]
RULE_FIELDS = ["left", "operator", "right", "message", "severity", "is_active"]


class IndicatorCreateForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["code", *INDICATOR_FIELDS]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"code": _("Capital letters, digits and _; it can never change later.")}
        field_classes = {"max_plausible": VietnameseDecimalField}

    def clean_code(self) -> str:
        # Typed in lower case is still the same code; the catalogue keeps it in capitals.
        return self.cleaned_data["code"].strip().upper()


class IndicatorUpdateForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = INDICATOR_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"max_plausible": VietnameseDecimalField}


class ReportFormUpdateForm(forms.ModelForm):
    unit_kinds = forms.MultipleChoiceField(
        label=_("Reported by"), choices=UnitKind.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ReportForm
        fields = FORM_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "due_days_after_end": _("Either this, or a fixed day and month (yearly forms)."),
            "first_period": _("A period identifier such as 2019, 2019S2, 2019Q3 or 201908."),
        }
        field_classes = {"outlier_threshold": VietnameseDecimalField}


class ReportFormCreateForm(ReportFormUpdateForm):
    class Meta(ReportFormUpdateForm.Meta):
        fields = ["code", *FORM_FIELDS]

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()


class RuleForm(forms.ModelForm):
    class Meta:
        model = ValidationRule
        fields = RULE_FIELDS
        help_texts = {
            "left": _("Indicator codes and numbers with + - * and parentheses."),
            "message": _("Shown to the person entering data when the rule is not met."),
        }


class SectionRowForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Section"), max_length=255, required=False)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=32767, initial=0)


class ItemRowForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    section = forms.TypedChoiceField(label=_("Section"), coerce=int)
    indicator = forms.TypedChoiceField(label=_("Indicator"), coerce=int)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=32767, initial=0)

    def __init__(self, *args, section_choices=(), indicator_choices=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Choices come from the view, computed once, so a long formset costs no extra queries.
        self.fields["section"].choices = [("", "---------"), *section_choices]
        self.fields["indicator"].choices = [("", "---------"), *indicator_choices]


SectionFormSet = forms.formset_factory(SectionRowForm, extra=2, can_delete=True)
ItemFormSet = forms.formset_factory(ItemRowForm, extra=3, can_delete=True)
