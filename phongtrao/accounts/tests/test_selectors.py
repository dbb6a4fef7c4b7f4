from datetime import timedelta

import pytest
from django.utils import timezone

from phongtrao.accounts.models import LoginFailure, Role
from phongtrao.accounts.selectors import (
    login_wait_minutes,
    roles_assignable_by,
    units_in_picker,
    user_list,
    users_manageable_by,
)
from phongtrao.accounts.services import login_failure_record

pytestmark = pytest.mark.django_db


def _names(qs):
    return sorted(u.username for u in qs)


def test_a_commune_administrator_manages_only_accounts_wholly_inside_the_commune(
    cam_thanh_admin, make_user, make_area, cam_thanh, bo_y
):
    # given accounts of Cẩm Thành, of one of its areas, of Bờ Y, of both, and of none
    area = make_area(cam_thanh, "Tổ dân phố 9")
    make_user("ct_a", units=(cam_thanh,))
    make_user("ct_area", units=(area,))
    make_user("by_a", units=(bo_y,))
    make_user("both", units=(cam_thanh, bo_y))
    make_user("nobody", units=())
    # when listing what the Cẩm Thành administrator manages
    names = _names(users_manageable_by(actor=cam_thanh_admin))
    # then only the accounts all of whose units are in Cẩm Thành
    assert names == ["ct_a", "ct_area", "ct_quantri"]


def test_the_province_administrator_manages_both_communes(
    quang_ngai_admin, make_user, cam_thanh, bo_y
):
    make_user("ct_a", units=(cam_thanh,))
    make_user("by_a", units=(bo_y,))
    assert _names(users_manageable_by(actor=quang_ngai_admin)) == ["by_a", "ct_a", "qn_quantri"]


def test_bo_y_manages_accounts_of_plei_kan_which_it_took_over(make_user, bo_y, plei_kan):
    # given an account of the old town Plei Kần, now part of Xã Bờ Y
    admin = make_user("by_quantri", Role.ADMIN, (bo_y,))
    make_user("pk_a", units=(plei_kan,))
    assert _names(users_manageable_by(actor=admin)) == ["by_quantri", "pk_a"]


def test_superusers_are_managed_only_by_superusers(cam_thanh_admin, superuser, make_user, bo_y):
    make_user("by_a", units=(bo_y,))
    assert "root" not in _names(users_manageable_by(actor=cam_thanh_admin))
    assert _names(users_manageable_by(actor=superuser)) == ["by_a", "ct_quantri", "root"]


def test_a_non_administrator_manages_no_account(make_user, cam_thanh):
    approver = make_user("ct_duyet", Role.APPROVER, (cam_thanh,))
    assert list(users_manageable_by(actor=approver)) == []


def test_search_by_name_ignores_diacritics(quang_ngai_admin, make_person, bo_y):
    make_person("a1", "Nguyễn Văn An", (bo_y,))
    make_person("a2", "Trần Thị Đào", (bo_y,))
    assert _names(user_list(actor=quang_ngai_admin, query="nguyen AN")) == ["a1"]
    assert _names(user_list(actor=quang_ngai_admin, query="dao")) == ["a2"]


def test_filter_by_role(quang_ngai_admin, make_user, bo_y):
    make_user("by_duyet", Role.APPROVER, (bo_y,))
    make_user("by_xem", Role.VIEWER, (bo_y,))
    assert _names(user_list(actor=quang_ngai_admin, role=Role.APPROVER)) == ["by_duyet"]


def test_filter_by_unit_keeps_accounts_of_the_unit_and_below(
    quang_ngai_admin, make_user, make_area, bo_y, cam_thanh
):
    make_user("by_a", units=(bo_y,))
    make_user("by_area", units=(make_area(bo_y),))
    make_user("ct_a", units=(cam_thanh,))
    assert _names(user_list(actor=quang_ngai_admin, unit=bo_y)) == ["by_a", "by_area"]


def test_filter_by_status(quang_ngai_admin, make_user, bo_y):
    make_user("by_a", units=(bo_y,)).__class__.objects.filter(username="by_a").update(
        is_active=False
    )
    assert _names(user_list(actor=quang_ngai_admin, is_active=False)) == ["by_a"]


def test_the_list_takes_two_queries_however_many_accounts(
    quang_ngai_admin, make_user, make_area, bo_y, django_assert_num_queries
):
    # given twenty accounts on different units
    for i in range(20):
        make_user(f"u{i:02}", units=(make_area(bo_y, f"Thôn {i}"), bo_y))
    qs = user_list(actor=quang_ngai_admin)
    # when reading every account with its units and their parents
    with django_assert_num_queries(2):
        rows = [
            (u.username, [(x.name, x.parent and x.parent.name) for x in u.units.all()]) for u in qs
        ]
    # then it is the accounts and one query for all their units, highest unit first
    assert len(rows) == 21
    assert rows[0] == ("qn_quantri", [("Tỉnh Quảng Ngãi", None)])
    assert rows[1] == ("u00", [("Xã Bờ Y", "Tỉnh Quảng Ngãi"), ("Thôn 0", "Xã Bờ Y")])


def test_no_wait_below_the_limit(settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(2):
        login_failure_record(username="boy_nhaplieu", ip_address=None)
    assert login_wait_minutes(username="boy_nhaplieu") == 0


def test_the_wait_runs_until_the_oldest_failure_leaves_the_window(settings):
    # given three failures, the oldest 5 minutes ago, with a limit of 3 in 15 minutes
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_FAILURE_WINDOW_MINUTES = 15
    now = timezone.now()
    for minutes_ago in (5, 2, 1):
        failure = login_failure_record(username="boy_nhaplieu", ip_address=None)
        LoginFailure.objects.filter(pk=failure.pk).update(at=now - timedelta(minutes=minutes_ago))
    # then the name waits ten more minutes, whatever the case it is typed in
    assert login_wait_minutes(username="BOY_nhaplieu", now=now) == 10
    # and is free once that failure is older than the window
    assert login_wait_minutes(username="boy_nhaplieu", now=now + timedelta(minutes=10)) == 0


def test_the_picker_lists_todays_units_of_the_scope(cam_thanh_admin, make_area, cam_thanh):
    area = make_area(cam_thanh, "Tổ dân phố 9")
    units = list(units_in_picker(user=cam_thanh_admin))
    assert units == [cam_thanh, area]


def test_the_picker_of_bo_y_leaves_out_pre_reform_units(make_user, bo_y):
    admin = make_user("by_quantri", Role.ADMIN, (bo_y,))
    assert [u.name for u in units_in_picker(user=admin)] == ["Xã Bờ Y"]


def test_an_administrator_may_give_every_role(cam_thanh_admin):
    assert [v for v, _ in roles_assignable_by(actor=cam_thanh_admin)] == [
        Role.VIEWER,
        Role.DATA_ENTRY,
        Role.APPROVER,
        Role.ADMIN,
    ]


def test_an_approver_may_give_no_role_above_approver(make_user, cam_thanh):
    approver = make_user("ct_duyet", Role.APPROVER, (cam_thanh,))
    assert [v for v, _ in roles_assignable_by(actor=approver)] == [
        Role.VIEWER,
        Role.DATA_ENTRY,
        Role.APPROVER,
    ]
