"""`phongtrao demo`: the demo province's accounts, one of each role at three levels."""

from datetime import timedelta

import pytest
from django.utils import timezone

from phongtrao.accounts.models import User
from phongtrao.ops.demo import demo_create
from phongtrao.reporting.models import Submission

pytestmark = pytest.mark.django_db

SCOPES = (("qn", "Tỉnh Quảng Ngãi"), ("boy", "Xã Bờ Y"), ("camthanh", "Phường Cẩm Thành"))
ROLES = (("xem", "viewer"), ("nhaplieu", "data_entry"), ("duyet", "approver"), ("quantri", "admin"))
ACCOUNTS = [(f"{slug}_{suffix}", role, unit) for slug, unit in SCOPES for suffix, role in ROLES]


def test_the_demo_makes_a_user_of_each_role_at_the_province_and_two_communes(demo):
    # when the demo is created (`demo`: by `phongtrao demo`, once for the tests that read it)
    # then twelve accounts, each with its role and its one unit, all with the demo password
    users = User.objects.filter(username__in=[a[0] for a in ACCOUNTS]).prefetch_related("units")
    found = sorted((u.username, u.role, [x.name for x in u.units.all()]) for u in users)
    assert found == sorted((name, role, [unit]) for name, role, unit in ACCOUNTS)
    assert all(u.check_password("PhongTrao@2026") for u in users)
    # and the command says how to log in
    lines = demo.output.splitlines()
    assert "Mật khẩu của mọi tài khoản demo: PhongTrao@2026" in lines
    assert any(line.split()[:1] == ["qn_quantri"] and "Tỉnh Quảng Ngãi" in line for line in lines)


def test_the_demo_still_loads_when_midnight_passes_while_it_runs():
    # given a demo that started yesterday, just before midnight, and reopens last years' reports
    yesterday = timezone.localdate() - timedelta(days=1)
    # when it is created
    demo_create(today=yesterday)
    # then each reopened report stays open for a week from the day the demo started
    reopened = set(
        Submission.objects.exclude(reopened_until=None).values_list("reopened_until", flat=True)
    )
    assert reopened == {yesterday + timedelta(days=7)}
    # and the years before the reform were filled
    assert Submission.objects.filter(period="2019").exists()


def test_the_demo_has_a_national_administrator_of_no_province(demo):
    # when the demo is created
    # then the national catalogue has its owner, who belongs to no unit
    national = User.objects.get(username="tw_quantri")
    assert (national.role, national.units.count()) == ("national_admin", 0)


def test_the_demo_users_are_named_in_vietnamese(demo):
    # when the demo is created (by a command, which runs with translation off)
    # then its users are named in the users' language, not "Data entry Bờ Y"
    names = dict(
        User.objects.filter(username__in=["boy_nhaplieu", "qn_duyet", "tw_quantri"]).values_list(
            "username", "last_name"
        )
    )
    assert names == {
        "boy_nhaplieu": "Nhập liệu Bờ Y",
        "qn_duyet": "Phê duyệt Quảng Ngãi",
        "tw_quantri": "Quản trị trung ương",
    }
