"""The bell in the menu, the list of notifications, opening one, marking all read."""

import pytest
from django.urls import reverse

from phongtrao.notifications.models import Notification, NotificationKind
from phongtrao.notifications.services import notifications_send
from phongtrao.notifications.views import PER_PAGE

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")


def _send(approver, clerk, report, count=1, kind=NotificationKind.RETURNED, text="Thiếu"):
    sent = []
    for _ in range(count):
        sent += notifications_send(
            actor=approver, recipients=[clerk], kind=kind, report=report, text=text
        )
    return sent


def test_the_bell_shows_the_unread_count(client, approver, clerk, report):
    # given three notifications for the clerk, one of them read
    first, *_ = _send(approver, clerk, report, count=3)
    Notification.objects.filter(pk=first.pk).update(read_at=first.created_at)
    client.force_login(clerk)
    # when any page is opened
    html = client.get(reverse("home")).content.decode()
    # then the bell says 2
    assert 'id="notification-count" aria-label="2 chưa đọc">2</span>' in html


def test_a_large_unread_count_is_written_the_vietnamese_way(client, approver, clerk, report):
    # given 1.200 unread notifications, copied from one in a single statement
    (first,) = _send(approver, clerk, report)
    copies = [Notification(recipient=clerk, kind=first.kind, actor=approver, unit=first.unit,
                           form=first.form, period=first.period, link=first.link, text=first.text)
              for _ in range(1199)]  # fmt: skip
    Notification.objects.bulk_create(copies)
    client.force_login(clerk)
    # when any page is opened
    html = client.get(reverse("home")).content.decode()
    # then the bell groups the thousands with a dot
    assert 'id="notification-count" aria-label="1.200 chưa đọc">1.200</span>' in html


def test_no_count_without_unread_notifications(client, clerk):
    client.force_login(clerk)
    html = client.get(reverse("home")).content.decode()
    assert 'id="notification-bell"' in html and "notification-count" not in html


def test_the_bell_costs_no_query_however_many_notifications(
    client, approver, clerk, report, django_assert_num_queries
):
    # given one unread notification, the list page's queries counted
    _send(approver, clerk, report)
    client.force_login(clerk)
    with django_assert_num_queries(4):
        assert client.get(LIST).status_code == 200
    # when 30 more arrive (the page still lists 20)
    _send(approver, clerk, report, count=30)
    # then the page, bell included, costs exactly as many
    with django_assert_num_queries(4) as captured:
        html = client.get(LIST).content.decode()
    assert 'aria-label="31 chưa đọc">31</span>' in html
    # and the count came with the user's own query, which reads the notifications table once
    assert sum("notifications_notification" in q["sql"] for q in captured.captured_queries) == 3


def test_the_list_is_newest_first_twenty_a_page_and_says_who_did_what(
    client, approver, clerk, report
):
    # given 21 notifications, the newest an approval
    _send(approver, clerk, report, count=PER_PAGE)
    _send(approver, clerk, report, kind=NotificationKind.APPROVED, text="Đạt")
    client.force_login(clerk)
    # when the list is read
    first = client.get(LIST)
    second = client.get(LIST, {"page": 2})
    # then 20 then 1, the approval first, linking to its report through "open"
    rows = first.context["rows"]
    assert (len(rows), len(second.context["rows"])) == (20, 1)
    notification, message = rows[0]
    assert message == (
        "Trần Thị Bình đã duyệt báo cáo “Báo cáo kết quả tổ chức Ngày hội toàn dân bảo vệ an "
        "ninh Tổ quốc” của Xã Bờ Y, Năm 2025."
    )
    html = first.content.decode()
    assert f'href="{reverse("notifications:open", args=[notification.pk])}"' in html
    assert "Đánh dấu tất cả đã đọc" in html


def test_opening_a_notification_marks_it_read_and_goes_to_the_report(
    client, approver, clerk, report
):
    (notification,) = _send(approver, clerk, report)
    client.force_login(clerk)
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    notification.refresh_from_db()
    assert (response.status_code, response["Location"]) == (302, report.link)
    assert notification.read_at is not None


def test_another_users_notification_is_not_found_and_stays_unread(client, approver, clerk, report):
    (notification,) = _send(approver, clerk, report)
    client.force_login(approver)
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    notification.refresh_from_db()
    assert (response.status_code, notification.read_at) == (404, None)


def test_mark_all_read(client, approver, clerk, report):
    _send(approver, clerk, report, count=2)
    client.force_login(clerk)
    response = client.post(reverse("notifications:read_all"), follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Đã đánh dấu 2 thông báo là đã đọc."]
    assert Notification.objects.filter(read_at__isnull=True).count() == 0
    assert "notification-count" not in response.content.decode()
