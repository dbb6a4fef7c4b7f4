"""Import (upload -> preview -> confirm) and export pages.

Between preview and confirm the upload waits under MEDIA_ROOT/imports/ with a random name,
remembered in the session, so only the person who uploaded it can confirm it.
"""

import secrets
from pathlib import Path

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from phongtrao.catalog.models import ReportForm
from phongtrao.catalog.periods import period_parse
from phongtrao.catalog.selectors import (
    form_applies_to_unit,
    form_choices,
    form_not_for_unit_message,
)
from phongtrao.core.errors import AppError
from phongtrao.core.jobs import jobs_inline, jobs_recover_on_page
from phongtrao.core.mixins import RoleRequiredMixin
from phongtrao.core.roles import Role
from phongtrao.core.text import format_number
from phongtrao.core.uploads import (
    pending_imports_dir,
    pending_imports_purge,
    validate_upload_size,
)
from phongtrao.reporting.approvers import closed_period_reopeners
from phongtrao.reporting.models import ImportJob
from phongtrao.reporting.transfer.commit import ImportResult, values_import
from phongtrao.reporting.transfer.export import ExportRequest, export_write
from phongtrao.reporting.transfer.formats import CONTENT_TYPES, EXTENSIONS, TEXT_FORMATS, Format
from phongtrao.reporting.transfer.history import history_template_write
from phongtrao.reporting.transfer.jobs import import_job_create, import_jobs_recover
from phongtrao.reporting.views.unit_pick import kept, picker_context, picking
from phongtrao.units.models import ADMINISTRATIVE_KINDS, REFORM_DATE, Unit

SESSION_KEY = "value_imports"
FORMAT_CHOICES = [
    ("", gettext_lazy("Guess from the file")),
    (Format.CSV.value, "CSV"),
    (Format.XLSX.value, "XLSX"),
    (Format.DHIS2_JSON.value, "DHIS2 JSON"),
    (Format.DHIS2_CSV.value, "DHIS2 CSV"),
    (Format.HISTORY_XLSX.value, gettext_lazy("XLSX by year (a sheet per unit)")),
]


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File"), validators=[validate_upload_size])
    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=FORMAT_CHOICES, required=False)


class ImportConfirmForm(forms.Form):
    token = forms.CharField(max_length=64)


class ExportForm(forms.Form):
    # Any unit of the user's scope, picked in the unit tree (units.selectors.unit_pick) as on
    # the entry page: a province's thousands of units never go into one list.
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit"),
        queryset=Unit.objects.none(),
        error_messages={"required": gettext_lazy("Choose a unit in the list.")},
    )
    period = forms.CharField(
        label=gettext_lazy("Period"), max_length=8, help_text=gettext_lazy("e.g. 2024, 2024Q3")
    )
    form = forms.ModelChoiceField(
        label=gettext_lazy("Form"),
        queryset=ReportForm.objects.none(),
        to_field_name="code",
        required=False,
        help_text=gettext_lazy("Needed for an XLSX template."),
    )
    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=FORMAT_CHOICES[1:])

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # National forms and those of the user's provinces.
        self.fields["form"].queryset = form_choices(user=user)
        self.fields["unit"].queryset = Unit.objects.visible_to(user)
        self.fields["period"].initial = str(timezone.localdate().year)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("period"):
            try:
                data["period"] = period_parse(data["period"])
            except AppError as exc:
                self.add_error("period", exc.message)
        if data.get("format") == Format.XLSX and not data.get("form"):
            self.add_error("form", _("An XLSX template needs a reporting form."))
        unit, period = data.get("unit"), data.get("period")
        if unit and period and not isinstance(period, str) and not unit.is_valid_on(period.end):
            self.add_error("unit", _("The unit is not in force at the end of the period."))
        form = data.get("form")
        if unit and form and not form_applies_to_unit(form=form, unit=unit):
            self.add_error(
                "form", form_not_for_unit_message(form_code=form.code, unit_name=unit.name)
            )
        return data


