"""Forms of the registries; every unit a form offers is one the user may change."""

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from phongtrao.core.forms import DATE_INPUT_FORMATS, DateInput, vietnamese_number_field
from phongtrao.registries.files import MAX_PHOTO_BYTES
from phongtrao.registries.models import (
    Award,
    FestivalEvent,
    FieldMission,
    Grade,
    OutreachActivity,
    Pact,
    Plan,
    Rating,
    ReviewStatus,
    Scheme,
    SchemeType,
    SecurityTeam,
    TeamMember,
    is_year_field,
)
from phongtrao.units.forms import UnitChoiceField, UnitMultipleChoiceField, unit_indented
from phongtrao.units.models import Unit, UnitKind, valid_on

ADMIN_KINDS = (UnitKind.PROVINCE, UnitKind.COMMUNE)


def unit_choices(user: Any, *, kinds: tuple[str, ...] | None = None, keep: list[int] = ()):
    """Units in force today in the user's scope, plus those an entry already names."""
    qs = Unit.objects.visible_to(user).filter(valid_on(timezone.localdate()) | Q(pk__in=keep))
    if kinds:
        qs = qs.filter(Q(kind__in=kinds) | Q(pk__in=keep))
    return qs.only("pk", "name", "depth", "path").order_by("path")


class EntryForm(forms.ModelForm):
    """Unit fields are narrowed to the user's scope; `unit_kinds` narrows them by kind."""

    unit_kinds: dict[str, tuple[str, ...]] = {}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.DateField):
                field.widget = DateInput()
                field.input_formats = DATE_INPUT_FORMATS
            if (
                isinstance(field, forms.IntegerField)
                and not is_year_field(name)
                and not field.widget.is_hidden
            ):
                # counts and money read "1.200" and "20.500.000" as the entry grid does
                self.fields[name] = field = vietnamese_number_field(field)
            model_field = (
                self._meta.model._meta.get_field(name) if name in self._meta.fields else None
            )
            if model_field is None or getattr(model_field, "related_model", None) is not Unit:
                continue
            keep = []
            if self.instance.pk:
                if model_field.many_to_many:
                    keep = list(getattr(self.instance, name).values_list("pk", flat=True))
                elif getattr(self.instance, model_field.attname):
                    keep = [getattr(self.instance, model_field.attname)]
            choices = unit_choices(user, kinds=self.unit_kinds.get(name), keep=keep)
            cls = UnitMultipleChoiceField if model_field.many_to_many else UnitChoiceField
            self.fields[name] = cls(
                queryset=choices, label=field.label, required=field.required,
                help_text=field.help_text, labelled_by=unit_indented,
            )  # fmt: skip

    def _post_clean(self) -> None:
        """After the model's own checks, its rules on many-to-many links (`clean_links`)."""
        super()._post_clean()
        names = [f.name for f in self._meta.model._meta.many_to_many if f.name in self.fields]
        if any(name in self.errors for name in names):
            return
        links = {name: list(self.cleaned_data.get(name) or []) for name in names}
        try:
            self.instance.clean_links(links)
        except ValidationError as exc:
            self._update_errors(exc)


