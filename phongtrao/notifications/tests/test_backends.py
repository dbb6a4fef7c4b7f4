"""The user of each request comes with their unread count, in the one query that loads them."""

import pytest

from phongtrao.notifications.backends import UserWithUnreadBackend
from phongtrao.notifications.models import NotificationKind
from phongtrao.notifications.services import notifications_send

pytestmark = pytest.mark.django_db


def test_the_user_is_loaded_with_the_unread_count_in_one_query(
    approver, clerk, report, django_assert_num_queries
):
    # given two notifications for the clerk
    for _ in range(2):
        notifications_send(
            actor=approver, recipients=[clerk], kind=NotificationKind.APPROVED, report=report
        )
    # when the backend loads the clerk, and the approver
    with django_assert_num_queries(2):
        loaded = UserWithUnreadBackend().get_user(clerk.pk)
        other = UserWithUnreadBackend().get_user(approver.pk)
    # then each comes with their own count
    assert (loaded, loaded.unread_notifications) == (clerk, 2)
    assert (other, other.unread_notifications) == (approver, 0)


def test_an_inactive_user_is_not_loaded(clerk):
    clerk.is_active = False
    clerk.save(update_fields=["is_active"])
    assert UserWithUnreadBackend().get_user(clerk.pk) is None


def test_a_session_opened_before_the_bell_still_loads_its_user(client, clerk):
    # given a session signed in through Django's own backend, as before the upgrade
    client.force_login(clerk, backend="django.contrib.auth.backends.ModelBackend")
    # when the user opens a page
    response = client.get("/notifications/")
    # then they are still signed in, not sent to the login page
    assert (response.status_code, response.wsgi_request.user) == (200, clerk)
