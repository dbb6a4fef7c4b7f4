"""Reads of notifications: a user's list, the unread count, the sentence each one says."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from phongtrao.catalog.periods import period_parse
from phongtrao.core.errors import AppError
from phongtrao.notifications.models import Notification, NotificationKind


def notifications_for(*, user: Any) -> QuerySet[Notification]:
    """The user's notifications, newest first, with what their sentences name."""
    return (
        Notification.objects.filter(recipient=user)
        .select_related("actor", "unit", "form")
        .order_by("-created_at", "-pk")
    )


def unread_count(*, user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def _period_label(period: str) -> str:
    try:
        return period_parse(period).label
    except AppError:
        return period


def notification_message(notification: Notification) -> str:
    """What the notification says, in the reader's language: who did what to which report."""
    sentences = {
        NotificationKind.SUBMITTED: _(
            "%(actor)s sent the report “%(form)s” of %(unit)s for %(period)s for approval."
        ),
        NotificationKind.RETURNED: _(
            "%(actor)s returned the report “%(form)s” of %(unit)s for %(period)s."
        ),
        NotificationKind.APPROVED: _(
            "%(actor)s approved the report “%(form)s” of %(unit)s for %(period)s."
        ),
        NotificationKind.UNAPPROVED: _(
            "%(actor)s withdrew the approval of the report “%(form)s” of %(unit)s for "
            "%(period)s; it is returned."
        ),
    }
    actor = notification.actor
    return sentences[notification.kind] % {
        "actor": str(actor) if actor else _("Someone"),
        "form": notification.form.name,
        "unit": notification.unit.name,
        "period": _period_label(notification.period),
    }