class ImportView(RoleRequiredMixin, View):
    required_role = Role.DATA_ENTRY

    def get(self, request: HttpRequest) -> HttpResponse:
        # Coming back here (the preview's "Cancel") abandons the uploads still waiting.
        for entry in request.session.pop(SESSION_KEY, {}).values():
            (pending_imports_dir() / Path(entry["path"]).name).unlink(missing_ok=True)
        return render(request, "reporting/transfer_import.html", {"upload": ImportUploadForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        upload = ImportUploadForm(request.POST, request.FILES)
        if not upload.is_valid():
            return render(request, "reporting/transfer_import.html", {"upload": upload})
        uploaded = upload.cleaned_data["file"]
        suffix = Path(uploaded.name).suffix.lower()[:8] if "." in uploaded.name else ""
        token = secrets.token_urlsafe(24)
        pending_imports_purge()
        path = pending_imports_dir() / f"{token}{suffix}"
        with path.open("wb") as fh:
            for chunk in uploaded.chunks():
                fh.write(chunk)
        fmt = upload.cleaned_data["format"] or None
        try:
            result = values_import(path=path, fmt=fmt, actor=request.user, dry_run=True)
        except AppError as exc:
            path.unlink(missing_ok=True)
            upload.add_error("file", exc.message)
            return render(request, "reporting/transfer_import.html", {"upload": upload})
        if result.rejected:
            path.unlink(missing_ok=True)
        else:
            pending = request.session.get(SESSION_KEY, {})
            pending[token] = {"path": path.name, "format": result.format, "name": uploaded.name}
            request.session[SESSION_KEY] = pending
        context = {"result": result, "token": token, "name": uploaded.name}
        return render(request, "reporting/transfer_preview.html", _preview(context))


class ImportConfirmView(RoleRequiredMixin, View):
    required_role = Role.DATA_ENTRY

    def post(self, request: HttpRequest) -> HttpResponse:
        confirm = ImportConfirmForm(request.POST)
        pending = request.session.get(SESSION_KEY, {})
        entry = pending.pop(confirm.data.get("token", ""), None) if confirm.is_valid() else None
        request.session[SESSION_KEY] = pending
        if entry is None:
            messages.error(request, _("This upload has expired; upload the file again."))
            return redirect("reporting:import")
        if not jobs_inline():
            # A large file takes minutes: a worker imports it, the page follows the job.
            job = import_job_create(actor=request.user, upload=entry["path"],
                                    fmt=entry["format"], file_name=entry["name"])  # fmt: skip
            return redirect("reporting:import_job", pk=job.pk)
        path = pending_imports_dir() / Path(entry["path"]).name
        try:
            result = values_import(
                path=path, fmt=entry["format"], actor=request.user, file_name=entry["name"]
            )
        except AppError as exc:
            messages.error(request, " ".join([exc.message, *exc.details[:20]]))
            return redirect("reporting:import")
        finally:
            path.unlink(missing_ok=True)
        if result.rejected:
            context = {"result": result, "name": entry["name"]}
            return render(request, "reporting/transfer_preview.html", _preview(context))
        messages.success(
            request,
            _("Imported %(imported)s, updated %(updated)s, unchanged %(ignored)s values.")
            % {
                "imported": format_number(result.imported),
                "updated": format_number(result.updated),
                "ignored": format_number(result.ignored),
            },
        )
        if result.value_import_id is not None:
            return redirect("reporting:value_import", pk=result.value_import_id)
        return redirect("reporting:import")


class ImportJobView(RoleRequiredMixin, View):
    """A queued import as it goes, for the person who confirmed it (htmx polls the card)."""

    required_role = Role.DATA_ENTRY

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        jobs_recover_on_page(import_jobs_recover)
        job = ImportJob.objects.filter(pk=pk, actor=request.user).first()
        if job is None:
            raise Http404
        template = "reporting/_import_job.html" if request.htmx else "reporting/import_job.html"
        return render(request, template, {"job": job})


def _preview(context: dict) -> dict:
    """The preview's context; a file refused for closed periods is told who can reopen them."""
    result: ImportResult = context["result"]
    if result.closed:
        context["reopeners"] = closed_period_reopeners(closed=result.closed)
    return context


class ExportView(RoleRequiredMixin, View):
    """Choose a unit in the tree, a period, a form and a format, then download. One GET form:
    the picker's buttons redraw the page keeping the other choices; any other submit downloads
    (or shows what is wrong)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if request.GET and not picking(request):
            export = ExportForm(request.GET, user=user)
            if export.is_valid():
                return self._download(export.cleaned_data)
        else:
            export = ExportForm(initial=kept(request, ("period", "form", "format")), user=user)
        context = {"export": export, **picker_context(request)}
        return render(request, "reporting/transfer_export.html", context)

    def _download(self, data: dict) -> HttpResponse:
        fmt = Format(data["format"])
        request_ = ExportRequest(data["unit"], data["period"], data["form"])
        response = HttpResponse(content_type=CONTENT_TYPES[fmt])
        name = f"{data['unit'].code}_{data['period'].id}"
        suffixes = {Format.DHIS2_CSV: "_dhis2", Format.DHIS2_JSON: "_dhis2",
                    Format.HISTORY_XLSX: "_theo_nam"}  # fmt: skip
        suffix = suffixes.get(fmt, "")
        response["Content-Disposition"] = f'attachment; filename="{name}{suffix}.{EXTENSIONS[fmt]}"'
        if fmt in TEXT_FORMATS:
            from io import StringIO

            text = StringIO()
            export_write(text, request_, fmt)
            response.write(text.getvalue())
        else:
            export_write(response, request_, fmt)
        return response


class HistoryTemplateForm(forms.Form):
    """Which history workbook to download: a form, a unit and the years, all before the 2025
    reform (the units of then) or all after it (today's)."""

    form = forms.ModelChoiceField(
        label=gettext_lazy("Form"), queryset=ReportForm.objects.none(), to_field_name="code"
    )
    # A province, district or commune of the user's scope, picked in the unit tree as on the
    # export page: a whole country's administrative units never go into one list.
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit"),
        queryset=Unit.objects.none(),
        error_messages={
            "required": gettext_lazy("Choose a unit in the list."),
            "invalid_choice": gettext_lazy(
                "The workbook by year is made for a province, a district or a commune; choose "
                "one of them."
            ),
        },
    )
    first = forms.IntegerField(label=gettext_lazy("From the year"), min_value=2000)
    last = forms.IntegerField(label=gettext_lazy("To the year"), min_value=2000)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["form"].queryset = form_choices(user=user).filter(period_type="yearly")
        self.fields["unit"].queryset = Unit.objects.visible_to(user).filter(
            kind__in=ADMINISTRATIVE_KINDS
        )
        # The years before the reform, unless the page keeps the user's own.
        self.initial = {"first": REFORM_DATE.year - 6, "last": REFORM_DATE.year - 1} | self.initial

    def clean(self) -> dict:
        data = super().clean()
        first, last = data.get("first"), data.get("last")
        if first is None or last is None:
            return data
        if first > last:
            self.add_error("last", _("The last year comes after the first."))
        elif first < REFORM_DATE.year <= last:
            self.add_error(
                "last",
                _("Years before %(year)s are kept under the units of then, later ones under "
                  "today's: download one workbook for each.") % {"year": REFORM_DATE.year},
            )  # fmt: skip
        elif last > timezone.localdate().year:
            self.add_error("last", _("The years must not lie in the future."))
        return data


class HistoryTemplateView(RoleRequiredMixin, View):
    """The history workbook to fill (a sheet per unit, a column per year), with what is stored."""

    required_role = Role.DATA_ENTRY

    def get(self, request: HttpRequest) -> HttpResponse:
        if request.GET and not picking(request):
            choice = HistoryTemplateForm(request.GET, user=request.user)
        else:
            initial = kept(request, ("form", "first", "last"))
            choice = HistoryTemplateForm(initial=initial, user=request.user)
        if not choice.is_bound or not choice.is_valid():
            return self._page(request, choice)
        data = choice.cleaned_data
        response = HttpResponse(content_type=CONTENT_TYPES[Format.HISTORY_XLSX])
        try:
            history_template_write(
                response, form=data["form"], unit=data["unit"], first=data["first"],
                last=data["last"], user=request.user,
            )  # fmt: skip
        except AppError as exc:
            choice.add_error("unit", exc.message)
            return self._page(request, choice)
        name = f"{data['unit'].code}_{data['first']}-{data['last']}_theo_nam.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def _page(self, request: HttpRequest, choice: HistoryTemplateForm) -> HttpResponse:
        context = {"choice": choice, **picker_context(request)}
        return render(request, "reporting/transfer_history.html", context)
