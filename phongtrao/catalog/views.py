"""Catalogue pages: everyone signed in reads, administrators change. Views stay thin."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from phongtrao.catalog import ownership, selectors, services
from phongtrao.catalog.forms import (
    IndicatorCreateForm,
    IndicatorUpdateForm,
    ItemFormSet,
    ReportFormCreateForm,
    ReportFormUpdateForm,
    RuleForm,
    SectionFormSet,
)
from phongtrao.catalog.models import Indicator, ValidationRule
from phongtrao.core.errors import AppError
from phongtrao.core.mixins import RefusalMixin, RoleRequiredMixin
from phongtrao.core.roles import Role


def add_errors(form: Any, exc: ValidationError) -> None:
    """Put a service's ValidationError next to the field it names, or above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class CatalogMixin(RoleRequiredMixin):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_edit"] = ownership.can_add(self.request.user)
        return context

    def check_change(self, owner_id: int | None) -> None:
        """The page changes a part of the catalogue the user may not: 403 before the form."""
        if not ownership.can_change(self.request.user, owner_id):
            raise PermissionDenied

    def check_add(self) -> None:
        """The page adds to the catalogue, which the user may not: 403 before the form."""
        if not ownership.can_add(self.request.user):
            raise PermissionDenied


class ServiceFormView(RefusalMixin, CatalogMixin, FormView):
    """A form page whose valid input goes to one service; its refusals show on the form."""

    required_role = Role.ADMIN
    success_message = ""

    def load(self, **kwargs: Any) -> None:
        """Fetch the object the page is about; runs after the role check, never before."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.load(**kwargs)
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.load(**kwargs)
        return super().post(request, *args, **kwargs)

    def perform(self, form: Any) -> Any:
        raise NotImplementedError

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            self.object = self.perform(form)
        except ValidationError as exc:
            add_errors(form, exc)
            return self.form_invalid(form)
        except AppError as exc:
            form.add_error(None, self.refusal_message(exc))
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())


def _get_form(code: str, user: Any):
    """A form the user does not read answers like a missing one (NOT_FOUND, a 404 through
    AppErrorMiddleware)."""
    return selectors.form_get(code=code, user=user)


# Indicators ----------------------------------------------------------------------------------


class IndicatorListView(CatalogMixin, ListView):
    paginate_by = 50
    template_name = "catalog/indicator_list.html"

    def get_queryset(self):
        return selectors.indicator_list(query=self.request.GET.get("q", ""), user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(q=self.request.GET.get("q", ""), **kwargs)


class IndicatorCreateView(ServiceFormView):
    form_class = IndicatorCreateForm
    template_name = "catalog/indicator_form.html"

    def load(self, **kwargs: Any) -> None:
        self.check_add()

    def perform(self, form: IndicatorCreateForm) -> Indicator:
        self.success_message = _("The indicator was added.")
        return services.indicator_create(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self) -> str:
        return reverse("catalog:indicator_list") + f"?q={self.object.code}"


class IndicatorUpdateView(ServiceFormView):
    form_class = IndicatorUpdateForm
    template_name = "catalog/indicator_form.html"

    def load(self, **kwargs: Any) -> None:
        readable = Indicator.objects.filter(ownership.visible_q(self.request.user))
        self.indicator = get_object_or_404(readable, code=kwargs["code"])
        self.check_change(self.indicator.owner_id)

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"instance": self.indicator}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(indicator=self.indicator, **kwargs)

    def perform(self, form: IndicatorUpdateForm) -> Indicator:
        self.success_message = _("The indicator was saved.")
        return services.indicator_update(
            actor=self.request.user, indicator=self.indicator, **form.cleaned_data
        )

    def get_success_url(self) -> str:
        return reverse("catalog:indicator_list") + f"?q={self.object.code}"


# Reporting forms -----------------------------------------------------------------------------


class FormListView(CatalogMixin, ListView):
    template_name = "catalog/form_list.html"
    paginate_by = 50

    def get_queryset(self):
        return selectors.form_list(user=self.request.user)


class FormDetailView(CatalogMixin, TemplateView):
    template_name = "catalog/form_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = _get_form(kwargs["code"], self.request.user)
        context = super().get_context_data(
            form_obj=form,
            sections=selectors.form_sections(form=form),
            rules=selectors.form_rules(form=form),
            unit_kinds=[k.get_kind_display() for k in form.unit_kinds.all()],
            period_range=selectors.form_period_range(form),
            **kwargs,
        )
        context["can_edit"] = ownership.can_change(self.request.user, form.owner_id)
        return context


class FormCreateView(ServiceFormView):
    form_class = ReportFormCreateForm
    template_name = "catalog/form_form.html"

    def load(self, **kwargs: Any) -> None:
        self.check_add()

    def perform(self, form: ReportFormCreateForm) -> Any:
        self.success_message = _("The reporting form was added.")
        return services.form_create(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self) -> str:
        return reverse("catalog:form_detail", args=[self.object.code])


class FormUpdateView(ServiceFormView):
    form_class = ReportFormUpdateForm
    template_name = "catalog/form_form.html"

    def load(self, **kwargs: Any) -> None:
        self.report_form = _get_form(kwargs["code"], self.request.user)
        self.check_change(self.report_form.owner_id)

    def get_form_kwargs(self) -> dict[str, Any]:
        kinds = selectors.form_unit_kinds(form=self.report_form)
        kwargs = super().get_form_kwargs()
        return kwargs | {"instance": self.report_form, "initial": {"unit_kinds": kinds}}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(form_obj=self.report_form, **kwargs)

    def perform(self, form: ReportFormUpdateForm) -> Any:
        self.success_message = _("The reporting form was saved.")
        return services.form_update(
            actor=self.request.user, form=self.report_form, **form.cleaned_data
        )

    def get_success_url(self) -> str:
        return reverse("catalog:form_detail", args=[self.object.code])


class _StructureView(CatalogMixin, View):
    """A formset page over the form's sections or items; one service saves the whole set."""

    required_role = Role.ADMIN
    template_name = ""

    def formset(self, form: Any, data: Any = None) -> Any:
        raise NotImplementedError

    def save(self, form: Any, formset: Any) -> None:
        raise NotImplementedError

    def _form(self, code: str) -> Any:
        form = _get_form(code, self.request.user)
        self.check_change(form.owner_id)
        return form

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        form = self._form(code)
        return self.render(form, self.formset(form))

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        form = self._form(code)
        formset = self.formset(form, request.POST)
        if formset.is_valid():
            rows = [f.cleaned_data for f in formset.forms if f.cleaned_data]
            try:
                self.save(form, rows)
            except ValidationError as exc:
                return self.render(form, formset, errors=exc.messages)
            messages.success(request, _("The form's layout was saved."))
            return redirect("catalog:form_detail", form.code)
        return self.render(form, formset)

    def render(self, form: Any, formset: Any, errors: list[str] = ()) -> HttpResponse:
        context = {"form_obj": form, "formset": formset, "errors": errors, "can_edit": True}
        return render(self.request, self.template_name, context)


