"""The "Nhập số liệu" page offers the user's unit tree, level by level (issue 20 item 6).

Before, it offered only the user's own administrative units in force: a commune's villages,
agencies and schools, and the communes it took over in 2025, were reachable only by URL.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from phongtrao.core.roles import Role
from phongtrao.units.models import UnitKind
from phongtrao.units.scope import in_scope

pytestmark = pytest.mark.django_db

START = reverse("reporting:entry_start")


def listed(response) -> list[str]:
    pick = response.context["pick"]
    return [u.name for u in pick.units.object_list]


def test_a_commune_clerk_sees_its_villages_agencies_and_schools(
    client, form, bo_y, clerk, make_area
):
    # given Bờ Y with two villages and a school
    make_area(bo_y, "Thôn Một")
    make_area(bo_y, "Thôn Hai")
    make_area(bo_y, "Trường Tiểu học Bờ Y", kind=UnitKind.SCHOOL)
    client.force_login(clerk)
    # when its clerk opens the page
    response = client.get(START)
    # then it stands at Bờ Y, which is offered itself, with its units below, by kind
    pick = response.context["pick"]
    assert (pick.at, [u.name for u in pick.trail]) == (bo_y, ["Xã Bờ Y"])
    assert listed(response) == ["Thôn Một", "Thôn Hai", "Trường Tiểu học Bờ Y"]
    html = response.content.decode()
    assert f'<input type="radio" name="unit" value="{bo_y.pk}">' in html
    assert "<h3>Khu dân cư</h3>" in html and "<h3>Cơ sở giáo dục</h3>" in html


def test_a_commune_clerk_sees_the_communes_it_took_over_until_30_06_2025(client, form, bo_y, clerk):
    # given
    client.force_login(clerk)
    # when
    response = client.get(START)
    # then the three communes of before the reform are offered, each saying until when
    old = response.context["pick"].predecessors
    assert [u.name for u in old] == ["Thị trấn Plei Kần", "Xã Đăk Xú", "Xã Pờ Y"]
    html = response.content.decode()
    for name in ("Thị trấn Plei Kần", "Xã Đăk Xú", "Xã Pờ Y"):
        assert f"{name} (đến 30/06/2025)" in html


def test_a_commune_clerk_never_sees_a_unit_outside_the_scope(
    client, form, bo_y, cam_thanh, clerk, make_area
):
    # given a village of Bờ Y and one of Cẩm Thành, another province's commune
    make_area(bo_y, "Thôn Một")
    outside = make_area(cam_thanh, "Thôn Một")
    client.force_login(clerk)
    # when the clerk searches the tree, and asks for Cẩm Thành's level by its id
    found = client.get(START, {"at": bo_y.pk, "q": "thon mot", "search": "1"})
    moved = client.get(START, {"go_to": cam_thanh.pk})
    picked = client.get(START, {"go_to": bo_y.pk, "unit": outside.pk})
    # then only Bờ Y's village is found, Cẩm Thành's level is missing, its village not shown
    assert listed(found) == ["Thôn Một"]
    assert all(in_scope(clerk, u) for u in found.context["pick"].units.object_list)
    assert moved.status_code == 404
    assert picked.context["pick"].selected is None
    assert f'value="{outside.pk}"' not in picked.content.decode()


def test_an_old_commune_opens_its_own_units_of_then(client, form, bo_y, plei_kan, clerk, make_area):
    # given a village of Thị trấn Plei Kần, which ended with it
    village = make_area(plei_kan, "Thôn Kon Khôn")
    client.force_login(clerk)
    # when the clerk opens Plei Kần's level from Bờ Y's
    response = client.get(START, {"at": bo_y.pk, "go_to": plei_kan.pk})
    # then its village is offered as it was, until 30/06/2025
    assert listed(response) == ["Thôn Kon Khôn"]
    assert "Thôn Kon Khôn (đến 30/06/2025)" in response.content.decode()
    assert [u.name for u in response.context["pick"].trail] == ["Thị trấn Plei Kần"]
    assert village.pk == response.context["pick"].units.object_list[0].pk


def test_a_province_lists_its_communes_a_page_at_a_time(client, form, quang_ngai, make_user):
    # given Quảng Ngãi's approver (96 communes today)
    client.force_login(make_user("qn_approver", Role.APPROVER, (quang_ngai,)))
    # when they open the page, then its second page
    first = client.get(START)
    second = client.get(START, {"at": quang_ngai.pk, "page": "2"})
    # then 50 communes, then the other 46, and the two provinces it took over
    assert (len(listed(first)), len(listed(second))) == (50, 46)
    assert "Trang 1/2" in first.content.decode()
    old = [u.name for u in first.context["pick"].predecessors]
    assert old == ["Tỉnh Quảng Ngãi", "Tỉnh Kon Tum"]


def test_a_search_finds_a_commune_below_the_province_without_diacritics(
    client, form, quang_ngai, make_user
):
    client.force_login(make_user("qn_approver", Role.APPROVER, (quang_ngai,)))
    response = client.get(START, {"at": quang_ngai.pk, "q": "plei kan", "search": "1"})
    assert listed(response) == ["Thị trấn Plei Kần"]
    assert "Thị trấn Plei Kần (Huyện Ngọc Hồi) (đến 30/06/2025)" in response.content.decode()


def test_the_page_costs_the_same_queries_however_many_units_it_lists(
    client, form, bo_y, clerk, make_area
):
    # given Bờ Y with 2 villages
    make_area(bo_y, "Thôn 1")
    make_area(bo_y, "Thôn 2")
    client.force_login(clerk)
    client.get(START)  # the session and the scope, read once per login
    with CaptureQueriesContext(connection) as few:
        client.get(START)
    # when it has 30 more
    for n in range(3, 33):
        make_area(bo_y, f"Thôn {n}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(START)
    # then the page lists them all for the same queries
    assert len(listed(response)) == 32
    assert len(many) == len(few)


def test_the_page_query_count(client, form, bo_y, clerk, make_area, django_assert_num_queries):
    # given Bờ Y with 10 villages, and its clerk
    for n in range(1, 11):
        make_area(bo_y, f"Thôn {n}")
    client.force_login(clerk)
    # then: the session, the user, the scope, the user's units, the ancestors in scope, the
    # old units taken over, the count and the page of the units below, the form choices
    with django_assert_num_queries(9):
        client.get(START, {"form": "TEST_YEARLY", "period": "2026"})


def test_open_goes_to_the_entry_screen_of_the_unit_chosen(client, form, bo_y, clerk, make_area):
    # given a village chosen in the list
    village = make_area(bo_y, "Thôn Một")
    client.force_login(clerk)
    # when the form is opened with it
    query = {"form": "TEST_YEARLY", "period": "2026", "unit": village.pk, "open": "1"}
    response = client.get(START, query)
    # then the village's entry screen opens
    assert response.url == reverse("reporting:entry", args=["TEST_YEARLY", village.pk, "2026"])


def test_open_without_a_unit_says_to_choose_one_and_keeps_the_choices(client, form, bo_y, clerk):
    client.force_login(clerk)
    response = client.get(START, {"form": "TEST_YEARLY", "period": "2025", "open": "1"})
    assert response.context["start"].errors["unit"] == ["Hãy chọn một đơn vị trong danh sách."]
    html = response.content.decode()
    assert '<option value="TEST_YEARLY" selected>' in html
    assert 'value="2025"' in html


def test_moving_through_the_tree_keeps_the_form_and_period(client, form, bo_y, plei_kan, clerk):
    client.force_login(clerk)
    response = client.get(START, {"form": "TEST_YEARLY", "period": "2024", "go_to": plei_kan.pk})
    html = response.content.decode()
    assert response.context["pick"].at == plei_kan
    assert '<option value="TEST_YEARLY" selected>' in html and 'value="2024"' in html
    assert "errorlist" not in html
