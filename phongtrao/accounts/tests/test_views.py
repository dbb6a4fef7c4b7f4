import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from phongtrao.accounts.models import User
from phongtrao.conftest import TEST_PASSWORD
from phongtrao.core.models import AuditAction, AuditEvent
from phongtrao.core.roles import Role

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Đổi-mật-khẩu-2027"
LOGIN = reverse("accounts:login")


@pytest.fixture
def throttle(settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_FAILURE_WINDOW_MINUTES = 15


@pytest.fixture
def clerk(make_user, cam_thanh) -> User:
    return make_user("ct_nhaplieu", Role.DATA_ENTRY, (cam_thanh,))


def _login(client: Client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password})


def _fail(client: Client, username: str, times: int) -> None:
    for _ in range(times):
        _login(client, username, "sai-mat-khau")


def _admin_client(client: Client, admin: User) -> Client:
    client.force_login(admin)
    return client


# Login (the limit on attempts: test_login.py)


def test_a_deactivated_account_cannot_log_in(client, clerk):
    User.objects.filter(pk=clerk.pk).update(is_active=False)
    response = _login(client, "ct_nhaplieu", TEST_PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_changing_ones_own_password_is_audited_without_the_password(client, clerk):
    # given a logged-in user
    client.force_login(clerk)
    # when they change their password
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    # then they stay logged in with the new password and one event names no value
    assert response["Location"] == reverse("accounts:password_change_done")
    clerk.refresh_from_db()
    assert clerk.check_password(NEW_PASSWORD)
    assert client.get(reverse("home")).status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.UPDATE)
    assert (event.actor, event.object_id, event.changes) == (clerk, str(clerk.pk), {})


def test_a_wrong_old_password_changes_nothing(client, clerk):
    client.force_login(clerk)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "sai", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    clerk.refresh_from_db()
    assert clerk.check_password(TEST_PASSWORD)
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE).count() == 0


# User management


def test_the_user_list_is_for_administrators_only(client, clerk):
    client.force_login(clerk)
    assert client.get(reverse("accounts:user_list")).status_code == 403


def test_the_user_list_shows_the_accounts_of_the_scope(
    client, cam_thanh_admin, make_person, bo_y, cam_thanh
):
    make_person("ct_an", "Nguyễn Văn An", (cam_thanh,))
    make_person("by_binh", "Lê Văn Bình", (bo_y,))
    response = _admin_client(client, cam_thanh_admin).get(reverse("accounts:user_list"))
    assert [u.username for u in response.context["object_list"]] == ["ct_an", "ct_quantri"]
    assert "Lê Văn Bình" not in response.content.decode()


def test_the_user_list_searches_by_name(client, cam_thanh_admin, make_person, cam_thanh):
    make_person("ct_an", "Nguyễn Văn An", (cam_thanh,))
    response = _admin_client(client, cam_thanh_admin).get(
        reverse("accounts:user_list"), {"q": "van an"}
    )
    assert [u.username for u in response.context["object_list"]] == ["ct_an"]


def test_the_user_list_pages_by_fifty(client, quang_ngai_admin, make_user, bo_y):
    for i in range(55):
        make_user(f"u{i:02}", units=(bo_y,))
    response = _admin_client(client, quang_ngai_admin).get(
        reverse("accounts:user_list"), {"page": 2}
    )
    # qn_quantri, u00 … u48 fill the first page
    assert [u.username for u in response.context["object_list"]] == [
        "u49", "u50", "u51", "u52", "u53", "u54"
    ]  # fmt: skip


def test_the_user_list_page_takes_the_same_queries_for_more_accounts(
    client, quang_ngai_admin, make_user, make_area, bo_y
):
    _admin_client(client, quang_ngai_admin)
    url = reverse("accounts:user_list")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    make_user("first", units=(make_area(bo_y, "Thôn A"),))
    few = count()
    for i in range(15):
        make_user(f"u{i:02}", units=(make_area(bo_y, f"Thôn {i}"),))
    assert count() == few


