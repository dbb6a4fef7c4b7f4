from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from phongtrao.accounts.models import LoginCounter, User
from phongtrao.accounts.services import (
    login_attempt_start,
    login_attempt_succeeded,
    user_create,
    user_set_active,
    user_set_password,
    user_unlock,
    user_update,
)
from phongtrao.conftest import TEST_PASSWORD
from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.models import AuditAction, AuditEvent
from phongtrao.core.roles import Role

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Đổi-mật-khẩu-2027"


def _create(actor, units, **extra):
    fields = {
        "username": "nv_an",
        "password": TEST_PASSWORD,
        "role": Role.DATA_ENTRY,
        "full_name": "Nguyễn  Văn An",
        "position": "Cán bộ",
        "phone": "0905 111 222",
        "email": "An@Example.VN",
    }
    return user_create(actor=actor, units=units, **(fields | extra))


def test_create_stores_the_account_and_audits_it_on_its_unit(quang_ngai_admin, bo_y):
    # when the province administrator creates an account for Bờ Y
    user = _create(quang_ngai_admin, [bo_y])
    # then the account is saved with normalised text and the unit
    user.refresh_from_db()
    assert (user.username, user.full_name, user.email, user.role) == (
        "nv_an",
        "Nguyễn Văn An",
        "An@example.vn",
        Role.DATA_ENTRY,
    )
    assert list(user.units.all()) == [bo_y]
    assert user.check_password(TEST_PASSWORD)
    # and one creation event on Bờ Y, by the administrator, without the password
    event = AuditEvent.objects.get(object_id=str(user.pk), content_type__model="user")
    assert (event.action, event.actor, event.unit_id) == (
        AuditAction.CREATE,
        quang_ngai_admin,
        bo_y.pk,
    )
    assert event.changes["units"] == [None, [bo_y.pk]]
    assert event.changes["full_name"] == [None, "Nguyễn Văn An"]
    assert "password" not in event.changes
    assert "search_key" not in event.changes


def test_create_keeps_a_diacritic_free_search_key(quang_ngai_admin, bo_y):
    user = _create(quang_ngai_admin, [bo_y])
    assert user.search_key == "nv an nguyen van an"


def test_create_from_first_and_last_names_fills_the_full_name(bo_y):
    # given a script that still passes the name in parts (demo.py does)
    user = user_create(
        actor=None, username="x", password=TEST_PASSWORD, role=Role.VIEWER, units=[bo_y],
        last_name="Xem Bờ Y",
    )  # fmt: skip
    assert (user.full_name, user.get_full_name(), str(user)) == ("Xem Bờ Y",) * 3


def test_create_refuses_a_unit_outside_the_administrators_scope(cam_thanh_admin, bo_y):
    # given the administrator of Cẩm Thành
    users, events = User.objects.count(), AuditEvent.objects.count()
    # when they give an account the unit Bờ Y
    with pytest.raises(AppError) as exc:
        _create(cam_thanh_admin, [bo_y])
    # then it is refused as if Bờ Y did not exist, and nothing is written
    assert exc.value.code == ErrorCode.OUT_OF_SCOPE
    assert (User.objects.count(), AuditEvent.objects.count()) == (users, events)


def test_create_by_a_non_administrator_is_forbidden(make_user, cam_thanh):
    clerk = make_user("ct_nhaplieu", Role.DATA_ENTRY, (cam_thanh,))
    users = User.objects.count()
    with pytest.raises(AppError) as exc:
        _create(clerk, [cam_thanh])
    assert exc.value.code == ErrorCode.FORBIDDEN
    assert User.objects.count() == users


def test_an_administrator_cannot_make_a_superuser(cam_thanh_admin, cam_thanh):
    users = User.objects.count()
    with pytest.raises(AppError) as exc:
        _create(cam_thanh_admin, [cam_thanh], is_superuser=True)
    assert exc.value.code == ErrorCode.FORBIDDEN
    assert User.objects.count() == users


def test_an_administrator_must_give_at_least_one_unit(cam_thanh_admin):
    users = User.objects.count()
    with pytest.raises(AppError) as exc:
        _create(cam_thanh_admin, [])
    assert exc.value.code == ErrorCode.INVALID
    assert User.objects.count() == users


def test_create_refuses_a_taken_user_name(cam_thanh_admin, cam_thanh):
    _create(cam_thanh_admin, [cam_thanh])
    users = User.objects.count()
    with pytest.raises(ValidationError) as exc:
        _create(cam_thanh_admin, [cam_thanh])
    assert list(exc.value.error_dict) == ["username"]
    assert User.objects.count() == users


@pytest.mark.parametrize("taken", ["dangvan", "DangVan", "đặngvăn"])
def test_create_refuses_a_user_name_that_differs_only_by_marks_or_capitals(
    cam_thanh_admin, cam_thanh, taken
):
    # given an account whose user name is written one way
    _create(cam_thanh_admin, [cam_thanh], username=taken)
    users = User.objects.count()
    # when another is made with the same letters, other marks and capitals (and in NFD)
    with pytest.raises(ValidationError) as exc:
        _create(cam_thanh_admin, [cam_thanh], username="\u0110a\u0306\u0323ngVa\u0306n")
    # then it is refused on the user name, naming the account it would be confused with
    assert exc.value.message_dict == {
        "username": [
            f"Tên đăng nhập “ĐặngVăn” là tài khoản “{taken}” viết khác dấu hoặc chữ hoa; "
            "hãy chọn tên đăng nhập khác."
        ]
    }
    assert User.objects.count() == users