class SchemeForm(EntryForm):
    class Meta:
        model = Scheme
        fields = ["unit", "name", "scheme_type", "field", "level", "founded_on", "description"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scheme_type"].queryset = SchemeType.objects.filter(is_active=True)


class FestivalEventForm(EntryForm):
    class Meta:
        model = FestivalEvent
        fields = [
            "unit", "held_on", "venue", "participants", "guests", "has_rally",
            "has_commendation", "has_pact_signing", "has_cultural_sports", "has_gratitude",
            "has_gifts", "gifts_value_vnd", "description",
        ]  # fmt: skip


class PactForm(EntryForm):
    class Meta:
        model = Pact
        fields = ["unit", "signed_on", "partners", "partner_names", "content", "evaluation"]


class AwardForm(EntryForm):
    class Meta:
        model = Award
        fields = [
            "unit", "form", "authority", "authority_level", "decision_number", "decision_date",
            "recipient_kind", "recipient_unit", "recipient_name", "position", "workplace",
            "achievement",
        ]  # fmt: skip


class OutreachForm(EntryForm):
    class Meta:
        model = OutreachActivity
        fields = ["unit", "channel", "held_on", "items", "audience", "topic"]


class FieldMissionForm(EntryForm):
    class Meta:
        model = FieldMission
        fields = [
            "unit", "key_area", "started_on", "ended_on", "officer_visits", "activities",
            "households_visited", "meetings_held", "issues_resolved",
        ]  # fmt: skip


class SecurityTeamForm(EntryForm):
    unit_kinds = {"unit": ADMIN_KINDS, "areas": (UnitKind.RESIDENTIAL_AREA,)}

    class Meta:
        model = SecurityTeam
        fields = ["unit", "name", "areas", "established_on", "decision", "dissolved_on"]


class PlanForm(EntryForm):
    class Meta:
        model = Plan
        fields = ["unit", "number", "issued_on", "title", "directed_units"]


class FilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )  # fmt: skip
    unit = UnitChoiceField(
        queryset=Unit.objects.none(), required=False, label=_("Unit"), labelled_by=unit_indented
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2999)
    type = forms.ChoiceField(label=pgettext_lazy("registry entry", "Type"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any, type_choices, status_choices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        from phongtrao.units.scope import scope_paths

        roots = Q(path__in=scope_paths(user))
        self.fields["unit"].queryset = (
            Unit.objects.visible_to(user)
            .filter(valid_on(timezone.localdate()))
            .filter(Q(kind__in=ADMIN_KINDS) | roots)
            .only("pk", "name", "depth", "path")
            .order_by("path")
        )
        if type_choices:
            self.fields["type"].choices = [("", _("All")), *type_choices]
        else:
            del self.fields["type"]
        if status_choices:
            self.fields["status"].choices = [("", _("All")), *status_choices]
        else:
            del self.fields["status"]


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("An Excel workbook (.xlsx), at most 5 MB."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Upload an .xlsx or .csv file."))
        return upload


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Photo"),
        help_text=_("JPEG or PNG, at most %(mb)d MB; the location and camera data are removed.")
        % {"mb": MAX_PHOTO_BYTES // (1024 * 1024)},
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    caption = forms.CharField(label=_("Caption"), required=False, max_length=300)


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Attached file"), help_text=_("PDF, Word, Excel, JPEG or PNG, at most 10 MB.")
    )


class PointForm(forms.Form):
    unit = UnitChoiceField(
        queryset=Unit.objects.none(), label=_("Place"), labelled_by=unit_indented
    )
    started_on = forms.DateField(
        label=_("Started on"), input_formats=DATE_INPUT_FORMATS, widget=DateInput()
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices(user)


class ReviewForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2999)
    status = forms.ChoiceField(label=_("Status"), choices=ReviewStatus.choices)
    rating = forms.ChoiceField(
        label=_("Effectiveness"), choices=[("", "—"), *Rating.choices], required=False
    )
    comment = forms.CharField(
        label=pgettext_lazy("review", "Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MemberForm(forms.ModelForm):
    class Meta:
        model = TeamMember
        fields = ["full_name", "role", "appointed_on", "decision", "phone", "left_on"]
        widgets = {"appointed_on": DateInput(), "left_on": DateInput()}


class GradeForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2999)
    grade = forms.ChoiceField(label=_("Grade"), choices=Grade.choices)
    member = forms.IntegerField(required=False, widget=forms.HiddenInput)


class PlanReportForm(forms.Form):
    unit = forms.IntegerField(widget=forms.HiddenInput)
    reported_on = forms.DateField(
        label=_("Reported on"), required=False, input_formats=DATE_INPUT_FORMATS, widget=DateInput()
    )


def today() -> date:
    return timezone.localdate()
