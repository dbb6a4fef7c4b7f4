"""Every write of notifications. Other apps' services call `notifications_send` inside their own
transaction, so a report's change and the notice of it are saved together or not at all.

Notifications are not audited: the change they tell of is (the report's own audit event), and
reading one is the recipient's own bookkeeping, not a change of the system's data.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from phongtrao.catalog.models import ReportForm
from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.notifications.models import Notification
from phongtrao.notifications.selectors import notification_message
from phongtrao.units.models import Unit

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReportRef:
    """The report a notification is about, and the path of its screen."""

    unit: Unit
    form: ReportForm
    period: str
    link: str


def notifications_send(
    *, actor: Any, recipients: Iterable[Any], kind: str, report: ReportRef, text: str = ""
) -> list[Notification]:
    """One notification per active recipient, each told once; the actor is never told of their
    own act. When e-mail is configured they are e-mailed too, once the transaction commits."""
    return notifications_send_many(actor=actor, kind=kind, told=[(report, recipients)], text=text)


@transaction.atomic
def notifications_send_many(
    *,
    actor: Any,
    kind: str,
    told: Iterable[tuple[ReportRef, Iterable[Any]]],
    text: str = "",
) -> list[Notification]:
    """`notifications_send` for one step taken on many reports at once (a bulk approval): each
    report's recipients told of it as `notifications_send` would, in one insert for all."""
    rows = []
    for report, recipients in told:
        seen = {getattr(actor, "pk", None)}
        for user in recipients:
            if user.pk in seen or not user.is_active:
                continue
            seen.add(user.pk)
            row = Notification(
                recipient=user, kind=kind, actor=actor, unit=report.unit, form=report.form,
                period=report.period, link=report.link, text=text.strip(),
            )  # fmt: skip
            # The related objects are in hand: checking that they exist would cost a query each.
            row.full_clean(exclude=["recipient", "actor", "unit", "form"])
            rows.append(row)
    created = Notification.objects.bulk_create(rows)
    if created and settings.PHONGTRAO_EMAIL_NOTIFICATIONS:
        ids = [n.pk for n in created]
        transaction.on_commit(lambda: notifications_email(ids=ids))
    return created


def notifications_email(*, ids: list[int]) -> int:
    """E-mail the notifications to those of their recipients who have an address; returns how
    many were sent. Runs after commit: a mail server that fails is logged and the
    notifications stay in the app, the change they tell of already saved."""
    notifications = list(
        Notification.objects.filter(pk__in=ids)
        .exclude(recipient__email="")
        .select_related("recipient", "actor", "unit", "form")
        .order_by("pk")
    )
    if not notifications:
        return 0
    sent = 0
    try:
        connection = get_connection(fail_silently=False)
        connection.open()
    except Exception:
        logger.exception("The mail server could not be reached; %d notifications not e-mailed.",
                         len(notifications))  # fmt: skip
        return 0
    try:
        for notification in notifications:
            try:
                _message(notification, connection).send()
                sent += 1
            except Exception:
                logger.exception("Notification %d could not be e-mailed.", notification.pk)
    finally:
        connection.close()
    return sent


def _message(notification: Notification, connection: Any) -> EmailMessage:
    # Written in the site's language: a mail is read outside any request.
    with translation.override(settings.LANGUAGE_CODE):
        site = _("Phong Trào")
        subject = f"[{site}] {notification.get_kind_display()}"
        lines = [notification_message(notification)]
        if notification.text:
            lines.append(notification.text)
        lines.append(f"{settings.PHONGTRAO_BASE_URL}{notification.link}")
    return EmailMessage(
        subject=subject,
        body="\n\n".join(lines),
        to=[notification.recipient.email],
        connection=connection,
    )


def notification_mark_read(*, actor: Any, notification: Notification) -> Notification:
    """Mark the actor's own notification read; someone else's answers as missing."""
    if notification.recipient_id != actor.pk:
        raise AppError(ErrorCode.NOT_FOUND, _("Notification not found."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_mark_all_read(*, actor: Any) -> int:
    """Mark every unread notification of the actor read; returns how many."""
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
