"""The login page's limit on attempts, per address, per user name and per browser of the owner's
(device cookies), and the demo password, through the real view and form."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from phongtrao.accounts.devices import device_cookie_name
from phongtrao.accounts.models import LoginCounter, User
from phongtrao.accounts.passwords import DEMO_PASSWORD
from phongtrao.accounts.services import user_create
from phongtrao.conftest import TEST_PASSWORD
from phongtrao.core.roles import Role

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
WAIT = "Vui lòng thử lại sau 15 phút."
REFUSED = "Vui lòng thử lại sau"


@pytest.fixture
def throttle(settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_FAILURE_ADDRESS_LIMIT = 5
    settings.LOGIN_FAILURE_WINDOW_MINUTES = 15


@pytest.fixture
def clerk(make_user, cam_thanh) -> User:
    return make_user("ct_nhaplieu", Role.DATA_ENTRY, (cam_thanh,))


def _browser() -> Client:
    return Client(headers={"X-Forwarded-Proto": "https"})


def _login(client: Client, username: str, password: str, address: str = "127.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def _fail(client: Client, username: str, times: int, address: str = "127.0.0.1") -> None:
    for _ in range(times):
        _login(client, username, "sai-mat-khau", address)


def _logged_in(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def test_a_right_password_logs_in_and_leaves_a_device_cookie(client, clerk, throttle):
    response = _login(client, "ct_nhaplieu", TEST_PASSWORD)
    assert (response.status_code, response["Location"]) == (302, reverse("home"))
    assert _logged_in(client) == str(clerk.pk)
    cookie = response.cookies[device_cookie_name("ct_nhaplieu")]
    assert (cookie["httponly"], cookie["secure"], cookie["samesite"]) == (True, True, "Lax")


def test_the_limit_of_wrong_guesses_then_the_right_password_from_a_stranger_does_not_log_in(
    clerk, throttle
):
    # given a stranger's browser that guessed wrong three times (the limit)
    stranger = _browser()
    _fail(stranger, "ct_nhaplieu", 3)
    # when it gives the right password
    response = _login(stranger, "ct_nhaplieu", TEST_PASSWORD)
    # then it is refused, saying how long to wait, and nobody is logged in
    assert response.status_code == 200
    assert WAIT in response.content.decode()
    assert _logged_in(stranger) is None


def test_another_browser_without_a_device_cookie_is_locked_out_too(clerk, throttle):
    _fail(_browser(), "ct_nhaplieu", 3, address="10.0.0.1")
    other = _browser()
    response = _login(other, "ct_nhaplieu", TEST_PASSWORD, address="10.0.0.2")
    assert WAIT in response.content.decode()
    assert _logged_in(other) is None


def test_the_owner_with_a_device_cookie_still_logs_in_while_a_stranger_is_locked_out(
    clerk, throttle
):
    # given the owner logged in once from their browser, and logged out
    owner = _browser()
    _login(owner, "ct_nhaplieu", TEST_PASSWORD)
    owner.post(reverse("accounts:logout"))
    # and a stranger then guessed wrong until the account is locked for strangers
    _fail(_browser(), "ct_nhaplieu", 5)
    # when the owner logs in from their browser
    response = _login(owner, "ct_nhaplieu", TEST_PASSWORD)
    # then they are in
    assert response.status_code == 302
    assert _logged_in(owner) == str(clerk.pk)


def test_the_owners_browser_is_limited_on_its_own(clerk, throttle):
    # given the owner's browser, which then guessed wrong three times (the limit)
    owner = _browser()
    _login(owner, "ct_nhaplieu", TEST_PASSWORD)
    owner.post(reverse("accounts:logout"))
    _fail(owner, "ct_nhaplieu", 3)
    # when it gives the right password, then it waits like any other browser
    response = _login(owner, "ct_nhaplieu", TEST_PASSWORD)
    assert WAIT in response.content.decode()
    assert _logged_in(owner) is None


def test_a_device_cookie_of_another_account_counts_as_a_strangers_browser(
    clerk, make_user, cam_thanh, throttle
):
    # given a browser with a valid device cookie of another account, copied under this
    # account's cookie name
    make_user("ct_xem", Role.VIEWER, (cam_thanh,))
    stranger = _browser()
    token = _login(stranger, "ct_xem", TEST_PASSWORD).cookies[device_cookie_name("ct_xem")].value
    stranger.logout()
    stranger.cookies[device_cookie_name("ct_nhaplieu")] = token
    # when it guesses three times and then gives the right password, then it is refused
    _fail(stranger, "ct_nhaplieu", 3)
    assert WAIT in _login(stranger, "ct_nhaplieu", TEST_PASSWORD).content.decode()
    assert _logged_in(stranger) is None


def test_an_administrator_unlocks_the_account_from_its_page(clerk, cam_thanh_admin, throttle):
    # given an account locked for strangers' browsers, shown so on its page
    _fail(_browser(), "ct_nhaplieu", 3)
    admin = _browser()
    admin.force_login(cam_thanh_admin)
    page = admin.get(reverse("accounts:user_update", args=[clerk.pk])).content.decode()
    assert reverse("accounts:user_unlock", args=[clerk.pk]) in page
    # when its administrator unlocks it
    response = admin.post(reverse("accounts:user_unlock", args=[clerk.pk]))
    assert response.status_code == 302
    # then the owner, from a new browser, logs in
    owner = _browser()
    assert _login(owner, "ct_nhaplieu", TEST_PASSWORD).status_code == 302
    assert _logged_in(owner) == str(clerk.pk)


def test_the_address_limit_holds_across_many_user_names(clerk, throttle):
    # given one address that guessed one wrong password for each of five names (its limit)
    guesser = _browser()
    for name in ("an", "binh", "chi", "dung", "em"):
        _fail(guesser, name, 1, address="10.9.9.9")
    # when it tries a sixth name with its right password, then that is refused unchecked
    response = _login(guesser, "ct_nhaplieu", TEST_PASSWORD, address="10.9.9.9")
    assert WAIT in response.content.decode()
    assert _logged_in(guesser) is None
    # while the same account logs in from another address
    other = _browser()
    assert _login(other, "ct_nhaplieu", TEST_PASSWORD, address="10.0.0.2").status_code == 302


def test_the_demo_password_does_not_log_in_outside_a_demo(cam_thanh, settings):
    # given an account with the demo password on a deployment that is not a demo
    settings.PHONGTRAO_DEMO = False
    user_create(
        actor=None, username="boy_xem", password=DEMO_PASSWORD, role=Role.VIEWER, units=[cam_thanh]
    )
    browser = _browser()
    # when it logs in with it, then that is refused, saying why
    response = _login(browser, "boy_xem", DEMO_PASSWORD)
    assert response.status_code == 200
    assert "Đây là mật khẩu của bản trình diễn" in response.content.decode()
    assert _logged_in(browser) is None


def test_the_demo_password_logs_in_on_a_demo(cam_thanh, settings):
    settings.PHONGTRAO_DEMO = True
    user = user_create(
        actor=None, username="boy_xem", password=DEMO_PASSWORD, role=Role.VIEWER, units=[cam_thanh]
    )
    browser = _browser()
    assert _login(browser, "boy_xem", DEMO_PASSWORD).status_code == 302
    assert _logged_in(browser) == str(user.pk)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's test database is one shared in-memory connection, one writer at a time",
)
def test_thirty_wrong_guesses_at_once_check_at_most_the_limit_of_passwords(throttle, settings):
    # given thirty browsers, each on a connection of its own, that guess at the same moment
    settings.LOGIN_FAILURE_ADDRESS_LIMIT = 100
    start, answers = threading.Barrier(30), []

    def guess() -> None:
        try:
            start.wait()
            # (the wait said may be 16 minutes: the window may start after this guess began)
            answers.append(REFUSED in _login(_browser(), "ai_do", "sai").content.decode())
        finally:
            connections.close_all()

    def forget() -> None:  # the guesses committed their counts outside the test's transaction
        LoginCounter.objects.filter(key__in=["account:ai_do", "address:127.0.0.1"]).delete()
        connections.close_all()

    threads = [threading.Thread(target=guess) for _ in range(30)]
    try:
        # when all thirty are sent
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        # then three passwords were checked (and found wrong); 27 were refused unchecked
        assert (answers.count(False), answers.count(True)) == (3, 27)
    finally:
        cleaner = threading.Thread(target=forget)
        cleaner.start()
        cleaner.join()
