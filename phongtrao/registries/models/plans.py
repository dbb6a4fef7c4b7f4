"""Plans (kế hoạch) issued by a unit, the units they direct and who has reported back."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from phongtrao.core.models import TimestampedModel
from phongtrao.registries.models.attachments import Attachment
from phongtrao.registries.models.base import RegistryEntry


class Plan(Attachment, RegistryEntry):
    number = models.CharField(
        _("number and symbol"), max_length=60, help_text=_("Such as 45/KH-CAT.")
    )
    issued_on = models.DateField(_("date issued"))
    title = models.CharField(_("title"), max_length=500)
    directed_units = models.ManyToManyField(
        "units.Unit", verbose_name=_("units directed"), blank=True, related_name="+"
    )

    search_fields = ("number", "title")
    date_field = "issued_on"

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-issued_on", "pk"]

    def __str__(self) -> str:
        return f"{self.number} · {self.title}"


class PlanReport(TimestampedModel):
    """A directed unit has reported back on the plan."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="reports"
    )
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    reported_on = models.DateField(_("reported on"))

    class Meta:
        verbose_name = _("plan report")
        verbose_name_plural = _("plan reports")
        constraints = [models.UniqueConstraint(fields=["plan", "unit"], name="plan_report_unique")]

    def __str__(self) -> str:
        return f"{self.plan} · {self.unit}"
