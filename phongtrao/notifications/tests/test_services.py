"""Sending notifications, e-mailing them after commit, and marking them read."""

import socket

import pytest

from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.notifications.models import Notification, NotificationKind
from phongtrao.notifications.services import (
    notification_mark_read,
    notifications_email,
    notifications_mark_all_read,
    notifications_send,
)

pytestmark = pytest.mark.django_db


def _send(actor, recipients, report, text="Thiếu số liệu"):
    return notifications_send(
        actor=actor, recipients=recipients, kind=NotificationKind.RETURNED, report=report,
        text=text,
    )  # fmt: skip


def test_each_recipient_is_told_once_and_never_the_actor(approver, clerk, report, make_user):
    # given the clerk named twice, and the approver among the recipients
    # when the approver's act is told
    _send(approver, [clerk, clerk, approver], report)
    # then the clerk gets one notification, unread, naming the report; the approver none
    rows = Notification.objects.values_list(
        "recipient__username", "kind", "actor__username", "unit__name", "form__code", "period",
        "link", "text", "read_at",
    )  # fmt: skip
    assert list(rows) == [
        ("boy_clerk", "returned", "qn_approver", "Xã Bờ Y", "FESTIVAL", "2025", report.link,
         "Thiếu số liệu", None),
    ]  # fmt: skip


def test_no_mail_is_sent_when_no_mail_server_is_configured(
    approver, clerk, report, mailoutbox, settings, django_capture_on_commit_callbacks
):
    # given no PHONGTRAO_EMAIL_HOST (the default) and a clerk with an address
    settings.PHONGTRAO_EMAIL_NOTIFICATIONS = False
    clerk.email = "clerk@boy.example.vn"
    clerk.save(update_fields=["email"])
    # when a notification is sent and the transaction commits
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _send(approver, [clerk], report)
    # then it stays in the app
    assert (len(callbacks), len(mailoutbox), Notification.objects.count()) == (0, 0, 1)


def test_a_configured_mail_server_gets_each_notification_after_commit(
    approver, clerk, report, mailoutbox, settings, django_capture_on_commit_callbacks,
    make_user, bo_y,
):  # fmt: skip
    # given mail configured, one clerk with an address and one without
    settings.PHONGTRAO_EMAIL_NOTIFICATIONS = True
    settings.PHONGTRAO_BASE_URL = "https://phongtrao.example.vn"
    clerk.email = "clerk@boy.example.vn"
    clerk.save(update_fields=["email"])
    silent = make_user("boy_clerk_nomail", "data_entry", (bo_y,))
    # when a notification is sent
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _send(approver, [clerk, silent], report)
    # then nothing is mailed before the commit
    assert len(mailoutbox) == 0
    for callback in callbacks:
        callback()
    # and after it, one mail, to the clerk with an address, saying who did what and where
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["clerk@boy.example.vn"], "[Phong Trào] Báo cáo bị trả lại")
    ]
    assert mailoutbox[0].body == (
        "Trần Thị Bình đã trả lại báo cáo “Báo cáo kết quả tổ chức Ngày hội toàn dân bảo vệ "
        "an ninh Tổ quốc” của Xã Bờ Y, Năm 2025.\n\nThiếu số liệu\n\n"
        f"https://phongtrao.example.vn{report.link}"
    )


def test_a_mail_server_that_fails_is_logged_and_the_notification_kept(
    approver, clerk, report, settings, caplog
):
    # given an SMTP server that refuses connections (a port nothing listens on)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    settings.EMAIL_USE_TLS = False
    clerk.email = "clerk@boy.example.vn"
    clerk.save(update_fields=["email"])
    sent = _send(approver, [clerk], report)
    # when it is e-mailed
    mailed = notifications_email(ids=[n.pk for n in sent])
    # then nothing is mailed, the failure is logged, the notification stays
    assert mailed == 0
    assert "could not be reached; 1 notifications not e-mailed" in caplog.text
    assert Notification.objects.filter(recipient=clerk, read_at__isnull=True).count() == 1


def test_opening_ones_own_notification_marks_it_read(approver, clerk, report):
    notification = _send(approver, [clerk], report)[0]
    notification_mark_read(actor=clerk, notification=notification)
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_someone_elses_notification_is_not_found_and_stays_unread(approver, clerk, report):
    notification = _send(approver, [clerk], report)[0]
    with pytest.raises(AppError) as refused:
        notification_mark_read(actor=approver, notification=notification)
    notification.refresh_from_db()
    assert (refused.value.code, notification.read_at) == (ErrorCode.NOT_FOUND, None)


def test_mark_all_read_marks_only_the_actors_unread_ones(approver, clerk, report, make_user, bo_y):
    # given two for the clerk (one already read) and one for another clerk
    other = make_user("boy_other", "data_entry", (bo_y,))
    first, _second = _send(approver, [clerk], report) + _send(approver, [clerk], report)
    notification_mark_read(actor=clerk, notification=first)
    _send(approver, [other], report)
    # when the clerk marks all read
    count = notifications_mark_all_read(actor=clerk)
    # then one more was marked, and the other clerk's is still unread
    assert count == 1
    assert Notification.objects.filter(read_at__isnull=True).count() == 1
    assert Notification.objects.get(read_at__isnull=True).recipient == other
