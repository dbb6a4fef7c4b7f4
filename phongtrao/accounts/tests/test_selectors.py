from datetime import timedelta

import pytest
from django.utils import timezone

from phongtrao.accounts.models import LoginCounter
from phongtrao.accounts.selectors import (
    login_wait_minutes,
    roles_assignable_by,
    units_in_picker,
    user_list,
    users_manageable_by,
)
from phongtrao.core.roles import Role

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


def _counter(key: str, attempts: int, minutes_ago: int, now) -> LoginCounter:
    return LoginCounter(
        key=key, attempts=attempts, window_start=now - timedelta(minutes=minutes_ago)
    )


def test_no_wait_at_the_limit(settings):
    # given a limit of 3 and a count of 3: the third attempt was allowed
    settings.LOGIN_FAILURE_LIMIT = 3
    now = timezone.now()
    # then nothing waits
    assert login_wait_minutes(counters=[_counter("account:boy", 3, 1, now)], now=now) == 0


def test_the_wait_runs_until_the_window_of_the_counter_over_its_limit_ends(settings):
    # given a window of 15 minutes; the account over its limit, its window started 5 minutes ago
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_FAILURE_ADDRESS_LIMIT = 50
    settings.LOGIN_FAILURE_WINDOW_MINUTES = 15
    now = timezone.now()
    counters = [_counter("account:boy", 4, 5, now), _counter("address:10.0.0.1", 4, 14, now)]
    # then the wait is the account's ten minutes; the address is below its own limit
    assert login_wait_minutes(counters=counters, now=now) == 10


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
