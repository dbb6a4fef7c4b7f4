"""What each notification says, and a user's list and unread count."""

import pytest

from phongtrao.notifications.models import NotificationKind
from phongtrao.notifications.selectors import (
    notification_message,
    notifications_for,
    unread_count,
)
from phongtrao.notifications.services import notifications_send

pytestmark = pytest.mark.django_db

FORM = "“Báo cáo kết quả tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc”"


WHO, WHAT = "Trần Thị Bình đã", f"{FORM} của Xã Bờ Y, Năm 2025"


@pytest.mark.parametrize(
    ("kind", "sentence"),
    [
        (NotificationKind.SUBMITTED, f"{WHO} gửi báo cáo {WHAT}, chờ duyệt."),
        (NotificationKind.RETURNED, f"{WHO} trả lại báo cáo {WHAT}."),
        (NotificationKind.APPROVED, f"{WHO} duyệt báo cáo {WHAT}."),
        (NotificationKind.UNAPPROVED, f"{WHO} hủy duyệt báo cáo {WHAT}; báo cáo được trả lại."),
    ],
)
def test_each_kind_says_who_did_what_to_which_report(approver, clerk, report, kind, sentence):
    (notification,) = notifications_send(
        actor=approver, recipients=[clerk], kind=kind, report=report
    )
    assert notification_message(notification) == sentence


def test_a_notification_whose_actor_is_gone_says_someone(approver, clerk, report):
    (notification,) = notifications_send(
        actor=approver, recipients=[clerk], kind=NotificationKind.APPROVED, report=report
    )
    approver.delete()
    notification.refresh_from_db()
    assert notification_message(notification).startswith("Một người dùng đã duyệt báo cáo")


def test_a_users_list_holds_only_theirs_and_counts_the_unread(approver, clerk, report):
    mine = notifications_send(
        actor=approver, recipients=[clerk], kind=NotificationKind.RETURNED, report=report
    )
    notifications_send(
        actor=clerk, recipients=[approver], kind=NotificationKind.SUBMITTED, report=report
    )
    assert (list(notifications_for(user=clerk)), unread_count(user=clerk)) == (mine, 1)
