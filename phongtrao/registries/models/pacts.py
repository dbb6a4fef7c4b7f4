"""Emulation pacts, commendations, outreach and field deployments."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from phongtrao.registries.models.base import RegistryEntry


class Attachment(models.Model):
    """A file kept under MEDIA_ROOT/registries, served only through a scoped view."""

    attachment = models.CharField(_("attached file"), max_length=300, blank=True, editable=False)
    attachment_name = models.CharField(
        _("attached file name"), max_length=200, blank=True, editable=False
    )

    class Meta:
        abstract = True


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

    form = models.CharField(_("form"), max_length=16, choices=AwardForm.choices)
    authority = models.CharField(_("issuing authority"), max_length=300)
    authority_level = models.CharField(
        _("authority level"), max_length=10, choices=AuthorityLevel.choices
    )
    decision_number = models.CharField(_("decision number"), max_length=60)
    decision_date = models.DateField(_("decision date"))
    recipient_kind = models.CharField(_("recipient"), max_length=12, choices=RecipientKind.choices)
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


class Channel(models.TextChoices):
    WEB_NEWS = "web_news", _("news on websites")
    TELEVISION = "television", _("television")
    RADIO = "radio", _("radio and loudspeakers")
    BANNERS = "banners", _("banners and slogans")
    MEETING = "meeting", _("conferences and residents' meetings")
    SEMINAR = "seminar", _("seminars")
    CULTURAL = "cultural", _("cultural, art and sports exchanges")
    SOCIAL = "social", _("social networks")


class OutreachActivity(RegistryEntry):
    """Outcomes only as numbers: no list of the people reached is kept."""

    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    held_on = models.DateField(_("date"))
    items = models.PositiveIntegerField(_("items or sessions"), default=1)
    audience = models.PositiveIntegerField(_("audience reached"), default=0)
    topic = models.CharField(_("topic"), max_length=300)

    search_fields = ("topic",)
    date_field = "held_on"

    class Meta:
        verbose_name = _("outreach activity")
        verbose_name_plural = _("outreach activities")
        ordering = ["-held_on", "pk"]

    def __str__(self) -> str:
        return self.topic


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
