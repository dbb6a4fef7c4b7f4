"""Emulation pacts between police units and their partners."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from phongtrao.registries.models.attachments import Attachment
from phongtrao.registries.models.base import RegistryEntry


class Pact(Attachment, RegistryEntry):
    """An emulation pact: the police unit is `unit`; partners are units or named organisations."""

    signed_on = models.DateField(_("date signed"))
    partners = models.ManyToManyField(
        "units.Unit", verbose_name=_("partner units"), blank=True, related_name="+"
    )
    partner_names = models.TextField(
        _("other partners"), blank=True,
        help_text=_("Unions, associations and other organisations not in the unit list."),
    )  # fmt: skip
    content = models.TextField(_("content"))
    evaluation = models.TextField(_("year-end evaluation"), blank=True)

    search_fields = ("content", "partner_names", "evaluation")
    date_field = "signed_on"

    class Meta:
        verbose_name = _("emulation pact")
        verbose_name_plural = _("emulation pacts")
        ordering = ["-signed_on", "pk"]

    def __str__(self) -> str:
        return _("Pact of %(date)s") % {"date": f"{self.signed_on:%d/%m/%Y}"}

    def clean_links(self, links: dict[str, list]) -> None:
        """A pact is signed with one or more partners: units, named organisations, or both."""
        if not links.get("partners") and not (self.partner_names or "").strip():
            raise ValidationError(
                {
                    "partners": _(
                        "A pact needs at least one partner: choose a partner unit or write the "
                        "other partners."
                    )
                }
            )
