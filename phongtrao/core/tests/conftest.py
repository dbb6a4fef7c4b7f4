import pytest
from django.test import Client


@pytest.fixture
def client() -> Client:
    # Production settings redirect plain HTTP to HTTPS; requests come through the TLS proxy.
    return Client(headers={"X-Forwarded-Proto": "https"})
