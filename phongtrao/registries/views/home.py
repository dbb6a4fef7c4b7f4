"""The registries' start page and the administrators' page for the taxonomy of model types."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from phongtrao.core.errors import AppError
from phongtrao.core.mixins import RefusalMixin, RoleRequiredMixin
from phongtrao.core.roles import Role
from phongtrao.registries.models import SchemeType
from phongtrao.registries.registry import REGISTRIES
from phongtrao.registries.services.schemes import scheme_type_save


class RegistryHomeView(RoleRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "registries/home.html", {"registries": REGISTRIES.values()})


class SchemeTypeForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    order = forms.IntegerField(
        label=gettext_lazy("Order"), min_value=0, max_value=32000, initial=100
    )
    is_active = forms.BooleanField(label=gettext_lazy("In use"), required=False, initial=True)


class SchemeTypeListView(RefusalMixin, RoleRequiredMixin, View):
    required_role = Role.ADMIN

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, SchemeTypeForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = SchemeTypeForm(request.POST)
        if form.is_valid():
            try:
                scheme_type_save(actor=request.user, scheme_type=SchemeType(), **form.cleaned_data)
            except AppError as exc:
                form.add_error(None, self.refusal_message(exc))
                return self._render(request, form)
            messages.success(request, _("The model type was saved."))
            return redirect("registries:scheme_types")
        return self._render(request, form)

    def _render(self, request, form):
        types = SchemeType.objects.all()
        return render(request, "registries/scheme_types.html", {"types": types, "form": form})


class SchemeTypeEditView(RefusalMixin, RoleRequiredMixin, View):
    required_role = Role.ADMIN

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        scheme_type = get_object_or_404(SchemeType, pk=pk)
        form = SchemeTypeForm(
            initial={
                "name": scheme_type.name,
                "order": scheme_type.order,
                "is_active": scheme_type.is_active,
            }
        )
        return render(
            request, "registries/scheme_type_form.html", {"form": form, "object": scheme_type}
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        scheme_type = get_object_or_404(SchemeType, pk=pk)
        form = SchemeTypeForm(request.POST)
        if form.is_valid():
            try:
                scheme_type_save(actor=request.user, scheme_type=scheme_type, **form.cleaned_data)
            except AppError as exc:
                form.add_error(None, self.refusal_message(exc))
            else:
                messages.success(request, _("The model type was saved."))
                return redirect("registries:scheme_types")
        return render(
            request, "registries/scheme_type_form.html", {"form": form, "object": scheme_type}
        )
