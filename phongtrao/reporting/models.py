"""Data values and the submissions that carry them up the hierarchy.

A value belongs to an indicator, a unit and a period (DHIS2 style), not to a form: two forms
that share an indicator share its value. A submission is one unit's answer to one form for one
period, and its status decides whether the values it covers can still change.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from phongtrao.core import jobs
from phongtrao.units.scope import ScopedQuerySet


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class ValueState(models.TextChoices):
    """Where a value stands in its report's workflow: that of the most advanced report of its
    unit and period whose form holds the indicator (a returned report is a draft again)."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")


class ValueSource(models.TextChoices):
    WEB = "web", _("entered")
    IMPORT = "import", _("imported")
    EXTRACT = "extract", _("extracted from a report")
    REGISTRY = "registry", _("counted from the registries")
    # Written by the operator's history load (`values import --allow-closed`) into a period
    # whose entry had closed, or into a report already sent: past years brought in at once.
    HISTORY = "history", _("loaded as history")


class SubmissionQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"


class Submission(models.Model):
    form = models.ForeignKey(
        "catalog.ReportForm", verbose_name=_("form"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("period"), max_length=8)
    status = models.CharField(
        _("status"), max_length=16, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    # Bumped on every change, so two people acting on the same submission cannot both win.
    version = models.PositiveIntegerField(_("revision"), default=1)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The approver's unit that approved: only that level or one above it may withdraw it.
    # Empty for an approval by a superuser (national) or given before levels were recorded.
    approved_unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("approved at unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The approver's own words on approving, shown with the approval.
    approved_comment = models.TextField(_("approval comment"), blank=True)
    # The submitter's explanation of the warnings the rules raised.
    comment = models.TextField(_("comment"), blank=True)
    returned_reason = models.TextField(_("reason for return"), blank=True)
    # Who last returned the report (or withdrew its approval) and when; shown while returned.
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("returned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # An approver may reopen entry after the lock date until this day.
    reopened_until = models.DateField(_("reopened until"), null=True, blank=True)
    # Set when a history load (`values import --allow-closed`) approved the report: the file it
    # came from. Nobody approved it (`approved_by` is empty); its figures are past years'.
    history_import = models.ForeignKey(
        "reporting.ValueImport",
        verbose_name=_("history load"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["form", "unit", "period"], name="submission_form_unit_period_unique"
            )
        ]
        indexes = [models.Index(fields=["form", "period", "status"])]

    def __str__(self) -> str:
        # Read in the audit; the services that save a submission have its form and unit loaded.
        return f"{self.form.code} · {self.unit.name} · {self.period}"


class DataValueQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"


class DataValue(models.Model):
    # Every index costs each imported value, so there are three besides the key: the unique
    # (indicator, period, unit), which also serves roll-ups (one indicator, some periods, a
    # subtree), and (unit, period), for a unit's screens and an import's lookups.
    # On PostgreSQL the indicator and the unit are checked by triggers, a whole statement at once,
    # instead of by these foreign keys, which it checks row by row (migration 0007 says how).
    indicator = models.ForeignKey(
        "catalog.Indicator",
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    period = models.CharField(_("period"), max_length=8)
    # The value as stored and exported (DHIS2 keeps strings); `number` is its numeric form,
    # kept so roll-ups are sums in SQL.
    value = models.CharField(_("value"), max_length=1000)
    number = models.DecimalField(
        _("numeric value"), max_digits=24, decimal_places=6, null=True, blank=True
    )
    comment = models.TextField(_("comment"), blank=True)
    version = models.PositiveIntegerField(_("revision"), default=1)
    source = models.CharField(
        _("source"), max_length=16, choices=ValueSource.choices, default=ValueSource.WEB
    )
    # Kept by the workflow (reporting/workflow.py), so a total in one data state is a filter.
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=ValueState.choices,
        default=ValueState.DRAFT,
        # Also in the database: the import writer and restores insert rows in plain SQL.
        db_default=ValueState.DRAFT,
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        # Nothing looks values up by who changed them, and accounts are never deleted (only
        # deactivated), so no index: it would cost every imported value a write.
        db_index=False,
    )

    objects = DataValueQuerySet.as_manager()

    # Its history holds the changes of imports too (`ValueChange`), which the audit does not.
    history_url_name = "reporting:value_history"

    class Meta:
        verbose_name = _("data value")
        verbose_name_plural = _("data values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "unit"],
                name="datavalue_indicator_period_unit_unique",
            ),
            models.CheckConstraint(condition=~Q(value=""), name="datavalue_value_not_empty"),
        ]
        indexes = [models.Index(fields=["unit", "period"])]

    def __str__(self) -> str:
        # Read in the audit; the services that save a value have its indicator and unit loaded.
        return f"{self.indicator.code} · {self.unit.name} · {self.period} = {self.value}"


class ValueImport(models.Model):
    """One imported file that changed values: who, when, which file, how many of each.

    The audit trail holds one event for the import, which links here, and the import holds one
    narrow `ValueChange` per value it created or changed: a full audit event per value would
    cost a million-value file more than writing the values themselves.
    """

    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file_name = models.CharField(_("file"), max_length=255)
    format = models.CharField(_("format"), max_length=16)
    source = models.CharField(
        _("source"), max_length=16, choices=ValueSource.choices, default=ValueSource.IMPORT
    )
    imported = models.PositiveIntegerField(_("values created"), default=0)
    updated = models.PositiveIntegerField(_("values changed"), default=0)
    ignored = models.PositiveIntegerField(_("values unchanged"), default=0)
    # The lowest unit above every value the file changed: who may read the import as a whole.
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unit_path = models.CharField(_("unit path"), max_length=255, blank=True, db_index=True)

    class Meta:
        verbose_name = _("value import")
        verbose_name_plural = _("value imports")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return self.file_name


class ValueChange(models.Model):
    """What one import did to one value: its text and comment before (none when the import
    created it) and after, at the value's new version.

    No foreign-key constraints in the database. A value cleared later is deleted and its
    changes stay, as the audit events of any deleted object do, so the reference to the value
    cannot be one. The import is never deleted, but PostgreSQL would check the reference to it
    row by row, which for a million rows costs seconds; the import writes these rows in the
    same transaction as the import they name.
    """

    value_import = models.ForeignKey(
        ValueImport,
        verbose_name=_("import"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="changes",
    )
    value = models.ForeignKey(
        DataValue,
        verbose_name=_("data value"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("revision"))
    # NULL before: the import created the value; an empty comment before is a comment of "".
    before = models.CharField(_("value before"), max_length=1000, null=True, blank=True)  # noqa: DJ001
    after = models.CharField(_("value after"), max_length=1000)
    before_comment = models.TextField(_("comment before"), null=True, blank=True)  # noqa: DJ001
    after_comment = models.TextField(_("comment after"), blank=True)

    class Meta:
        verbose_name = _("value change")
        verbose_name_plural = _("value changes")
        indexes = [models.Index(fields=["value", "version"])]

    def __str__(self) -> str:
        return f"{self.before or '—'} → {self.after}"

    @property
    def stored_value(self) -> DataValue | None:
        """The value changed, None once it has been deleted (its change stays)."""
        try:
            return self.value
        except DataValue.DoesNotExist:
            return None


class ImportJobStatus(models.TextChoices):
    """core.jobs' statuses, which its claims and recovery write, in the words of an import."""

    PENDING = jobs.JobStatus.PENDING, _("Waiting")
    RUNNING = jobs.JobStatus.RUNNING, _("Importing")
    DONE = jobs.JobStatus.DONE, _("Imported")
    FAILED = jobs.JobStatus.FAILED, _("Failed")


class ImportJob(models.Model):
    """A confirmed import run by a worker (PHONGTRAO_JOBS=worker; core/jobs.py): the page that
    confirmed it follows it here instead of waiting on a long file."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    # The upload waiting under MEDIA_ROOT/imports/ (core/uploads.py), deleted once finished.
    upload = models.CharField(_("upload"), max_length=100)
    file_name = models.CharField(_("file"), max_length=255)
    format = models.CharField(_("format"), max_length=16)
    status = models.CharField(
        _("status"), max_length=16, choices=ImportJobStatus.choices,
        default=ImportJobStatus.PENDING,
    )  # fmt: skip
    progress = models.PositiveIntegerField(_("values checked"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    leased_until = models.DateTimeField(_("leased until"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    value_import = models.ForeignKey(
        ValueImport, verbose_name=_("import"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    imported = models.PositiveIntegerField(_("values created"), default=0)
    updated = models.PositiveIntegerField(_("values changed"), default=0)
    ignored = models.PositiveIntegerField(_("values unchanged"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in jobs.JobStatus.FINISHED
