"""Field deployments: officers sent to a key area."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from phongtrao.registries.models.base import RegistryEntry


class FieldMission(RegistryEntry):
    """Officers sent to a key area; `unit` sends them, `key_area` receives them."""

    key_area = models.ForeignKey(
        "units.Unit", verbose_name=_("key area"), on_delete=models.PROTECT, related_name="+"
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("to"))
    officer_visits = models.PositiveIntegerField(_("officer-visits"))
    activities = models.TextField(_("what was done"))
    households_visited = models.PositiveIntegerField(_("households visited"), default=0)
    meetings_held = models.PositiveIntegerField(_("meetings held"), default=0)
    issues_resolved = models.PositiveIntegerField(_("issues resolved"), default=0)

    search_fields = ("activities",)
    date_field = "started_on"

    class Meta:
        verbose_name = _("field deployment")
        verbose_name_plural = _("field deployments")
        ordering = ["-started_on", "pk"]

    def __str__(self) -> str:
        return f"{self.key_area} ({self.started_on:%d/%m/%Y})"

    def clean(self) -> None:
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": _("The end date must not be before the start.")})