def test_create_accepts_a_user_name_that_only_begins_like_another(cam_thanh_admin, cam_thanh):
    # given "dangvan"
    _create(cam_thanh_admin, [cam_thanh], username="dangvan")
    # when "dangvanan" is made, then it is a different name and is created
    assert _create(cam_thanh_admin, [cam_thanh], username="dangvanan").username == "dangvanan"


def test_update_changes_the_fields_and_audits_before_and_after(
    cam_thanh_admin, cam_thanh, make_area
):
    # given an account of Cẩm Thành and one of its residential areas
    user = _create(cam_thanh_admin, [cam_thanh])
    area = make_area(cam_thanh, "Tổ dân phố 9")
    # when the administrator moves it to the area and makes it an approver
    user_update(
        actor=cam_thanh_admin, user=user, full_name="Nguyễn Văn Bình", role=Role.APPROVER,
        units=[area], email="", phone="", position="Tổ trưởng",
    )  # fmt: skip
    # then the account changed and the event lists exactly what changed
    user.refresh_from_db()
    assert (user.full_name, user.role, list(user.units.all())) == (
        "Nguyễn Văn Bình",
        Role.APPROVER,
        [area],
    )
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE).get()
    assert event.unit_id == area.pk
    assert event.changes == {
        "email": ["An@example.vn", ""],
        "phone": ["0905 111 222", ""],
        "position": ["Cán bộ", "Tổ trưởng"],
        "full_name": ["Nguyễn Văn An", "Nguyễn Văn Bình"],
        "role": [Role.DATA_ENTRY, Role.APPROVER],
        "units": [[cam_thanh.pk], [area.pk]],
    }


def test_update_of_an_account_outside_the_scope_changes_nothing(
    cam_thanh_admin, quang_ngai_admin, bo_y
):
    # given an account of Bờ Y
    user = _create(quang_ngai_admin, [bo_y])
    events = AuditEvent.objects.count()
    # when the Cẩm Thành administrator edits it
    with pytest.raises(AppError) as exc:
        user_update(
            actor=cam_thanh_admin, user=user, full_name="Khác", role=Role.VIEWER, units=[bo_y]
        )
    # then it answers like a missing account and nothing changed
    assert exc.value.code == ErrorCode.NOT_FOUND
    user.refresh_from_db()
    assert (user.full_name, user.role) == ("Nguyễn Văn An", Role.DATA_ENTRY)
    assert AuditEvent.objects.count() == events


def test_an_administrator_cannot_change_their_own_role(cam_thanh_admin, cam_thanh):
    with pytest.raises(AppError) as exc:
        user_update(
            actor=cam_thanh_admin, user=cam_thanh_admin, full_name="", role=Role.VIEWER,
            units=[cam_thanh],
        )  # fmt: skip
    assert exc.value.code == ErrorCode.FORBIDDEN
    cam_thanh_admin.refresh_from_db()
    assert cam_thanh_admin.role == Role.ADMIN


def test_deactivating_keeps_the_account_and_audits_it(cam_thanh_admin, cam_thanh):
    user = _create(cam_thanh_admin, [cam_thanh])
    user_set_active(actor=cam_thanh_admin, user=user, is_active=False)
    user.refresh_from_db()
    assert user.is_active is False
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE).get()
    assert (event.changes, event.unit_id) == ({"is_active": [True, False]}, cam_thanh.pk)


def test_reactivating_lets_the_account_in_again(cam_thanh_admin, cam_thanh):
    user = _create(cam_thanh_admin, [cam_thanh])
    user_set_active(actor=cam_thanh_admin, user=user, is_active=False)
    user_set_active(actor=cam_thanh_admin, user=user, is_active=True)
    user.refresh_from_db()
    assert user.is_active is True


def test_an_administrator_cannot_deactivate_themselves(cam_thanh_admin):
    with pytest.raises(AppError) as exc:
        user_set_active(actor=cam_thanh_admin, user=cam_thanh_admin, is_active=False)
    assert exc.value.code == ErrorCode.FORBIDDEN
    cam_thanh_admin.refresh_from_db()
    assert cam_thanh_admin.is_active is True


def test_resetting_a_password_audits_it_without_any_value(cam_thanh_admin, cam_thanh):
    # given an account
    user = _create(cam_thanh_admin, [cam_thanh])
    # when the administrator resets its password
    user_set_password(actor=cam_thanh_admin, user=user, password=NEW_PASSWORD)
    # then the new password works
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # and the event says who did it, on which account, and nothing of the password
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE).get()
    assert (event.actor, event.object_id, event.unit_id, event.changes) == (
        cam_thanh_admin,
        str(user.pk),
        cam_thanh.pk,
        {},
    )


