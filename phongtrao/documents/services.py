"""Writing reports: one document now (`report_render`), or a job that writes it after commit."""

import io
import logging
import threading
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import close_old_connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phongtrao.analytics.states import DEFAULT_STATE, DataState
from phongtrao.core.audit import audit_record, snapshot
from phongtrao.core.errors import AppError, ErrorCode
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
    """Record the job, then write the document in a thread once the row is committed."""
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


# A report is written in seconds (docs/BENCHMARKS.md); a job still unfinished this long after it
# was asked for lost its thread to a restart of the web server and will never finish.
JOB_TIMEOUT = timedelta(minutes=10)


def report_jobs_fail_interrupted(*, now: datetime | None = None) -> int:
    """Mark the jobs a server restart cut off as failed, so nobody waits on them for ever."""
    now = now or timezone.now()
    stale = ReportJob.objects.filter(
        status__in=(JobStatus.PENDING, JobStatus.RUNNING), created_at__lt=now - JOB_TIMEOUT
    )
    # Pages poll this every 2 s: read first, so a poll takes no write lock (on SQLite it would
    # wait behind a long import) unless there is something to mark.
    if not stale.exists():
        return 0
    return stale.update(
        status=JobStatus.FAILED,
        finished_at=now,
        error=_("The report was interrupted (the server restarted); please ask for it again."),
    )


def report_job_start(*, job_id: int) -> None:
    """The web starts jobs in a thread; tests replace this with a direct `report_job_run`."""
    threading.Thread(target=_run_in_thread, args=(job_id,), daemon=True).start()


def _run_in_thread(job_id: int) -> None:
    try:
        report_job_run(job_id=job_id)
    finally:
        close_old_connections()


def _job_update(job: ReportJob, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    ReportJob.objects.filter(pk=job.pk).update(**fields)


def report_job_run(*, job_id: int) -> ReportJob:
    """Write the job's document; every failure ends in the row, never in a lost thread."""
    job = ReportJob.objects.select_related("unit").get(pk=job_id)
    if job.is_finished:
        return job
    _job_update(job, status=JobStatus.RUNNING, progress=10)
    try:
        rendered = report_render(
            unit=job.unit, year=job.year, fmt=job.format, boundaries=job.boundaries,
            use_builtin=job.use_builtin, kind=job.kind, state=job.state,
        )  # fmt: skip
        job.file.save(rendered.filename, ContentFile(rendered.content), save=False)
        _job_update(job, file=job.file.name, status=JobStatus.DONE, progress=100,
                    finished_at=timezone.now())  # fmt: skip
    except AppError as exc:
        _job_update(job, status=JobStatus.FAILED, error=exc.message, finished_at=timezone.now())
    except Exception:  # the thread has nobody to report to but the row and the log
        logger.exception("report job %s failed", job.pk)
        message = _("The report could not be written; the error has been logged.")
        _job_update(job, status=JobStatus.FAILED, finished_at=timezone.now(), error=message)
    return job


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
            actor=actor, action=AuditAction.UPDATE if existing else AuditAction.CREATE,
            instance=template, before=before, after=_snapshot(template), unit_id=unit.pk,
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
