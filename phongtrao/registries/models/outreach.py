"""Outreach activities: news, broadcasts, meetings, counted only as numbers."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from phongtrao.registries.models.base import RegistryEntry


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