def test_a_user_changes_their_own_password(make_user, cam_thanh):
    viewer = make_user("ct_xem", Role.VIEWER, (cam_thanh,))
    user_set_password(actor=viewer, user=viewer, password=NEW_PASSWORD)
    viewer.refresh_from_db()
    assert viewer.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(actor=viewer, object_id=str(viewer.pk)).count() == 1


def test_resetting_the_password_of_an_account_outside_the_scope_changes_nothing(
    cam_thanh_admin, make_user, bo_y
):
    user = make_user("by_xem", Role.VIEWER, (bo_y,))
    events = AuditEvent.objects.count()
    with pytest.raises(AppError) as exc:
        user_set_password(actor=cam_thanh_admin, user=user, password=NEW_PASSWORD)
    assert exc.value.code == ErrorCode.NOT_FOUND
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)
    assert AuditEvent.objects.count() == events


def _start(username: str = "boy_nhaplieu", ip: str | None = "10.1.2.3", device=None):
    return login_attempt_start(username=username, ip_address=ip, device=device)


def test_an_attempt_is_counted_under_the_normalised_user_name_and_the_address():
    # when a browser without a device cookie tries a user name typed loosely
    _start("  BoY_NhapLieu ")
    # then one attempt is counted for the account and one for the address
    assert sorted(LoginCounter.objects.values_list("key", "username", "attempts")) == [
        ("account:boy_nhaplieu", "boy_nhaplieu", 1),
        ("address:10.1.2.3", "", 1),
    ]


def test_an_attempt_with_a_device_cookie_is_counted_for_that_browser_only():
    _start(device="abc")
    assert list(LoginCounter.objects.values_list("key", "username", "attempts")) == [
        ("device:abc", "boy_nhaplieu", 1)
    ]


def test_each_attempt_reads_back_a_count_of_its_own(settings):
    # given a limit of 3; attempts one after the other (on PostgreSQL test_login.py runs
    # them at once)
    settings.LOGIN_FAILURE_LIMIT = 3
    # when five are made
    waits = [_start().wait_minutes for _ in range(5)]
    # then the first three may check their password, the last two wait out the window
    assert waits == [0, 0, 0, 15, 15]
    assert LoginCounter.objects.get(key="account:boy_nhaplieu").attempts == 5


def test_a_count_starts_again_once_its_window_has_ended(settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(4):
        _start()
    LoginCounter.objects.update(window_start=timezone.now() - timedelta(minutes=16))
    assert _start().wait_minutes == 0
    assert LoginCounter.objects.get(key="account:boy_nhaplieu").attempts == 1


def test_counters_two_windows_old_are_dropped_at_the_next_attempt(settings):
    settings.LOGIN_FAILURE_WINDOW_MINUTES = 15
    _start("a", ip=None)
    LoginCounter.objects.update(window_start=timezone.now() - timedelta(minutes=31))
    _start("b", ip=None)
    assert list(LoginCounter.objects.values_list("key", flat=True)) == ["account:b"]


def test_a_success_restarts_the_account_and_takes_its_attempt_off_the_address():
    # given two attempts of another name from the address, then one of this account
    _start("khac")
    _start("khac")
    attempt = _start()
    # when that one succeeds
    login_attempt_succeeded(attempt=attempt)
    # then the account starts again and the address keeps the two others
    assert dict(LoginCounter.objects.values_list("key", "attempts")) == {
        "account:boy_nhaplieu": 0,
        "account:khac": 2,
        "address:10.1.2.3": 2,
    }


def test_unlocking_drops_the_accounts_counters_and_is_audited(
    cam_thanh_admin, make_user, cam_thanh
):
    # given an account tried from a stranger's browser and from its owner's
    user = make_user("ct_nhaplieu", Role.DATA_ENTRY, (cam_thanh,))
    _start("ct_nhaplieu")
    _start("ct_nhaplieu", device="abc")
    # when its administrator unlocks it
    assert user_unlock(actor=cam_thanh_admin, user=user) == 2
    # then only the address's counter is left, and the audit says who unlocked what
    assert list(LoginCounter.objects.values_list("key", flat=True)) == ["address:10.1.2.3"]
    event = AuditEvent.objects.get(object_id=str(user.pk), actor=cam_thanh_admin)
    assert (event.action, event.changes) == (AuditAction.UPDATE, {"login_locked": [True, False]})


def test_an_administrator_of_another_commune_cannot_unlock(make_user, bo_y, cam_thanh):
    # given an account of Cẩm Thành with counted attempts, and Bờ Y's administrator
    user = make_user("ct_nhaplieu", Role.DATA_ENTRY, (cam_thanh,))
    stranger = make_user("by_quantri", Role.ADMIN, (bo_y,))
    _start("ct_nhaplieu")
    events = AuditEvent.objects.count()
    # when Bờ Y's administrator unlocks it, then that is refused and nothing changes
    with pytest.raises(AppError) as exc:
        user_unlock(actor=stranger, user=user)
    assert exc.value.code == ErrorCode.NOT_FOUND
    assert LoginCounter.objects.count() == 2
    assert AuditEvent.objects.count() == events
