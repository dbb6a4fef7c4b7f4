import pytest

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