def test_creating_an_account(client, cam_thanh_admin, cam_thanh):
    # when the administrator fills in the form
    response = _admin_client(client, cam_thanh_admin).post(
        reverse("accounts:user_create"),
        {
            "username": "ct_an",
            "full_name": "Nguyễn Văn An",
            "position": "Phó Trưởng Công an phường",
            "phone": "0905 111 222",
            "email": "an@example.vn",
            "role": Role.DATA_ENTRY,
            "units": [cam_thanh.pk],
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    # then the account exists, can log in, and its creation is audited
    assert response["Location"] == reverse("accounts:user_list")
    user = User.objects.get(username="ct_an")
    assert (user.full_name, user.role, list(user.units.all())) == (
        "Nguyễn Văn An",
        Role.DATA_ENTRY,
        [cam_thanh],
    )
    assert user.check_password(NEW_PASSWORD)
    assert (
        AuditEvent.objects.filter(
            content_type__model="user", object_id=str(user.pk), action=AuditAction.CREATE
        ).count()
        == 1
    )


def test_creating_an_account_on_a_unit_outside_the_scope_creates_nothing(
    client, cam_thanh_admin, bo_y
):
    users, events = User.objects.count(), AuditEvent.objects.count()
    response = _admin_client(client, cam_thanh_admin).post(
        reverse("accounts:user_create"),
        {
            "username": "ct_an", "full_name": "An", "role": Role.VIEWER, "units": [bo_y.pk],
            "password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "units" in response.context["form"].errors
    assert (User.objects.count(), AuditEvent.objects.count()) == (users, events)


def test_a_weak_initial_password_is_refused(client, cam_thanh_admin, cam_thanh):
    users = User.objects.count()
    response = _admin_client(client, cam_thanh_admin).post(
        reverse("accounts:user_create"),
        {
            "username": "ct_an", "full_name": "An", "role": Role.VIEWER, "units": [cam_thanh.pk],
            "password1": "123", "password2": "123",
        },
    )  # fmt: skip
    assert list(response.context["form"].errors) == ["password1"]
    assert User.objects.count() == users


def test_editing_an_account(client, cam_thanh_admin, make_person, cam_thanh):
    user = make_person("ct_an", "Nguyễn Văn An", (cam_thanh,))
    response = _admin_client(client, cam_thanh_admin).post(
        reverse("accounts:user_update", args=[user.pk]),
        {"full_name": "Nguyễn Văn Ân", "role": Role.APPROVER, "units": [cam_thanh.pk]},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.full_name, user.role) == ("Nguyễn Văn Ân", Role.APPROVER)


def test_the_edit_form_shows_the_account(client, cam_thanh_admin, make_person, cam_thanh):
    user = make_person("ct_an", "Nguyễn Văn An", (cam_thanh,))
    response = _admin_client(client, cam_thanh_admin).get(
        reverse("accounts:user_update", args=[user.pk])
    )
    assert response.context["form"].initial["full_name"] == "Nguyễn Văn An"
    assert response.context["form"].initial["units"] == [cam_thanh]


def test_deactivating_asks_first_then_deactivates(client, cam_thanh_admin, clerk):
    _admin_client(client, cam_thanh_admin)
    url = reverse("accounts:user_set_active", args=[clerk.pk])
    # GET only asks
    assert client.get(url).status_code == 200
    clerk.refresh_from_db()
    assert clerk.is_active is True
    # POST deactivates
    assert client.post(url, {"is_active": "0"}).status_code == 302
    clerk.refresh_from_db()
    assert clerk.is_active is False


def test_reactivating(client, cam_thanh_admin, clerk):
    User.objects.filter(pk=clerk.pk).update(is_active=False)
    _admin_client(client, cam_thanh_admin).post(
        reverse("accounts:user_set_active", args=[clerk.pk]), {"is_active": "1"}
    )
    clerk.refresh_from_db()
    assert clerk.is_active is True


def test_an_administrator_deactivating_themselves_is_refused(client, cam_thanh_admin):
    response = _admin_client(client, cam_thanh_admin).post(
        reverse("accounts:user_set_active", args=[cam_thanh_admin.pk]),
        {"is_active": "0"},
        follow=True,
    )
    cam_thanh_admin.refresh_from_db()
    assert cam_thanh_admin.is_active is True
    assert "Bạn không thể tự khóa tài khoản của mình." in response.content.decode()


def test_the_administrator_s_own_row_offers_no_deactivation(client, cam_thanh_admin, clerk):
    # given Cẩm Thành's administrator on the users page
    client = _admin_client(client, cam_thanh_admin)
    # when they look at the list and at their own account
    page = client.get(reverse("accounts:user_list")).content.decode()
    own = client.get(reverse("accounts:user_update", args=[cam_thanh_admin.pk])).content.decode()
    # then only the others' rows offer to deactivate (the service refuses it anyway)
    own_link = reverse("accounts:user_set_active", args=[cam_thanh_admin.pk])
    assert reverse("accounts:user_set_active", args=[clerk.pk]) in page
    assert own_link not in page and own_link not in own


def test_opening_one_s_own_deactivation_refuses_before_asking(client, cam_thanh_admin):
    # when the administrator opens the deactivation of their own account by its address
    response = _admin_client(client, cam_thanh_admin).get(
        reverse("accounts:user_set_active", args=[cam_thanh_admin.pk]), follow=True
    )
    # then they are told it is refused, without a confirmation to click first
    page = response.content.decode()
    assert "Bạn không thể tự khóa tài khoản của mình." in page
    assert response.redirect_chain == [(reverse("accounts:user_list"), 302)]
    cam_thanh_admin.refresh_from_db()
    assert cam_thanh_admin.is_active is True


def test_resetting_a_password(client, cam_thanh_admin, clerk):
    response = _admin_client(client, cam_thanh_admin).post(
        reverse("accounts:user_password", args=[clerk.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.check_password(NEW_PASSWORD)


def test_two_different_passwords_change_nothing(client, cam_thanh_admin, clerk):
    response = _admin_client(client, cam_thanh_admin).post(
        reverse("accounts:user_password", args=[clerk.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"},
    )
    assert "Hai mật khẩu không khớp nhau." in response.content.decode()
    clerk.refresh_from_db()
    assert clerk.check_password(TEST_PASSWORD)


def test_editing_keeps_a_pre_reform_unit_of_the_account(client, make_user, bo_y, plei_kan):
    # given an account of the old town Plei Kần, edited by the Bờ Y administrator
    user = make_user("pk_xem", Role.VIEWER, (plei_kan,))
    admin = make_user("by_quantri", Role.ADMIN, (bo_y,))
    # when saving a new role with the unit left as it is
    response = _admin_client(client, admin).post(
        reverse("accounts:user_update", args=[user.pk]),
        {"full_name": "Xem Plei Kần", "role": Role.DATA_ENTRY, "units": [plei_kan.pk]},
    )
    # then the account keeps Plei Kần
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.role, list(user.units.all())) == (Role.DATA_ENTRY, [plei_kan])


@pytest.mark.parametrize(
    ("role", "shown"),
    [(Role.APPROVER, False), (Role.ADMIN, True), (Role.NATIONAL_ADMIN, True)],
)
def test_the_menu_offers_the_users_page_to_administrators_and_above(
    client, make_user, cam_thanh, role, shown
):
    # given a user of the role (the national administrator ranks above a province's)
    user = make_user(f"menu_{role}", role, (cam_thanh,))
    client.force_login(user)
    # when they open the home page
    page = client.get("/").content.decode()
    # then the menu links to the users page exactly when they may open it
    assert (f'href="{reverse("accounts:user_list")}"' in page) is shown
    status = client.get(reverse("accounts:user_list")).status_code
    assert status == (200 if shown else 403)
