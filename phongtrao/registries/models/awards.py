"""Commendations: orders, medals, certificates and praise, collective or individual."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from phongtrao.registries.models.base import RegistryEntry


class AwardForm(models.TextChoices):
    ORDER = "order", _("Order (Huân chương)")
    MEDAL = "medal", _("Medal (Huy chương)")
    CERTIFICATE = "certificate", _("Certificate of merit (Bằng khen)")
    COMMENDATION = "commendation", _("Letter of merit (Giấy khen)")
    BADGE = "badge", _("Badge “Bảo vệ an ninh Tổ quốc”")
    LETTER = "letter", _("Letter of praise (Thư khen)")
    PRAISE = "praise", _("Public praise (Biểu dương)")


class AuthorityLevel(models.TextChoices):
    CENTRAL = "central", _("central")
    MINISTRY = "ministry", _("ministry")
    PROVINCE = "province", _("province")
    COMMUNE = "commune", _("commune")


class RecipientKind(models.TextChoices):
    COLLECTIVE = "collective", _("collective")
    INDIVIDUAL = "individual", _("individual")


class Award(RegistryEntry):
    """A commendation; individuals are named here, one of the few personal data the app keeps."""

    form = models.CharField(
        pgettext_lazy("award", "form"), max_length=16, choices=AwardForm.choices
    )
    authority = models.CharField(_("issuing authority"), max_length=300)
    authority_level = models.CharField(
        _("authority level"), max_length=10, choices=AuthorityLevel.choices
    )
    decision_number = models.CharField(_("decision number"), max_length=60)
    decision_date = models.DateField(_("decision date"))
    recipient_kind = models.CharField(
        pgettext_lazy("award", "recipient"), max_length=12, choices=RecipientKind.choices
    )
    recipient_unit = models.ForeignKey(
        "units.Unit", verbose_name=_("recipient unit"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    recipient_name = models.CharField(
        _("recipient name"), max_length=200, blank=True,
        help_text=_("A person's full name, or an organisation not in the unit list."),
    )  # fmt: skip
    position = models.CharField(_("position"), max_length=200, blank=True)
    workplace = models.CharField(_("workplace"), max_length=300, blank=True)
    achievement = models.TextField(_("achievement"))

    search_fields = ("recipient_name", "decision_number", "authority", "achievement")
    date_field = "decision_date"

    class Meta:
        verbose_name = _("commendation")
        verbose_name_plural = _("commendations")
        ordering = ["-decision_date", "decision_number", "pk"]

    def __str__(self) -> str:
        return f"{self.recipient_display} · {self.decision_number}"

    @property
    def recipient_display(self) -> str:
        if self.recipient_name:
            return self.recipient_name
        return self.recipient_unit.name if self.recipient_unit_id else ""

    def clean(self) -> None:
        if self.recipient_kind == RecipientKind.INDIVIDUAL:
            if not self.recipient_name:
                raise ValidationError({"recipient_name": _("Write the person's full name.")})
            if self.recipient_unit_id:
                raise ValidationError(
                    {"recipient_unit": _("An individual is not a unit; write the workplace.")}
                )
        elif self.recipient_kind == RecipientKind.COLLECTIVE:
            if bool(self.recipient_unit_id) == bool(self.recipient_name):
                raise ValidationError(
                    {"recipient_unit": _("Choose the unit or write the organisation's name.")}
                )
            if self.position:
                raise ValidationError({"position": _("A collective has no position.")})
