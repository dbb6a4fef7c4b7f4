"""Writing reports: one document now (`report_render`), or a job that writes it after commit."""

import io
import logging
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from phongtrao.analytics.states import DEFAULT_STATE, DataState
from phongtrao.core.audit import audit_record, snapshot
from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.jobs import (
    heartbeat,
    job_claim,
    job_enqueue,
    job_failed,
    job_renewer,
    job_update,
    jobs_recover,
)
from phongtrao.core.models import AuditAction
from phongtrao.core.roles import Role
from phongtrao.core.uploads import check_zip
from phongtrao.documents.context import report_context
from phongtrao.documents.docx import docx_render, docx_template_check
from phongtrao.documents.kinds import kind_spec
from phongtrao.documents.models import (
    DocumentFormat,
    DocumentTemplate,
    JobStatus,
    ReportJob,
    ReportKind,
)
from phongtrao.documents.selectors import report_data, template_for
from phongtrao.reporting.selectors import Boundaries
from phongtrao.units.models import Unit, UnitKind
from phongtrao.units.scope import in_scope
from phongtrao.units.selectors import unit_ancestors

logger = logging.getLogger(__name__)
MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
CONTENT_TYPES = {
    DocumentFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    DocumentFormat.PDF: "application/pdf",
    DocumentFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass
class RenderedReport:
    content: bytes
    filename: str
    content_type: str


# The boundaries in a file name, ASCII: two downloads of one report differ by their name.
BOUNDARY_SUFFIXES = {Boundaries.HISTORICAL: "lich-su", Boundaries.CURRENT: "hien-nay"}


def report_filename(
    unit: Unit,
    year: int,
    fmt: str,
    kind: str = ReportKind.FESTIVAL,
    *,
    boundaries: Boundaries | str,
) -> str:
    """bao-cao-ngay-hoi-2019-23377-hien-nay.docx"""
    suffix = BOUNDARY_SUFFIXES[Boundaries(boundaries)]
    return f"{kind_spec(kind).file_stem}-{year}-{unit.code}-{suffix}.{fmt}"


def report_context_for(
    *,
    unit: Unit,
    year: int,
    boundaries: Boundaries | str,
    today: date | None = None,
    kind: str = ReportKind.FESTIVAL,
    state: DataState | str = DEFAULT_STATE,
) -> dict[str, Any]:
    data = report_data(unit=unit, year=year, boundaries=boundaries, kind=kind, state=state)
    return report_context(
        data=data, ancestors=unit_ancestors(unit=unit), today=today or timezone.localdate()
    )


def report_render(
    *,
    unit: Unit,
    year: int,
    fmt: str = DocumentFormat.DOCX,
    boundaries: Boundaries | str = Boundaries.HISTORICAL,
    use_builtin: bool = False,
    today: date | None = None,
    kind: str = ReportKind.FESTIVAL,
    state: DataState | str = DEFAULT_STATE,
) -> RenderedReport:
    """The report of this kind of a unit's subtree for a year, as DOCX, PDF or XLSX bytes,
    from the figures of one data state (sent and approved reports unless asked otherwise)."""
    fmt = DocumentFormat(fmt)
    context = report_context_for(
        unit=unit, year=year, boundaries=boundaries, today=today, kind=kind, state=state
    )
    if fmt == DocumentFormat.DOCX:
        custom = None if use_builtin else template_for(unit=unit, kind=kind)
        if custom is not None:
            with custom.file.open("rb") as handle:
                content = docx_render(context=context, template=handle)
        else:
            content = docx_render(context=context)
    elif fmt == DocumentFormat.PDF:
        from phongtrao.documents.pdf import pdf_render

        content = pdf_render(context=context)
    else:
        from phongtrao.documents.xlsx import xlsx_render

        content = xlsx_render(context=context)
    name = report_filename(unit, year, fmt, kind, boundaries=boundaries)
    return RenderedReport(content, name, CONTENT_TYPES[fmt])


def report_job_create(
    *,
    actor: Any,
    unit: Unit,
    year: int,
    fmt: str,
    boundaries: str,
    use_builtin: bool = False,
    run: bool = True,
    kind: str = ReportKind.FESTIVAL,
    state: DataState | str = DEFAULT_STATE,
) -> ReportJob:
    """Record the job, then queue it (or write it) once the row is committed."""
    if actor is not None and not in_scope(actor, unit):
        raise AppError(ErrorCode.NOT_FOUND, _("There is no such unit."))
    if actor is not None and not may_generate_reports(actor):
        raise AppError(
            ErrorCode.FORBIDDEN,
            _("Viewers may not generate reports here; ask an administrator for the report."),
        )
    with transaction.atomic():
        job = ReportJob(
            unit=unit, kind=ReportKind(kind), year=year, format=DocumentFormat(fmt),
            boundaries=Boundaries(boundaries), state=DataState(state), use_builtin=use_builtin,
            created_by=actor,
        )  # fmt: skip
        job.full_clean()
        job.save()
        # Who asked for which report is part of the trail, like any other record made.
        audit_record(
            actor=actor, action=AuditAction.CREATE, instance=job, after=snapshot(job),
            unit_id=unit.pk,
        )  # fmt: skip
        if run:
            transaction.on_commit(lambda: report_job_start(job_id=job.pk))
    return job


def may_generate_reports(user: Any) -> bool:
    """Anyone above a viewer; a viewer only where the deployment allows it."""
    return user.has_role(Role.DATA_ENTRY) or settings.REPORTS_VIEWERS_MAY_GENERATE


def report_jobs_recover(*, now: datetime | None = None) -> int:
    """Report jobs of a dead worker queued again (core/jobs.py)."""
    return jobs_recover(
        ReportJob,
        task=report_job_task,
        now=now,
        retry_message=_("The report was interrupted (the server restarted); it is written again."),
        failed_message=_(
            "The report was interrupted (the server restarted); please ask for it again."
        ),
    )


def report_job_start(*, job_id: int) -> None:
    """To the queue (PHONGTRAO_JOBS=worker), or written now; tests call `report_job_run`."""
    job_enqueue(report_job_task, job_id=job_id)


def _report_file_save(job: ReportJob, rendered: RenderedReport) -> str:
    """One file per job whatever the attempts: a name of its own, overwritten by a retry, so a
    worker killed after writing leaves no second copy."""
    field = job.file.field
    name = field.generate_filename(job, f"job{job.pk}-{rendered.filename}")
    field.storage.delete(name)
    return field.storage.save(name, ContentFile(rendered.content))


def report_job_run(*, job_id: int) -> ReportJob:
    """Write the job's document; every failure ends in the row (retried, or failed), never in
    a lost worker. Running it again once it is done changes nothing."""
    job = job_claim(ReportJob.objects.select_related("unit"), job_id, progress=10)
    if job is None:
        return ReportJob.objects.get(pk=job_id)
    try:
        with heartbeat(job_renewer(ReportJob, job_id)):
            rendered = report_render(
                unit=job.unit, year=job.year, fmt=job.format, boundaries=job.boundaries,
                use_builtin=job.use_builtin, kind=job.kind, state=job.state,
            )  # fmt: skip
            job_update(job, progress=80)
            name = _report_file_save(job, rendered)
        job_update(job, file=name, status=JobStatus.DONE, progress=100, leased_until=None,
                   error="", finished_at=timezone.now())  # fmt: skip
    except AppError as exc:
        # The data or the template is wrong: another attempt would say the same.
        job_failed(job, exc.message, task=report_job_task, retry=False)
    except Exception:  # a worker has nobody to report to but the row and the log
        logger.exception("report job %s failed (attempt %s)", job.pk, job.attempts)
        message = _("The report could not be written; the error has been logged.")
        job_failed(job, message, task=report_job_task)
    return job


@task()
def report_job_task(job_id: int) -> None:
    """What the queue runs: the job by its id (the row says the rest)."""
    report_job_run(job_id=job_id)


def _sample_context(unit: Unit, kind: str) -> dict[str, Any]:
    """Last year's fields of the province, to try an uploaded template on.

    Every loop must run at least once, or a wrong field inside it would go unnoticed.
    """
    context = report_context_for(
        unit=unit, year=timezone.localdate().year - 1, boundaries="current", kind=kind
    )
    if not context["sections"]:
        context["sections"] = [{"heading": "1. …", "paragraphs": ["…"]}]
    return context


def _snapshot(template: DocumentTemplate) -> dict[str, Any]:
    return snapshot(template) | {"file": template.file.name}


def document_template_upload(
    *, actor: Any, unit: Unit, upload: UploadedFile, kind: str = ReportKind.FESTIVAL
) -> DocumentTemplate:
    """Replace the province's template of this kind; one that does not render is refused."""
    kind = ReportKind(kind)
    if unit.kind != UnitKind.PROVINCE:
        raise AppError(ErrorCode.INVALID, _("Templates belong to a province."))
    if actor is not None and not in_scope(actor, unit):
        raise AppError(ErrorCode.NOT_FOUND, _("There is no such unit."))
    if not upload.name.lower().endswith(".docx") or upload.size > MAX_TEMPLATE_BYTES:
        raise AppError(ErrorCode.INVALID, _("Upload a Word (.docx) file of at most 5 MB."))
    content = upload.read()
    # A 5 MB zip can unpack to gigabytes of XML, which python-docx would read whole.
    check_zip(content, kind="docx")
    # Parsed whole first, so a field that may not be used is refused even in a branch or a
    # header the sample below would not reach; then tried, so a wrong field is named.
    docx_template_check(io.BytesIO(content))
    docx_render(context=_sample_context(unit, kind), template=io.BytesIO(content))
    with transaction.atomic():
        existing = DocumentTemplate.objects.select_for_update().filter(unit=unit, kind=kind).first()
        before = _snapshot(existing) if existing else None
        template = existing or DocumentTemplate(unit=unit, kind=kind)
        old_file = existing.file.name if existing else ""
        template.original_name = Path(upload.name).name[:255]
        template.uploaded_by = actor if getattr(actor, "is_authenticated", False) else None
        template.file.save(f"{unit.code}-{kind}.docx", ContentFile(content), save=False)
        template.full_clean()
        template.save()
        audit_record(
            actor=actor, instance=template, before=before, after=_snapshot(template),
            unit_id=unit.pk,
        )  # fmt: skip
    if old_file and old_file != template.file.name:
        template.file.storage.delete(old_file)
    return template


def document_template_delete(*, actor: Any, template: DocumentTemplate) -> None:
    """Back to the built-in template for the province."""
    if actor is not None and not in_scope(actor, template.unit):
        raise AppError(ErrorCode.NOT_FOUND, _("There is no such template."))
    with transaction.atomic():
        before = _snapshot(template)
        name = template.file.name
        audit_record(actor=actor, action=AuditAction.DELETE, instance=template, before=before,
                     unit_id=template.unit_id)  # fmt: skip
        template.delete()
    template.file.storage.delete(name)
