from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from phongtrao.accounts.audit_selectors import audit_content_types, content_type_label
from phongtrao.accounts.selectors import units_in_picker
from phongtrao.core.forms import DATE_INPUT_FORMATS, DateInput
from phongtrao.core.models import AuditAction
from phongtrao.units.forms import UnitChoiceField, unit_label
from phongtrao.units.models import Unit


class ContentTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return content_type_label(obj)


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("User"), required=False)
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    content_type = ContentTypeChoiceField(
        label=_("Object type"), queryset=audit_content_types(), required=False
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=DateInput(), input_formats=DATE_INPUT_FORMATS
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=DateInput(), input_formats=DATE_INPUT_FORMATS
    )
    action = forms.ChoiceField(label=_("Action"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All actions")), *AuditAction.choices]
        self.fields["content_type"].empty_label = _("All types")
        unit = self.fields["unit"]
        # Any unit of the scope is accepted (links from a pre-reform unit's page), but only
        # today's units are listed, or a national list would run to tens of thousands.
        unit.queryset = Unit.objects.visible_to(user).select_related("parent")
        unit.empty_label = _("All units")
        listed = list(units_in_picker(user=user))
        selected = self._selected_unit(unit.queryset)
        if selected is not None and selected not in listed:
            listed.insert(0, selected)
        unit.widget.choices = [("", unit.empty_label)] + [(u.pk, unit_label(u)) for u in listed]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

    def _selected_unit(self, queryset) -> Unit | None:
        value = self.data.get("unit") if self.is_bound else None
        if not value or not str(value).isdigit():
            return None
        return queryset.filter(pk=value).first()
