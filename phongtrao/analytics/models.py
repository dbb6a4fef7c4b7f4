"""Maintained totals: what every unit's subtree holds, kept by the database itself.

`UnitAncestor` lists, for every unit, the units above it (from its materialised path).
`SubtreeTotal` holds, per unit, indicator, stored period and value state, how many numbers the
units strictly below it hold and their sum. Triggers on the values and the units tables
(migrations 0001 and 0002; SQL in `triggers.py`) change both in the same transaction as the
write that changes what they count, whoever writes: a cell save, an import's COPY, a workflow
step, a restore. The engine (rollup.py) adds a unit's own values to its row.

Both are derived data: backups leave them out and `phongtrao analytics check` compares them
with a full recount.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from phongtrao.core import jobs


class UnitAncestor(models.Model):
    unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="ancestors",
    )
    ancestor = models.ForeignKey(
        "units.Unit",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )

    class Meta:
        verbose_name = _("unit ancestor")
        verbose_name_plural = _("unit ancestors")
        constraints = [
            models.UniqueConstraint(fields=["unit", "ancestor"], name="unit_ancestor_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} < {self.ancestor_id}"


class SubtreeTotal(models.Model):
    # Named by the unit whose subtree it counts; the values of that unit itself are not in it.
    unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    indicator = models.ForeignKey(
        "catalog.Indicator",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    period = models.CharField(max_length=8)
    state = models.CharField(max_length=16)
    count = models.BigIntegerField(default=0)
    total = models.DecimalField(max_digits=30, decimal_places=6, default=0)

    class Meta:
        verbose_name = _("subtree total")
        verbose_name_plural = _("subtree totals")
        constraints = [
            # Also the index every read goes through, units and periods first: a pivot asks for
            # some units and periods and reads every indicator of them, 1,200 probes for the
            # provinces in a year where (unit, indicator, period, state) made 122,000.
            models.UniqueConstraint(
                fields=["unit", "period", "indicator", "state"], name="subtree_total_unit_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} · {self.indicator_id} · {self.period} · {self.state}"


class RecountJobStatus(models.TextChoices):
    """core.jobs' statuses, which its claims and recovery write, in the words of a recount."""

    PENDING = jobs.JobStatus.PENDING, _("Waiting")
    RUNNING = jobs.JobStatus.RUNNING, _("Recounting")
    DONE = jobs.JobStatus.DONE, _("Done")
    FAILED = jobs.JobStatus.FAILED, _("Failed")


ACTIVE_STATUSES = (RecountJobStatus.PENDING, RecountJobStatus.RUNNING)


class RecountJob(models.Model):
    """A recount of every subtree total (`totals_rebuild`) run on the queue (core/jobs.py), so a
    page or the command line asks for it and follows it instead of holding a request open."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("asked by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=16, choices=RecountJobStatus.choices,
        default=RecountJobStatus.PENDING,
    )  # fmt: skip
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    leased_until = models.DateTimeField(_("leased until"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    totals = models.PositiveIntegerField(_("totals written"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recount job")
        verbose_name_plural = _("recount jobs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One recount waiting or running at a time, whichever app server was asked: a
            # second would only redo the first's work and wait on its locks.
            models.UniqueConstraint(
                models.Value(True),
                condition=Q(status__in=ACTIVE_STATUSES),
                name="recount_job_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.pk} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in jobs.JobStatus.FINISHED


# Rebuilt from the values, never backed up (ops/backup.py).
DERIVED_MODELS = (UnitAncestor, SubtreeTotal)
