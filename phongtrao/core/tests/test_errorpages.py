"""A request whose database connection fails gets the busy page; any other failure the 500 page.

The failures are the database's own exceptions, raised where every query of the request goes
(Django's execute wrapper), so the whole stack between the query and the answer is the real one.
"""

import pytest
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
