from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from phongtrao.accounts.devices import device_id
from phongtrao.accounts.models import User
from phongtrao.accounts.passwords import DEMO_PASSWORD
from phongtrao.accounts.selectors import roles_assignable_by, units_in_picker
from phongtrao.accounts.services import login_attempt_start, login_attempt_succeeded
from phongtrao.core.roles import Role
from phongtrao.units.forms import UnitChoiceField, UnitMultipleChoiceField
from phongtrao.units.models import Unit


def client_ip(request: Any) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is written by the client and would let a guesser
    # hide behind made-up addresses. A reverse proxy should set REMOTE_ADDR itself.
    return request.META.get("REMOTE_ADDR") if request is not None else None


class ThrottledAuthenticationForm(AuthenticationForm):
    """Counts the attempt before the password is checked and refuses it, unchecked, once too
    many were made from this address or for this user name (or from this browser of the
    owner's), so a guesser learns nothing from the answer once the limit is reached."""

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is None or not password:
            return self.cleaned_data
        self.attempt = login_attempt_start(
            username=username,
            ip_address=client_ip(self.request),
            device=device_id(self.request, username),
        )
        minutes = self.attempt.wait_minutes
        if minutes:
            raise ValidationError(
                ngettext(
                    "Too many failed logins for this user name. Try again in %(minutes)d minute.",
                    "Too many failed logins for this user name. Try again in %(minutes)d minutes.",
                    minutes,
                )
                % {"minutes": minutes},
                code="throttled",
            )
        if password == DEMO_PASSWORD and not settings.PHONGTRAO_DEMO:
            # Published with the demo: an account that still has it is anyone's.
            raise ValidationError(
                _("This is the demo password, refused here. Ask an administrator for a new one."),
                code="demo_password",
            )
        super().clean()
        login_attempt_succeeded(attempt=self.attempt)
        return self.cleaned_data


class UserFilterForm(forms.Form):
    q = forms.CharField(label=pgettext_lazy("person", "Name"), required=False)
    role = forms.ChoiceField(label=_("Role"), required=False)
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("active", _("Active")), ("inactive", _("Deactivated"))],
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("All roles")), *Role.choices]
        self.fields["unit"].queryset = units_in_picker(user=actor)
        self.fields["unit"].empty_label = _("All units")


class UserFieldsForm(forms.Form):
    """The fields an administrator sets on an account, creating or editing it."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    position = forms.CharField(label=_("Position"), max_length=120, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    role = forms.ChoiceField(label=_("Role"))
    units = UnitMultipleChoiceField(
        label=_("Units"),
        queryset=Unit.objects.none(),
        help_text=_("The user sees and changes these units and everything below them."),
    )

    def __init__(
        self, *args: Any, actor: Any, current_units: tuple[Unit, ...] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles_assignable_by(actor=actor)
        # An account may hold a pre-reform unit, which the picker leaves out: keep it offered
        # so that saving other fields does not silently drop it.
        kept = Unit.objects.visible_to(actor).filter(pk__in=[u.pk for u in current_units])
        self.fields["units"].queryset = (
            units_in_picker(user=actor) | kept.select_related("parent")
        ).order_by("path")
        self.fields["units"].widget.attrs["size"] = 8


class UserCreateForm(UserFieldsForm):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        validators=[User.username_validator],
        help_text=_("Letters, digits and @ . + - _ only; used to log in."),
    )
    password1 = forms.CharField(
        label=_("Initial password"), strip=False, widget=forms.PasswordInput
    )
    password2 = forms.CharField(
        label=_("Initial password again"), strip=False, widget=forms.PasswordInput
    )

    field_order = ["username", "full_name", "position", "phone", "email", "role", "units"]

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords do not match."))
        elif password1:
            probe = User(
                username=cleaned.get("username") or "",
                full_name=cleaned.get("full_name") or "",
                email=cleaned.get("email") or "",
            )
            try:
                password_validation.validate_password(password1, probe)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class UserPasswordForm(forms.Form):
    password1 = forms.CharField(label=_("New password"), strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(
        label=_("New password again"), strip=False, widget=forms.PasswordInput
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords do not match."))
        elif password1:
            try:
                password_validation.validate_password(password1, self.user)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


def add_model_errors(form: forms.Form, error: ValidationError) -> None:
    """Errors of a service's full_clean, on the form's field of the same name when it has one."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)
