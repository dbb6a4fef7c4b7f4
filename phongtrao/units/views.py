"""Unit pages: browse and search, one unit, and the grassroots units people add and import.

Views stay thin: parse the request, call one selector or service, render. Every unit is taken
through the user's scope, so a unit outside it answers 404 exactly like a missing one.
"""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView
from django.views.generic.detail import SingleObjectMixin

from phongtrao.core.errors import AppError
from phongtrao.core.mixins import RefusalMixin, RoleRequiredMixin, ScopedQuerysetMixin
from phongtrao.core.roles import Role
from phongtrao.core.text import format_number, search_key
from phongtrao.units import selectors, services
from phongtrao.units.forms import TYPE_SUGGESTIONS, BrowseForm, ImportUploadForm, UnitForm
from phongtrao.units.import_template import KIND_LABELS, build_template
from phongtrao.units.imports import check_file, check_stored
from phongtrao.units.models import GRASSROOTS_KINDS, REFORM_DATE, Unit
from phongtrao.units.scope import in_scope

SEARCH_PAGE_SIZE = 50


def _requested_date(request: HttpRequest) -> tuple[BrowseForm, date | None]:
    form = BrowseForm(request.GET)
    form.is_valid()  # a bad field is shown as an error; the good ones still apply
    return form, form.cleaned_data.get("on")


def _expand(nodes: list[Unit], chain: list[int], *, on: date, user) -> None:
    """Open the tree along `chain` (ids from the top down): one query per opened level."""
    for node in nodes:
        if node.pk in chain and node.child_count:
            node.expanded = True
            node.tree_children = list(selectors.unit_tree_children(unit=node, on=on, user=user))
            _expand(node.tree_children, chain, on=on, user=user)


