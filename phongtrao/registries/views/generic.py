"""Generic pages of every registry: list, detail, create, edit, delete, restore, import, export.

Each view is given its `Registry` in urls.py. Views stay thin: parse, call one selector or
service, render. An entry outside the user's scope answers 404 exactly like a missing one.
"""

from typing import Any

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from phongtrao.core.errors import AppError
from phongtrao.core.roles import Role
from phongtrao.core.text import format_number
from phongtrao.registries import selectors, services, transfer
from phongtrao.registries.forms import FilterForm, UploadForm
from phongtrao.registries.registry import Registry
from phongtrao.registries.selectors import ListFilters, display_value
from phongtrao.registries.services.submissions import entry_create_once, submission_token
from phongtrao.registries.views.base import RegistryView, url_name

PAGE_SIZE = 50
# The sort keys are part of the URL (`?sort=-date`), so they stay English; people read these.
SORT_LABELS = {
    "name": pgettext_lazy("sort by", "name"),
    "date": pgettext_lazy("sort by", "date"),
    "unit": pgettext_lazy("sort by", "unit"),
    "venue": pgettext_lazy("sort by", "venue"),
    "participants": pgettext_lazy("sort by", "participants"),
    "decision": pgettext_lazy("sort by", "decision number"),
    "items": pgettext_lazy("sort by", "items"),
    "audience": pgettext_lazy("sort by", "audience"),
    "visits": pgettext_lazy("sort by", "officer visits"),
    "number": pgettext_lazy("sort by", "document number"),
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters(request: HttpRequest, registry: Registry) -> tuple[FilterForm, ListFilters]:
    form = FilterForm(
        request.GET or None,
        user=request.user,
        type_choices=registry.types(),
        status_choices=registry.status_choices,
    )
    data = form.cleaned_data if form.is_valid() else {}
    return form, ListFilters(
        query=data.get("q", ""),
        unit=data.get("unit"),
        year=data.get("year"),
        type=data.get("type", ""),
        status=data.get("status", ""),
        sort=data.get("sort", ""),
        deleted=request.GET.get("deleted") == "1",
    )


class EntryListView(RegistryView):
    def get(self, request: HttpRequest) -> HttpResponse:
        registry = self.registry
        form, filters = _filters(request, registry)
        qs = selectors.entry_list(registry=registry, user=request.user, filters=filters)
        page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        fields = registry.list_fields
        labels = [_label(registry, name) for name in fields]
        rows = [(entry, [display_value(entry, name) for name in fields]) for entry in page]
        query = request.GET.copy()
        query.pop("page", None)
        sort_query = query.copy()
        sort_query.pop("sort", None)
        return render(
            request,
            "registries/list.html",
            self.base_context(
                form=form, page_obj=page, rows=rows, labels=labels, filters=filters,
                total=format_number(page.paginator.count), query=query.urlencode(),
                sort_query=sort_query.urlencode(),
                sorts=[(key, SORT_LABELS.get(key, key)) for key in registry.sorts],
                can_change=request.user.has_role(Role.DATA_ENTRY),
                is_admin=request.user.has_role(Role.ADMIN),
            ),
        )  # fmt: skip


def _label(registry: Registry, name: str) -> str:
    try:
        return str(registry.model._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 - a property
        return _("Recipient")


class EntryDetailView(RegistryView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        entry = self.get_entry(pk, deleted_ok=True)
        fields = [
            (f.verbose_name, display_value(entry, f.name))
            for f in entry._meta.concrete_fields
            if f.editable and f.name not in ("unit",) and not f.name.startswith("attachment")
        ]
        for f in entry._meta.many_to_many:
            fields.append((f.verbose_name, ", ".join(u.name for u in getattr(entry, f.name).all())))
        can_change = request.user.has_role(Role.DATA_ENTRY) and not entry.is_deleted
        context = self.base_context(
            entry=entry, fields=fields, can_change=can_change,
            is_admin=request.user.has_role(Role.ADMIN),
            content_type=ContentType.objects.get_for_model(entry).pk,
        )  # fmt: skip
        from phongtrao.registries.views.entry_parts import extra_context

        context |= extra_context(request, self.registry, entry)
        return render(request, "registries/detail.html", context)


class EntryFormView(RegistryView):
    required_role = Role.DATA_ENTRY

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        entry = self.get_entry(pk) if pk else None
        initial = {}
        if entry is None and request.GET.get("unit", "").isdigit():
            initial["unit"] = int(request.GET["unit"])
        form = self.registry.form_class(instance=entry, initial=initial, user=request.user)
        return self._render(request, form, entry, token=submission_token())

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        entry = self.get_entry(pk) if pk else None
        token = _token(request)
        form = self.registry.form_class(request.POST, instance=entry, user=request.user)
        if not form.is_valid():
            return self._render(request, form, entry, token=token)
        try:
            if entry is None:
                entry, created = self._create(request, form.cleaned_data, token)
                if created:
                    messages.success(request, _("%(name)s was added.") % {"name": entry})
            else:
                entry = services.entry_update(
                    actor=request.user, entry=entry, data=form.cleaned_data
                )
                messages.success(request, _("%(name)s was saved.") % {"name": entry})
        except AppError as exc:
            form.add_error(None, self.refusal_message(exc))
            return self._render(request, form, entry, token=token)
        return redirect(url_name(self.registry, "detail"), pk=entry.pk)

    def _create(self, request: HttpRequest, data: dict[str, Any], token: str) -> tuple[Any, bool]:
        create = self.registry.create_service or services.entry_create
        if not token:  # a client that does not send the form's token gets no protection
            return create(actor=request.user, model=self.registry.model, data=data), True
        return entry_create_once(
            actor=request.user, token=token, model=self.registry.model, data=data, create=create
        )

    def _render(self, request: HttpRequest, form, entry, token: str = "") -> HttpResponse:
        context = self.base_context(form=form, entry=entry, submission_token=token)
        return render(request, "registries/form.html", context)


def _token(request: HttpRequest) -> str:
    token = request.POST.get("submission", "")
    return token if 0 < len(token) <= 64 else ""


class EntryDeleteView(RegistryView):
    required_role = Role.DATA_ENTRY
    restore = False

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        entry = self._entry(pk)
        return render(
            request, "registries/confirm.html", self.base_context(entry=entry, restore=self.restore)
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        entry = self._entry(pk)
        action = services.entry_restore if self.restore else services.entry_delete
        try:
            action(actor=request.user, entry=entry)
        except AppError as exc:
            error = self.refusal_message(exc)
            context = self.base_context(entry=entry, restore=self.restore, error=error)
            return render(request, "registries/confirm.html", context)
        if self.restore:
            messages.success(request, _("%(name)s was restored.") % {"name": entry})
            return redirect(url_name(self.registry, "detail"), pk=entry.pk)
        messages.success(
            request, _("%(name)s was deleted; an administrator can restore it.") % {"name": entry}
        )
        return redirect(url_name(self.registry, "list"))

    def _entry(self, pk: int):
        if self.restore and not self.request.user.has_role(Role.ADMIN):
            # Same answer as for a missing entry: a non-administrator learns nothing.
            raise Http404
        entry = self.get_entry(pk, deleted_ok=self.restore)
        if self.restore and not entry.is_deleted:
            raise Http404
        return entry


class EntryImportView(RegistryView):
    """Upload, see every problem by row and column, confirm: every row is written, or none."""

    required_role = Role.DATA_ENTRY

    def _key(self) -> str:
        return f"registries-import-{self.registry.slug}"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, UploadForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        if "confirm" in request.POST:
            return self._confirm(request)
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, form)
        upload = form.cleaned_data["file"]
        check = transfer.check_file(
            self.registry, name=upload.name, content=upload.read(), user=request.user
        )
        if check.ok:
            # Kept on the server between preview and confirmation, so nothing can be altered.
            request.session[self._key()] = {"filename": upload.name, "rows": check.rows}
        else:
            request.session.pop(self._key(), None)
        return self._render(request, UploadForm(), check=check, filename=upload.name)

    def _confirm(self, request: HttpRequest) -> HttpResponse:
        stored = request.session.pop(self._key(), None)
        if not stored:
            return self._render(
                request, UploadForm(), error=_("Nothing to import: upload the file again.")
            )
        rows = [(number, values) for number, values in stored["rows"]]
        check = transfer.check_rows(self.registry, rows, user=request.user)
        if not check.ok:
            return self._render(request, UploadForm(), check=check, filename=stored["filename"])
        try:
            created = services.entries_import(
                actor=request.user, model=self.registry.model, rows=check.data,
                create=self.registry.create_service,
            )  # fmt: skip
        except AppError as exc:
            return self._render(request, UploadForm(), error=self.refusal_message(exc))
        messages.success(
            request, _("%(n)s entries were imported.") % {"n": format_number(len(created))}
        )
        return redirect(url_name(self.registry, "list"))

    def _render(self, request, form, *, check=None, filename: str = "", error: str = ""):
        context = self.base_context(
            form=form, check=check, filename=filename, error=error, columns=self.registry.columns
        )
        return render(request, "registries/import.html", context)


class EntryExportView(RegistryView):
    """The filtered list as XLSX; exporting personal data leaves an audit event."""

    def get(self, request: HttpRequest) -> HttpResponse:
        registry = self.registry
        _form, filters = _filters(request, registry)
        qs = selectors.entry_list(registry=registry, user=request.user, filters=filters)
        entries = list(transfer.export_queryset(registry, qs))
        if registry.personal:
            services.entry_export_log(
                actor=request.user,
                model=registry.model,
                label=registry.verbose_name_plural,
                count=len(entries),
                unit=filters.unit,
                details={"year": filters.year, "query": filters.query},
            )
        response = HttpResponse(transfer.build_workbook(registry, entries), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{registry.slug}.xlsx"'
        return response
