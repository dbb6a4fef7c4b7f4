"""Report pages: choose, preview, generate in the background, download; province templates."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.jobs import jobs_recover_on_page
from phongtrao.core.mixins import RefusalMixin, RoleRequiredMixin
from phongtrao.core.roles import Role
from phongtrao.documents import services
from phongtrao.documents.context import FIELDS
from phongtrao.documents.docx import builtin_template
from phongtrao.documents.forms import ReportChoiceForm, TemplateUploadForm
from phongtrao.documents.models import DocumentTemplate, JobStatus
from phongtrao.documents.selectors import job_get, job_list, template_list

DOCX_TYPE = services.CONTENT_TYPES["docx"]


class ReportView(RefusalMixin, RoleRequiredMixin, View):
    # A viewer's refusal is said on the page, where the form is, not on a bare 403.
    shown_codes = frozenset({ErrorCode.FORBIDDEN})

    def get(self, request: HttpRequest) -> HttpResponse:
        form = ReportChoiceForm(user=request.user)
        return render(request, "documents/report.html", {"choice": form, **_page(request)})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ReportChoiceForm(request.POST, user=request.user)
        if not form.is_valid():
            return render(request, "documents/report.html", {"choice": form, **_page(request)})
        try:
            job = services.report_job_create(
                actor=request.user, unit=form.report_unit, year=form.cleaned_data["year"],
                fmt=form.cleaned_data["format"], boundaries=form.cleaned_data["boundaries"],
                use_builtin=form.cleaned_data["use_builtin"], kind=form.cleaned_data["kind"],
                state=form.cleaned_data["state"],
            )  # fmt: skip
        except AppError as exc:
            form.add_error(None, self.refusal_message(exc))
            context = {"choice": form, **_page(request)}
            status = 403 if exc.code == ErrorCode.FORBIDDEN else 200
            return render(request, "documents/report.html", context, status=status)
        return redirect("documents:job", pk=job.pk)


def _page(request: HttpRequest) -> dict:
    """What the report page shows beside the form: the user's recent jobs, and whether they may
    start one (a viewer sees the preview only, unless the deployment allows more)."""
    jobs_recover_on_page(services.report_jobs_recover)
    return {
        "jobs": job_list(user=request.user),
        "may_generate": services.may_generate_reports(request.user),
    }


class PreviewView(RoleRequiredMixin, View):
    """The narrative as HTML, for the choices on the page (htmx swaps it in)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form = ReportChoiceForm(request.GET, user=request.user)
        context = {"choice": form}
        if form.is_valid():
            context["report"] = services.report_context_for(
                unit=form.report_unit, year=form.cleaned_data["year"],
                boundaries=form.cleaned_data["boundaries"], kind=form.cleaned_data["kind"],
                state=form.cleaned_data["state"],
            )  # fmt: skip
        return render(request, "documents/_preview.html", context)


class JobView(RoleRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        jobs_recover_on_page(services.report_jobs_recover)
        job = job_get(pk=pk, user=request.user)
        template = "documents/_job.html" if request.htmx else "documents/job.html"
        return render(request, template, {"job": job})


class JobDownloadView(RoleRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        job = job_get(pk=pk, user=request.user)
        if job.status != JobStatus.DONE or not job.file:
            raise Http404
        name = services.report_filename(
            job.unit, job.year, job.format, job.kind, boundaries=job.boundaries
        )
        return FileResponse(
            job.file.open("rb"), as_attachment=True, filename=name,
            content_type=services.CONTENT_TYPES[job.format],
        )  # fmt: skip


class TemplateListView(RefusalMixin, RoleRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return self._page(request, TemplateUploadForm(user=request.user))

    def post(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_role(Role.ADMIN):
            raise PermissionDenied
        form = TemplateUploadForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            try:
                services.document_template_upload(
                    actor=request.user, unit=form.cleaned_data["unit"],
                    upload=form.cleaned_data["file"], kind=form.cleaned_data["kind"],
                )  # fmt: skip
            except AppError as exc:
                form.add_error("file", self.refusal_message(exc))
            else:
                messages.success(request, _("The template was saved."))
                return redirect("documents:templates")
        return self._page(request, form, status=400)

    def _page(self, request: HttpRequest, form: TemplateUploadForm, status: int = 200):
        context = {
            "templates": template_list(user=request.user),
            "upload": form,
            "can_upload": request.user.has_role(Role.ADMIN),
            "fields": FIELDS,
        }
        return render(request, "documents/templates.html", context, status=status)


class BuiltinTemplateView(RoleRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        response = HttpResponse(builtin_template().read_bytes(), content_type=DOCX_TYPE)
        response["Content-Disposition"] = 'attachment; filename="mau-bao-cao-ngay-hoi.docx"'
        return response


def _template(request: HttpRequest, pk: int) -> DocumentTemplate:
    return get_object_or_404(DocumentTemplate.objects.visible_to(request.user), pk=pk)


class TemplateDownloadView(RoleRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        template = _template(request, pk)
        return FileResponse(
            template.file.open("rb"), as_attachment=True, filename=template.original_name,
            content_type=DOCX_TYPE,
        )  # fmt: skip


class TemplateDeleteView(RoleRequiredMixin, View):
    required_role = Role.ADMIN

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        template = _template(request, pk)
        services.document_template_delete(actor=request.user, template=template)
        messages.success(request, _("The province uses the built-in template again."))
        return redirect(reverse("documents:templates"))
