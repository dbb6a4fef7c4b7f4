"""A request whose database connection fails gets the busy page; any other failure the 500 page.

The failures are the database's own exceptions, raised where every query of the request goes
(Django's execute wrapper), so the whole stack between the query and the answer is the real one.
"""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.db import IntegrityError, InterfaceError, OperationalError, connection
from django.test import Client
from django.urls import reverse

from phongtrao.core.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def user_client(make_user, bo_y):
    client = Client(raise_request_exception=False, headers={"X-Forwarded-Proto": "https"})
    client.force_login(make_user("boy_xem", Role.VIEWER, (bo_y,)))
    return client


def _failing(error: Exception):
    def execute(execute, sql, params, many, context):
        raise error

    return connection.execute_wrapper(execute)


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("server closed the connection unexpectedly"),
        InterfaceError("connection already closed"),
    ],
    ids=["dropped", "closed"],
)
def test_a_lost_database_connection_shows_the_busy_page(user_client, error):
    # given the database connection fails under a page that reads units
    with _failing(error):
        # when
        response = user_client.get(reverse("documents:report"))
    # then the answer is the busy page, asking to come back later
    assert (response.status_code, response["Retry-After"]) == (503, "30")
    content = response.content.decode()
    assert "<h1>Máy chủ bận, vui lòng thử lại</h1>" in content
    assert "Server Error" not in content


def test_any_other_failure_shows_the_vietnamese_server_error_page(user_client):
    # given a query that fails for a reason waiting will not fix
    with _failing(IntegrityError("duplicate key value violates unique constraint")):
        # when
        response = user_client.get(reverse("documents:report"))
    # then
    assert response.status_code == 500
    assert not response.has_header("Retry-After")
    assert "<h1>Lỗi máy chủ</h1>" in response.content.decode()


@pytest.fixture
def production(settings):
    # Django shows its own technical pages while DEBUG is on; users see these only without it.
    settings.DEBUG = False


def test_a_missing_page_answers_in_vietnamese_with_the_menu(production, user_client):
    # when a signed-in user opens an address that leads nowhere
    response = user_client.get("/khong-co-trang-nay/")
    # then the answer is Vietnamese, inside the usual page with its menu
    assert response.status_code == 404
    content = response.content.decode()
    assert "<h1>Không tìm thấy trang</h1>" in content
    assert 'id="mainnav"' in content and "Đăng xuất" in content
    assert "Not Found" not in content


def test_a_refused_page_answers_in_vietnamese_with_the_menu(production, user_client):
    # when a viewer opens the form to add a catalogue indicator, which their role may not
    response = user_client.get(reverse("catalog:indicator_create"))
    # then the answer is Vietnamese, inside the usual page with its menu
    assert response.status_code == 403
    content = response.content.decode()
    assert "<h1>Không có quyền truy cập</h1>" in content
    assert 'id="mainnav"' in content
    assert "403 Forbidden" not in content


def test_the_server_error_page_has_the_header_but_needs_no_database(production, user_client):
    # given every query failing
    with _failing(IntegrityError("duplicate key value violates unique constraint")):
        # when a page fails
        response = user_client.get(reverse("documents:report"))
    # then the 500 page still shows, with the site's header and icon and no menu (it needs
    # the user, who comes from the database)
    content = response.content.decode()
    assert response.status_code == 500
    assert '<a class="brand" href="/">Phong Trào</a>' in content
    assert "phongtrao/favicon.svg" in content
    assert 'id="mainnav"' not in content


def test_the_browser_s_favicon_request_finds_the_icon(client):
    # when a browser (signed in or not) asks for /favicon.ico, as it does on its own
    response = client.get("/favicon.ico")
    # then it is sent to the icon every page links, a file the static files hold
    assert (response.status_code, response["Location"]) == (302, "/static/phongtrao/favicon.svg")
    icon = finders.find("phongtrao/favicon.svg")
    assert Path(icon).read_text(encoding="utf-8").startswith("<svg")


@pytest.mark.parametrize(
    ("address", "status", "heading", "explanation"),
    [
        ("/khong-co-trang-nay/", 404, "Không tìm thấy trang", "Địa chỉ này không dẫn tới"),
        ("catalog:indicator_create", 403, "Không có quyền truy cập", "Tài khoản của bạn không"),
    ],
    ids=["404", "403"],
)  # fmt: skip
def test_the_refused_and_the_missing_page_are_the_one_error_card(
    production, user_client, address, status, heading, explanation
):
    # when a viewer opens an address that leads nowhere, and a page their role may not
    url = address if address.startswith("/") else reverse(address)
    response = user_client.get(url)
    # then each is the same card: its heading as the page's title, why, and the way home
    content = response.content.decode()
    card = content.split('<div class="card" id="error-page">')[1].split("</div>")[0]
    assert response.status_code == status
    assert f"<title>{heading} · Phong Trào</title>" in content
    assert card.split("<p>")[0].strip() == f"<h1>{heading}</h1>"
    assert card.split("<p>")[1].startswith(explanation)
    assert card.split("<p>")[2].strip() == '<a href="/">Về trang chủ</a></p>'


@pytest.mark.parametrize(
    ("error", "status", "heading"),
    [
        (InterfaceError("connection already closed"), 503, "Máy chủ bận, vui lòng thử lại"),
        (IntegrityError("duplicate key value"), 500, "Lỗi máy chủ"),
    ],
    ids=["503", "500"],
)
def test_the_busy_and_the_server_error_page_share_their_frame(user_client, error, status, heading):
    # given a page whose queries fail
    with _failing(error):
        # when
        response = user_client.get(reverse("documents:report"))
    # then each has the site's frame, its heading as the title, and the way home
    content = response.content.decode()
    assert response.status_code == status
    assert content.startswith("<!DOCTYPE html>")
    assert f"<title>{heading} · Phong Trào</title>" in content
    assert f"<h1>{heading}</h1>" in content
    assert '<p><a href="/">Về trang chủ</a></p>' in content
