import time

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.middleware import SESSION_LOGIN_AT, SESSION_SEEN_AT, AppErrorMiddleware
from phongtrao.core.roles import Role

pytestmark = pytest.mark.django_db


def test_an_english_browser_still_gets_vietnamese(client):
    # given a browser that prefers English / when it opens the login page
    response = client.get("/accounts/login/", headers={"Accept-Language": "en-US,en;q=0.9"})
    # then the page is Vietnamese
    assert response.headers["Content-Language"] == "vi"
    assert "Đăng nhập" in response.content.decode()


def test_the_language_switch_is_followed(client):
    # given a user who chose English in the footer
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    # when they open a page
    response = client.get("/accounts/login/")
    # then it is English
    assert response.headers["Content-Language"] == "en"
    assert "Log in" in response.content.decode()


# Session timeouts: the session's stored times are moved back instead of waiting.


@pytest.fixture
def viewer(make_user, cam_thanh):
    return make_user("ct_xem", Role.VIEWER, (cam_thanh,))


def _logged_in_since(client, viewer, *, login_ago: float, seen_ago: float) -> None:
    client.force_login(viewer)
    session = client.session
    session[SESSION_LOGIN_AT] = time.time() - login_ago
    session[SESSION_SEEN_AT] = time.time() - seen_ago
    session.save()


def test_a_session_idle_longer_than_the_idle_timeout_is_ended(client, viewer, settings):
    # given a 30-minute idle timeout and a user last seen 31 minutes ago
    settings.SESSION_IDLE_MINUTES = 30
    _logged_in_since(client, viewer, login_ago=3600, seen_ago=31 * 60)
    # when they open a page
    response = client.get(reverse("home"))
    # then they are sent to log in again, and the session holds no user
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/")
    assert "_auth_user_id" not in client.session


def test_a_session_within_both_limits_goes_on_and_is_seen_now(client, viewer, settings):
    settings.SESSION_IDLE_MINUTES = 30
    settings.SESSION_HOURS = 10
    _logged_in_since(client, viewer, login_ago=9 * 3600, seen_ago=29 * 60)
    assert client.get(reverse("home")).status_code == 200
    assert client.session["_auth_user_id"] == str(viewer.pk)
    assert time.time() - client.session[SESSION_SEEN_AT] < 5


def test_a_session_older_than_the_working_day_is_ended_however_busy(client, viewer, settings):
    # given a 10-hour day and a user who logged in 10 hours and a minute ago, seen just now
    settings.SESSION_HOURS = 10
    _logged_in_since(client, viewer, login_ago=10 * 3600 + 60, seen_ago=0)
    # when they open a page, then they must log in again
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_login_starts_a_new_working_day(client, viewer, test_password):
    client.post(reverse("accounts:login"), {"username": "ct_xem", "password": test_password})
    assert time.time() - client.session[SESSION_LOGIN_AT] < 5


def test_the_session_cookie_lasts_the_working_day(client, viewer, test_password):
    # when someone logs in with the default settings
    client.post(reverse("accounts:login"), {"username": "ct_xem", "password": test_password})
    # then the browser is told to keep the session cookie ten hours, not Django's two weeks
    assert client.cookies["sessionid"]["max-age"] == 36000


# Security headers


def test_every_response_carries_a_policy_without_inline_code(client):
    response = client.get(reverse("accounts:login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "style-src 'self';" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["Permissions-Policy"] == (
        "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
    )


def test_logging_out_clears_the_browsers_storage(client, viewer):
    client.force_login(viewer)
    response = client.post(reverse("accounts:logout"))
    assert response["Clear-Site-Data"] == '"storage"'
    assert "_auth_user_id" not in client.session


# Application errors a view lets through.


@pytest.mark.parametrize(
    ("code", "answer"),
    [
        (ErrorCode.NOT_FOUND, Http404),
        (ErrorCode.OUT_OF_SCOPE, Http404),
        (ErrorCode.FORBIDDEN, PermissionDenied),
    ],
)
def test_a_refusal_answers_as_its_http_error_with_its_message(rf, code, answer):
    # given a view that raised a service's refusal / when the middleware sees it
    error = AppError(code, "Không có.")
    with pytest.raises(answer, match="Không có.") as raised:
        AppErrorMiddleware(lambda request: None).process_exception(rf.get("/"), error)
    # then it is Django's own 404 or 403, which keeps the refusal as its cause
    assert raised.value.__cause__ is error


@pytest.mark.parametrize("error", [AppError(ErrorCode.INVALID, "Sai."), ValueError("bug")])
def test_other_errors_are_left_to_fail_as_before(rf, error):
    assert AppErrorMiddleware(lambda request: None).process_exception(rf.get("/"), error) is None


def test_a_missing_object_refused_by_a_service_is_a_404_page(client, viewer):
    # given a signed-in user / when they open a report job that does not exist
    client.force_login(viewer)
    response = client.get(reverse("documents:job", args=[999999]))
    # then the selector's NOT_FOUND reaches them as the ordinary 404 page
    assert response.status_code == 404
