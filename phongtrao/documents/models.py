"""Report jobs (a document being written in the background) and per-province templates."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from phongtrao.analytics.states import DEFAULT_STATE, STATE_LABELS, DataState
from phongtrao.core import jobs
from phongtrao.reporting.selectors import Boundaries
from phongtrao.units.scope import ScopedQuerySet

# Which data a report is written from (analytics/states.py): the default first.
STATE_CHOICES = [
    (state.value, STATE_LABELS[state])
    for state in (DataState.SUBMITTED, DataState.APPROVED, DataState.ALL)
]


class DocumentFormat(models.TextChoices):
    DOCX = "docx", "DOCX (Word)"
    PDF = "pdf", "PDF"
    XLSX = "xlsx", _("XLSX (annex tables)")


class ReportKind(models.TextChoices):
    """Which report: each kind has its title, wording and annex (documents/kinds.py)."""

    FESTIVAL = "festival", _("Festival report")
    MOVEMENT = "movement", _("Movement yearly report")


class JobStatus(models.TextChoices):
    """core.jobs' statuses, which its claims and recovery write, in the words of a report."""

    PENDING = jobs.JobStatus.PENDING, _("Waiting")
    RUNNING = jobs.JobStatus.RUNNING, _("Writing")
    DONE = jobs.JobStatus.DONE, _("Ready")
    FAILED = jobs.JobStatus.FAILED, _("Failed")


class ReportJobQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"


# On the model too, so the audit, the list of reports and the job's page show "today's units",
# not "current"; the file name says the same in ASCII (services.BOUNDARY_SUFFIXES).
BOUNDARY_CHOICES = [
    (Boundaries.HISTORICAL.value, _("as they were that year")),
    (Boundaries.CURRENT.value, _("today's units")),
]


class ReportJob(models.Model):
    """One document asked for; the row records how far it got and where the file is."""

    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(
        _("report"), max_length=16, choices=ReportKind.choices, default=ReportKind.FESTIVAL
    )
    year = models.PositiveSmallIntegerField(_("year"))
    boundaries = models.CharField(_("boundaries"), max_length=16, choices=BOUNDARY_CHOICES)
    state = models.CharField(
        _("data"), max_length=16, choices=STATE_CHOICES, default=DEFAULT_STATE.value
    )
    format = models.CharField(_("format"), max_length=8, choices=DocumentFormat.choices)
    use_builtin = models.BooleanField(_("built-in template"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    error = models.TextField(_("error"), blank=True)
    # How many times a worker took the job, and until when the one running it holds it: a
    # worker renews its lease while it runs, so one that ran out lost its worker (core/jobs.py).
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    leased_until = models.DateTimeField(_("leased until"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="documents/reports/%Y/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ReportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="report_job_progress_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year} · {self.unit} ({self.format.upper()})"

    @property
    def is_finished(self) -> bool:
        return self.status in jobs.JobStatus.FINISHED


class DocumentTemplateQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"


class DocumentTemplate(models.Model):
    """A province's own DOCX template of one kind of report, edited in Word."""

    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=pgettext_lazy("unit", "province"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(
        _("report"), max_length=16, choices=ReportKind.choices, default=ReportKind.FESTIVAL
    )
    file = models.FileField(_("file"), upload_to="documents/templates/")
    original_name = models.CharField(_("file name"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now=True)

    objects = DocumentTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind"], name="document_template_unit_kind")
        ]

    def __str__(self) -> str:
        return f"{self.unit} ({self.get_kind_display()}): {self.original_name}"
