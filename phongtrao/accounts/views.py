from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView

from phongtrao.accounts.devices import device_cookie_set
from phongtrao.accounts.forms import (
    ThrottledAuthenticationForm,
    UserCreateForm,
    UserFieldsForm,
    UserFilterForm,
    UserPasswordForm,
    add_model_errors,
)
from phongtrao.accounts.models import User
from phongtrao.accounts.selectors import account_locked_until, user_get_manageable, user_list
from phongtrao.accounts.services import (
    user_create,
    user_set_active,
    user_set_password,
    user_unlock,
    user_update,
)
from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.mixins import RefusalMixin, RoleRequiredMixin
from phongtrao.core.roles import Role

USER_FIELDS = ("full_name", "position", "phone", "email", "role", "units")


class AccountRefusalMixin(RefusalMixin):
    """Out of scope answers like a missing page; any other refusal, a forbidden change of an
    account included, is said on the page the administrator is on."""

    shown_codes = frozenset({ErrorCode.FORBIDDEN})


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        device_cookie_set(response, form.get_user().username)
        return response


class LogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        # On a shared computer the next person must not send cells this user left unsent
        # (the entry screen's store); app.js clears them too, for browsers without this header.
        response["Clear-Site-Data"] = '"storage"'
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form):
        # Through the service, so the change is audited (without the password).
        user_set_password(
            actor=self.request.user,
            user=self.request.user,
            password=form.cleaned_data["new_password1"],
        )
        update_session_auth_hash(self.request, self.request.user)
        return redirect(self.get_success_url())


class UserListView(RoleRequiredMixin, ListView):
    required_role = Role.ADMIN
    paginate_by = 50
    template_name = "accounts/user_list.html"

    def get_queryset(self):
        self.filter_form = UserFilterForm(self.request.GET or None, actor=self.request.user)
        if self.filter_form.is_bound and not self.filter_form.is_valid():
            return User.objects.none()
        data = self.filter_form.cleaned_data if self.filter_form.is_bound else {}
        status = data.get("status")
        return user_list(
            actor=self.request.user,
            query=data.get("q", ""),
            role=data.get("role", ""),
            unit=data.get("unit"),
            is_active={"active": True, "inactive": False}.get(status),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(filter_form=self.filter_form, **kwargs)


class UserCreateView(AccountRefusalMixin, RoleRequiredMixin, FormView):
    required_role = Role.ADMIN
    form_class = UserCreateForm
    template_name = "accounts/user_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"actor": self.request.user}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            user = user_create(
                actor=self.request.user,
                username=data["username"],
                password=data["password1"],
                **{name: data[name] for name in USER_FIELDS},
            )
        except ValidationError as exc:
            add_model_errors(form, exc)
            return self.form_invalid(form)
        except AppError as exc:
            form.add_error(None, self.refusal_message(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("Account %(name)s was created.") % {"name": user})
        return redirect("accounts:user_list")


class ManagedUserMixin(AccountRefusalMixin):
    """The account in the URL, or 404 when it is missing or beyond the administrator's reach.

    Looked up before anything else, so a user of another unit gets the same answer whatever
    their role, and nothing tells them the account exists.
    """

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.managed = user_get_manageable(actor=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(managed=self.managed, **kwargs)


class UserUpdateView(ManagedUserMixin, FormView):
    form_class = UserFieldsForm
    template_name = "accounts/user_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {
            "actor": self.request.user,
            "current_units": tuple(self.managed.units.all()),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        locked_until = account_locked_until(user=self.managed)
        return super().get_context_data(locked_until=locked_until, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        initial = {name: getattr(self.managed, name) for name in USER_FIELDS if name != "units"}
        return initial | {"units": list(self.managed.units.all())}

    def form_valid(self, form):
        try:
            user_update(
                actor=self.request.user,
                user=self.managed,
                **{name: form.cleaned_data[name] for name in USER_FIELDS},
            )
        except ValidationError as exc:
            add_model_errors(form, exc)
            return self.form_invalid(form)
        except AppError as exc:
            form.add_error(None, self.refusal_message(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("Account %(name)s was saved.") % {"name": self.managed})
        return redirect("accounts:user_list")


class UserSetActiveView(ManagedUserMixin, View):
    """GET asks for confirmation; POST with is_active=0 or 1 deactivates or reactivates."""

    template_name = "accounts/user_confirm_active.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        if self.managed.pk == request.user.pk:
            # Refused before asking, not after the administrator has confirmed.
            messages.error(request, _("You may not deactivate your own account."))
            return redirect("accounts:user_list")
        return render(request, self.template_name, {"managed": self.managed})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        value = request.POST.get("is_active")
        if value not in ("0", "1"):
            return render(request, self.template_name, {"managed": self.managed}, status=400)
        try:
            user_set_active(actor=request.user, user=self.managed, is_active=value == "1")
        except AppError as exc:
            messages.error(request, self.refusal_message(exc))
            return redirect("accounts:user_list")
        if value == "1":
            messages.success(
                request, _("Account %(name)s was reactivated.") % {"name": self.managed}
            )
        else:
            messages.success(
                request, _("Account %(name)s was deactivated.") % {"name": self.managed}
            )
        return redirect("accounts:user_list")


class UserUnlockView(ManagedUserMixin, View):
    """POST only: lets the account be tried again after failed logins locked it."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            user_unlock(actor=request.user, user=self.managed)
        except AppError as exc:
            messages.error(request, self.refusal_message(exc))
            return redirect("accounts:user_update", pk=pk)
        messages.success(request, _("Account %(name)s was unlocked.") % {"name": self.managed})
        return redirect("accounts:user_update", pk=pk)


class UserPasswordView(ManagedUserMixin, FormView):
    form_class = UserPasswordForm
    template_name = "accounts/user_password.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"user": self.managed}

    def form_valid(self, form):
        try:
            user_set_password(
                actor=self.request.user, user=self.managed, password=form.cleaned_data["password1"]
            )
        except AppError as exc:
            form.add_error(None, self.refusal_message(exc))
            return self.form_invalid(form)
        messages.success(
            self.request, _("The password of %(name)s was reset.") % {"name": self.managed}
        )
        return redirect("accounts:user_list")
