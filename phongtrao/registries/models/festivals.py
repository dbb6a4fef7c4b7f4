"""Festival day events (Ngày hội toàn dân bảo vệ ANTQ) and their photos."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from phongtrao.core.models import TimestampedModel
from phongtrao.registries.models.base import RegistryEntry


class FestivalEvent(RegistryEntry):
    held_on = models.DateField(_("date"))
    venue = models.CharField(_("venue"), max_length=300)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    guests = models.TextField(_("guests and leaders present"), blank=True)
    has_rally = models.BooleanField(_("rally"), default=False)
    has_commendation = models.BooleanField(_("commendation"), default=False)
    has_pact_signing = models.BooleanField(_("pact signing"), default=False)
    has_cultural_sports = models.BooleanField(_("cultural and sports exchange"), default=False)
    has_gratitude = models.BooleanField(_("gratitude visits"), default=False)
    has_gifts = models.BooleanField(_("gifts"), default=False)
    gifts_value_vnd = models.DecimalField(
        _("value of gifts (đồng)"), max_digits=18, decimal_places=0, default=0
    )
    description = models.TextField(_("description"), blank=True)

    search_fields = ("venue", "guests", "description")
    date_field = "held_on"

    class Meta:
        verbose_name = _("festival event")
        verbose_name_plural = _("festival events")
        ordering = ["-held_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(gifts_value_vnd__gte=0), name="festival_gifts_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.venue} ({self.held_on:%d/%m/%Y})"


class FestivalPhoto(TimestampedModel):
    """A photo re-encoded without its metadata; paths are relative to MEDIA_ROOT/registries."""

    event = models.ForeignKey(
        FestivalEvent, verbose_name=_("festival event"), on_delete=models.CASCADE,
        related_name="photos",
    )  # fmt: skip
    image = models.CharField(_("image"), max_length=300, editable=False)
    thumbnail = models.CharField(_("thumbnail"), max_length=300, editable=False)
    original_name = models.CharField(_("file name"), max_length=200)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("uploaded by"),
    )  # fmt: skip
    # The audit shows the file's name, not where it is stored.
    audit_hidden = ("image", "thumbnail")

    class Meta:
        verbose_name = _("festival photo")
        verbose_name_plural = _("festival photos")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.caption or self.original_name
