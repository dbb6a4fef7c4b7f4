"""What a user is told about a report: one row per recipient, read or not.

A notification names the report (unit, form, period) and keeps the link to its screen, which
the app that sends it builds: this app stands below reporting and knows none of its pages.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    SUBMITTED = "submitted", _("Report sent for approval")
    RETURNED = "returned", _("Report returned")
    APPROVED = "approved", _("Report approved")
    UNAPPROVED = "unapproved", _("Approval withdrawn")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=NotificationKind.choices)
    # Who did what the notification tells; empty when that account is gone.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    form = models.ForeignKey(
        "catalog.ReportForm", verbose_name=_("form"), on_delete=models.CASCADE, related_name="+"
    )
    period = models.CharField(_("period"), max_length=8)
    link = models.CharField(_("link"), max_length=300)
    # The actor's own words: the reason for a return, the approver's comment.
    text = models.TextField(_("text"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        # The bell counts a user's unread ones; the list reads a user's newest first.
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notification_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.period} → {self.recipient_id}"