class UnitBrowseView(RoleRequiredMixin, View):
    """The tree of units in force on a day, or search results when there is a query."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form, on = _requested_date(request)
        day = on or selectors.today()
        query = form.cleaned_data.get("q", "")
        context = {
            "form": form,
            "day": day,
            "on": on.isoformat() if on else "",
            "is_legacy": day < REFORM_DATE,
            "query": query,
        }
        if search_key(query):
            results = selectors.units_search(query=query, on=day, user=request.user)
            page = Paginator(results, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
            context |= {
                "searching": True,
                "page_obj": page,
                "total": format_number(page.paginator.count),
            }
        else:
            roots = list(selectors.unit_tree_roots(user=request.user, on=day))
            opened = self._opened(request)
            if opened is not None:
                _expand(roots, [*opened.ancestor_ids, opened.pk], on=day, user=request.user)
            context["nodes"] = roots
        partial = request.htmx and not request.htmx.history_restore_request
        template = "units/_browse_results.html" if partial else "units/unit_browse.html"
        response = render(request, template, context)
        patch_vary_headers(response, ["HX-Request"])
        return response

    def _opened(self, request: HttpRequest) -> Unit | None:
        # Without JavaScript a branch opens by reloading the page with ?open=<id>.
        pk = request.GET.get("open", "")
        if not pk.isdigit():
            return None
        return Unit.objects.visible_to(request.user).filter(pk=pk).first()


class UnitChildrenView(ScopedQuerysetMixin, DetailView):
    """The htmx partial that opens one branch of the tree."""

    model = Unit
    template_name = "units/_tree_children.html"

    def get_context_data(self, **kwargs):
        _form, on = _requested_date(self.request)
        day = on or selectors.today()
        nodes = selectors.unit_tree_children(unit=self.object, on=day, user=self.request.user)
        return super().get_context_data(nodes=nodes, on=on.isoformat() if on else "", **kwargs)


def _successions(rows, attr: str, user) -> list[dict]:
    return [
        {
            "unit": getattr(s, attr),
            "share": format_number(s.share),
            "is_default": s.is_default,
            "visible": in_scope(user, getattr(s, attr)),
        }
        for s in rows
    ]


class UnitDetailView(ScopedQuerysetMixin, DetailView):
    model = Unit
    template_name = "units/unit_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("parent")

    def get_context_data(self, **kwargs):
        user, unit = self.request.user, self.object
        _form, on = _requested_date(self.request)
        day = on or selectors.unit_reference_date(unit=unit)
        return super().get_context_data(
            day=day,
            on=day.isoformat() if day != selectors.today() else "",
            ancestors=[(a, in_scope(user, a)) for a in selectors.unit_ancestors(unit=unit)],
            children=selectors.unit_tree_children(unit=unit, on=day, user=user),
            successors=_successions(selectors.unit_successors(unit=unit), "successor", user),
            predecessors=_successions(selectors.unit_predecessors(unit=unit), "predecessor", user),
            is_grassroots=unit.kind in GRASSROOTS_KINDS,
            in_force_today=unit.is_valid_on(selectors.today()),
            can_change=selectors.unit_is_changeable(user=user, unit=unit),
            can_add=selectors.unit_can_hold_grassroots(user=user, unit=unit),
            **kwargs,
        )


class _LoadObjectMixin:
    def dispatch(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)


class _ScopedUnitMixin(RefusalMixin, ScopedQuerysetMixin, _LoadObjectMixin, SingleObjectMixin):
    """The unit in the URL: the role is checked first (403), then the scope (404)."""

    model = Unit
    required_role = Role.DATA_ENTRY

    def get_queryset(self):
        return super().get_queryset().select_related("parent")


class UnitCreateView(_ScopedUnitMixin, FormView):
    form_class = UnitForm
    template_name = "units/unit_form.html"

    def get(self, request, *args, **kwargs):
        self._check_holder()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self._check_holder()
        return super().post(request, *args, **kwargs)

    def _check_holder(self) -> None:
        if not selectors.unit_can_hold_grassroots(user=self.request.user, unit=self.object):
            raise Http404(_("Nothing can be added below this unit."))

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"parent": self.object, "creating": True}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            parent=self.object, creating=True, type_suggestions=TYPE_SUGGESTIONS, **kwargs
        )

    def form_valid(self, form):
        try:
            unit = services.unit_create(
                actor=self.request.user, parent=self.object, **form.cleaned_data
            )
        except AppError as exc:
            form.add_error(None, self.refusal_message(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("%(name)s was added.") % {"name": unit.name})
        return redirect("units:detail", pk=unit.pk)


class UnitUpdateView(_ScopedUnitMixin, FormView):
    form_class = UnitForm
    template_name = "units/unit_form.html"

    def get(self, request, *args, **kwargs):
        self._check_grassroots()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self._check_grassroots()
        return super().post(request, *args, **kwargs)

    def _check_grassroots(self) -> None:
        if self.object.kind not in GRASSROOTS_KINDS:
            raise PermissionDenied(
                _("Administrative units come from the official lists and cannot be changed here.")
            )

    def get_initial(self):
        unit = self.object
        fields = ["name", "type_name", "valid_from", "valid_to", "contact_name", "contact_phone"]
        return {name: getattr(unit, name) for name in fields}

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"parent": self.object.parent, "creating": False}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            parent=self.object.parent, creating=False, type_suggestions=TYPE_SUGGESTIONS, **kwargs
        )

    def form_valid(self, form):
        try:
            unit = services.unit_update(
                actor=self.request.user, unit=self.object, **form.cleaned_data
            )
        except AppError as exc:
            form.add_error(None, self.refusal_message(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("%(name)s was saved.") % {"name": unit.name})
        return redirect("units:detail", pk=unit.pk)


class UnitDeleteView(_ScopedUnitMixin, View):
    template_name = "units/unit_confirm_delete.html"

    def get(self, request, *args, **kwargs):
        return self._render(request)

    def post(self, request, *args, **kwargs):
        unit = self.object
        try:
            services.unit_delete(actor=request.user, unit=unit)
        except AppError as exc:
            return self._render(request, error=self.refusal_message(exc))
        messages.success(request, _("%(name)s was deleted.") % {"name": unit.name})
        return redirect("units:detail", pk=unit.parent_id)

    def _render(self, request, error: str = "") -> HttpResponse:
        unit = self.object
        if unit.kind not in GRASSROOTS_KINDS:
            raise PermissionDenied
        context = {"object": unit, "error": error, "child_count": unit.children.count()}
        return render(request, self.template_name, context)


class UnitImportView(_ScopedUnitMixin, View):
    """Upload a file, see every row and problem, then confirm: all rows are written, or none."""

    template_name = "units/unit_import.html"

    def _session_key(self) -> str:
        return f"units-import-{self.object.pk}"

    def get(self, request, *args, **kwargs):
        self._check_holder()
        return self._render(request, ImportUploadForm())

    def post(self, request, *args, **kwargs):
        self._check_holder()
        if "confirm" in request.POST:
            return self._confirm(request)
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, form)
        upload = form.cleaned_data["file"]
        check = check_file(
            name=upload.name,
            content=upload.read(),
            parent=self.object,
            user=request.user,
            on=selectors.unit_reference_date(unit=self.object),
        )
        if check.ok:
            # Kept on the server between preview and confirmation, so nothing can be altered.
            request.session[self._session_key()] = {
                "filename": upload.name,
                "rows": check.stored(),
            }
        else:
            request.session.pop(self._session_key(), None)
        return self._render(request, ImportUploadForm(), check=check, filename=upload.name)

    def _confirm(self, request: HttpRequest) -> HttpResponse:
        stored = request.session.pop(self._session_key(), None)
        if not stored:
            return self._render(
                request, ImportUploadForm(), error=_("Nothing to import: upload the file again.")
            )
        # The data may have changed since the preview: check again, giving codes anew.
        check = check_stored(
            stored["rows"],
            parent=self.object,
            user=request.user,
            on=selectors.unit_reference_date(unit=self.object),
        )
        if not check.ok:
            return self._render(
                request, ImportUploadForm(), check=check, filename=stored["filename"]
            )
        try:
            created = services.units_import(actor=request.user, drafts=check.drafts())
        except AppError as exc:
            return self._render(request, ImportUploadForm(), error=self.refusal_message(exc))
        messages.success(
            request, _("%(n)s units were imported.") % {"n": format_number(len(created))}
        )
        return redirect("units:detail", pk=self.object.pk)

    def _check_holder(self) -> None:
        if not selectors.unit_can_hold_grassroots(user=self.request.user, unit=self.object):
            raise Http404(_("Nothing can be added below this unit."))

    def _render(self, request, form, *, check=None, filename: str = "", error: str = ""):
        context = {
            "object": self.object,
            "form": form,
            "check": check,
            "filename": filename,
            "error": error,
            "kind_labels": KIND_LABELS,
            "template_url": reverse("units:import_template"),
        }
        return render(request, self.template_name, context)


def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        build_template(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-don-vi.xlsx"'
    return response