class FormSectionsView(_StructureView):
    template_name = "catalog/form_sections.html"

    def formset(self, form: Any, data: Any = None) -> Any:
        initial = [
            {"id": s.pk, "name": s.name, "order": s.order}
            for s in selectors.form_sections(form=form)
        ]
        return SectionFormSet(data, initial=initial, prefix="sections")

    def save(self, form: Any, rows: list[dict[str, Any]]) -> None:
        services.form_sections_save(
            actor=self.request.user,
            form=form,
            rows=[
                services.SectionRow(
                    id=r.get("id"), name=r["name"], order=r["order"], delete=r.get("DELETE", False)
                )
                for r in rows
            ],
        )


class FormItemsView(_StructureView):
    template_name = "catalog/form_items.html"

    def formset(self, form: Any, data: Any = None) -> Any:
        sections = selectors.form_sections(form=form)
        initial = [
            {"id": i.pk, "section": s.pk, "indicator": i.indicator_id, "order": i.order}
            for s in sections
            for i in s.items.all()
        ]
        indicators = selectors.indicator_list().filter(owner__isnull=True)
        if form.owner_id is not None:
            indicators |= selectors.indicator_list().filter(owner=form.owner_id)
        indicators = indicators.only("code", "name")
        return ItemFormSet(
            data,
            initial=initial,
            prefix="items",
            form_kwargs={
                "section_choices": [(s.pk, s.name) for s in sections],
                "indicator_choices": [(i.pk, str(i)) for i in indicators],
            },
        )

    def save(self, form: Any, rows: list[dict[str, Any]]) -> None:
        services.form_items_save(
            actor=self.request.user,
            form=form,
            rows=[
                services.ItemRow(
                    id=r.get("id"),
                    section_id=r["section"],
                    indicator_id=r["indicator"],
                    order=r["order"],
                    delete=r.get("DELETE", False),
                )
                for r in rows
            ],
        )


# Validation rules ----------------------------------------------------------------------------


def _get_rule(user: Any, pk: int) -> ValidationRule:
    readable = selectors.rule_list(user=user)
    return get_object_or_404(readable, pk=pk)


class RuleListView(CatalogMixin, ListView):
    template_name = "catalog/rule_list.html"
    paginate_by = 50

    def get_queryset(self):
        return selectors.rule_list(user=self.request.user)


class RuleCreateView(ServiceFormView):
    form_class = RuleForm
    template_name = "catalog/rule_form.html"

    def load(self, **kwargs: Any) -> None:
        self.report_form = _get_form(kwargs["code"], self.request.user)
        self.check_change(self.report_form.owner_id)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(form_obj=self.report_form, **kwargs)

    def perform(self, form: RuleForm) -> ValidationRule:
        self.success_message = _("The validation rule was added.")
        return services.rule_create(
            actor=self.request.user, form=self.report_form, **form.cleaned_data
        )

    def get_success_url(self) -> str:
        return reverse("catalog:form_detail", args=[self.report_form.code])


class RuleUpdateView(ServiceFormView):
    form_class = RuleForm
    template_name = "catalog/rule_form.html"

    def load(self, **kwargs: Any) -> None:
        self.rule = _get_rule(self.request.user, kwargs["pk"])
        self.check_change(self.rule.form.owner_id)

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"instance": self.rule}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(form_obj=self.rule.form, rule=self.rule, **kwargs)

    def perform(self, form: RuleForm) -> ValidationRule:
        self.success_message = _("The validation rule was saved.")
        return services.rule_update(actor=self.request.user, rule=self.rule, **form.cleaned_data)

    def get_success_url(self) -> str:
        return reverse("catalog:form_detail", args=[self.rule.form.code])


class RuleDeleteView(CatalogMixin, View):
    required_role = Role.ADMIN

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        rule = _get_rule(request.user, pk)
        self.check_change(rule.form.owner_id)
        services.rule_delete(actor=request.user, rule=rule)
        messages.success(request, _("The validation rule was deleted."))
        return redirect("catalog:form_detail", rule.form.code)
