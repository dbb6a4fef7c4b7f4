from datetime import date

import pytest
from django.urls import reverse

from phongtrao.core.models import AuditEvent
from phongtrao.core.roles import Role
from phongtrao.units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db

BROWSE = reverse("units:browse")


@pytest.fixture
def national_user(make_user):
    return make_user("quantri", Role.ADMIN, is_superuser=True)


@pytest.fixture
def bo_y_clerk(make_user, bo_y):
    return make_user("boy_nhaplieu", Role.DATA_ENTRY, (bo_y,))


@pytest.fixture
def cam_thanh_clerk(make_user, cam_thanh):
    return make_user("camthanh_nhaplieu", Role.DATA_ENTRY, (cam_thanh,))


@pytest.fixture
def bo_y_viewer(make_user, bo_y):
    return make_user("boy_xem", Role.VIEWER, (bo_y,))


@pytest.fixture
def thon_iec(bo_y):
    from phongtrao.units.services import unit_create

    return unit_create(
        actor=None,
        parent=bo_y,
        kind=UnitKind.RESIDENTIAL_AREA,
        name="Thôn Iệc",
        type_name="Thôn",
        contact_name="Nguyễn Văn An",
        contact_phone="0905 123 456",
    )


def node_names(response) -> list[str]:
    return [u.name for u in response.context["nodes"]]


# --- browse ----------------------------------------------------------------------------------


def test_a_national_user_sees_the_34_provinces_of_today(client, national_user):
    # given
    client.force_login(national_user)
    # when
    response = client.get(BROWSE)
    # then
    names = node_names(response)
    assert response.status_code == 200
    assert len(names) == 34
    assert "Tỉnh Quảng Ngãi" in names
    assert "Tỉnh Kon Tum" not in names


def test_the_date_switch_shows_the_63_provinces_of_2019(client, national_user):
    # given
    client.force_login(national_user)
    # when
    response = client.get(BROWSE, {"on": "2019-08-19"})
    # then
    names = node_names(response)
    assert len(names) == 63
    assert "Tỉnh Kon Tum" in names
    assert "Đơn vị có hiệu lực ngày 19/08/2019." in response.content.decode()
    assert "Trước sắp xếp đơn vị hành chính ngày 01/7/2025" in response.content.decode()


def test_an_invalid_date_is_refused_and_today_is_shown(client, national_user):
    client.force_login(national_user)
    response = client.get(BROWSE, {"on": "19/19/2019"})
    assert len(node_names(response)) == 34
    assert "Nhập một ngày hợp lệ." in response.content.decode()


def test_a_commune_user_sees_only_their_commune_at_the_top(client, cam_thanh_clerk):
    client.force_login(cam_thanh_clerk)
    response = client.get(BROWSE)
    assert node_names(response) == ["Phường Cẩm Thành"]


def test_before_the_reform_a_commune_user_sees_the_old_communes_their_commune_took_over(
    client, cam_thanh_clerk
):
    client.force_login(cam_thanh_clerk)
    response = client.get(BROWSE, {"on": "2019-08-19"})
    assert node_names(response) == [
        "Phường Nghĩa Chánh",
        "Phường Trần Hưng Đạo",
        "Phường Nguyễn Nghiêm",
        "Phường Chánh Lộ",
    ]


def test_without_javascript_a_branch_opens_with_a_link(client, national_user, quang_ngai):
    # given
    client.force_login(national_user)
    # when opening Quảng Ngãi through the link of the tree
    response = client.get(BROWSE, {"open": quang_ngai.pk})
    # then its communes of today are listed under it
    province = next(u for u in response.context["nodes"] if u.pk == quang_ngai.pk)
    assert province.expanded is True
    assert len(province.tree_children) == 96
    assert "Xã Bờ Y" in response.content.decode()


def test_search_ignores_diacritics_and_takes_the_date(client, national_user):
    # given
    client.force_login(national_user)
    # when
    response = client.get(BROWSE, {"q": "plei kan", "on": "2019-08-19"})
    # then
    rows = [(u.code, u.name, u.parent.name) for u in response.context["page_obj"]]
    assert rows == [("23377", "Thị trấn Plei Kần", "Huyện Ngọc Hồi")]
    assert "Tìm thấy 1 đơn vị." in response.content.decode()


def test_search_is_limited_to_the_users_scope(client, cam_thanh_clerk):
    client.force_login(cam_thanh_clerk)
    response = client.get(BROWSE, {"q": "bo y"})
    assert list(response.context["page_obj"]) == []
    assert "Không có đơn vị nào phù hợp." in response.content.decode()


def test_search_results_come_50_a_page(client, national_user):
    # given
    client.force_login(national_user)
    expected = Unit.objects.filter(search_key__contains="phuong", valid_from=date(2025, 7, 1))
    total = expected.count()
    # when
    response = client.get(BROWSE, {"q": "phuong", "page": 2})
    # then
    page = response.context["page_obj"]
    assert (page.number, len(page), page.paginator.count) == (2, 50, total)
    assert f"Trang 2/{page.paginator.num_pages}" in response.content.decode()


def test_an_htmx_search_answers_with_the_results_only(client, national_user):
    client.force_login(national_user)
    response = client.get(BROWSE, {"q": "bo y"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body
    assert "Xã Bờ Y" in body
    assert "HX-Request" in response["Vary"]


def test_search_query_count_does_not_grow_with_the_rows(
    client, national_user, django_assert_num_queries
):
    # given one search with 1 result and one with a full page of 50
    client.force_login(national_user)
    client.get(BROWSE)  # warm up the session
    # when / then: session, user, count, page
    with django_assert_num_queries(4):
        one = client.get(BROWSE, {"q": "23377"})
    with django_assert_num_queries(4):
        many = client.get(BROWSE, {"q": "xa"})
    assert (len(one.context["page_obj"]), len(many.context["page_obj"])) == (1, 50)


def test_tree_query_count_does_not_grow_with_the_rows(
    client, cam_thanh_clerk, national_user, django_assert_num_queries
):
    # given a user with one root and a user with 34
    client.force_login(cam_thanh_clerk)
    client.get(BROWSE)
    # when / then: session, user, scope, roots
    with django_assert_num_queries(4):
        one = client.get(BROWSE)
    client.force_login(national_user)
    client.get(BROWSE)
    # a superuser's scope needs no query
    with django_assert_num_queries(3):
        many = client.get(BROWSE)
    assert (len(one.context["nodes"]), len(many.context["nodes"])) == (1, 34)


# --- children partial ------------------------------------------------------------------------


def test_the_children_partial_lists_the_communes_of_a_province(client, national_user, quang_ngai):
    client.force_login(national_user)
    response = client.get(reverse("units:children", args=[quang_ngai.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert len(response.context["nodes"]) == 96
    assert "Xã Bờ Y" in body


def test_the_children_partial_of_an_old_province_lists_its_districts(client, national_user):
    # given Kon Tum as it was in 2019
    client.force_login(national_user)
    kon_tum = Unit.objects.get(code="62", kind=UnitKind.PROVINCE)
    # when
    response = client.get(reverse("units:children", args=[kon_tum.pk]), {"on": "2019-08-19"})
    # then its 10 districts, each with its communes counted
    nodes = list(response.context["nodes"])
    assert len(nodes) == 10
    assert {u.kind for u in nodes} == {UnitKind.DISTRICT}
    ngoc_hoi = next(u for u in nodes if u.name == "Huyện Ngọc Hồi")
    assert ngoc_hoi.child_count == 8


def test_children_query_count_does_not_grow_with_the_rows(
    client, national_user, quang_ngai, bo_y, make_area, django_assert_num_queries
):
    # given a province of 96 communes and a commune with one residential area
    client.force_login(national_user)
    make_area(bo_y)
    client.get(BROWSE)
    # when / then: session, user, unit, children
    with django_assert_num_queries(4):
        many = client.get(reverse("units:children", args=[quang_ngai.pk]))
    with django_assert_num_queries(4):
        one = client.get(reverse("units:children", args=[bo_y.pk]))
    assert (len(many.context["nodes"]), len(one.context["nodes"])) == (96, 1)


def test_the_children_partial_of_a_unit_out_of_scope_is_not_found(client, cam_thanh_clerk, bo_y):
    client.force_login(cam_thanh_clerk)
    response = client.get(reverse("units:children", args=[bo_y.pk]))
    assert response.status_code == 404


# --- detail ----------------------------------------------------------------------------------


def test_an_old_unit_shows_its_successor_with_share_and_default_marker(
    client, bo_y_clerk, plei_kan
):
    # given
    client.force_login(bo_y_clerk)
    # when
    response = client.get(reverse("units:detail", args=[plei_kan.pk]))
    # then
    body = response.content.decode()
    assert [(r["unit"].name, r["unit"].parent.name, r["share"], r["is_default"])
            for r in response.context["successors"]] == [
        ("Xã Bờ Y", "Tỉnh Quảng Ngãi", "1", True)
    ]  # fmt: skip
    assert "Từ ngày 01/7/2025 chuyển về" in body
    assert "mặc định" in body
    assert "30/06/2025" in body
    assert "Đã hết hiệu lực" in body


def test_a_divided_commune_shows_each_share_the_vietnamese_way(client, national_user):
    # given Xã Trà Bùi, divided between two new communes
    client.force_login(national_user)
    tra_bui = Unit.objects.get(code="21142", kind=UnitKind.COMMUNE, valid_to=date(2025, 6, 30))
    # when
    response = client.get(reverse("units:detail", args=[tra_bui.pk]))
    # then
    rows = [(r["unit"].name, r["share"], r["is_default"]) for r in response.context["successors"]]
    assert rows == [("Xã Cà Đam", "0,5", True), ("Xã Tây Trà Bồng", "0,5", False)]
    assert '<td class="num">0,5</td>' in response.content.decode()


def test_a_new_unit_shows_its_predecessors(client, bo_y_clerk, bo_y):
    client.force_login(bo_y_clerk)
    response = client.get(reverse("units:detail", args=[bo_y.pk]))
    rows = [(r["unit"].name, r["unit"].parent.name, r["share"])
            for r in response.context["predecessors"]]  # fmt: skip
    assert rows == [
        ("Thị trấn Plei Kần", "Huyện Ngọc Hồi", "1"),
        ("Xã Pờ Y", "Huyện Ngọc Hồi", "1"),
        ("Xã Đăk Xú", "Huyện Ngọc Hồi", "1"),
    ]
    assert "Hình thành ngày 01/7/2025 từ" in response.content.decode()


def test_the_breadcrumb_names_every_ancestor_and_links_only_those_in_scope(
    client, bo_y_clerk, thon_iec, bo_y, quang_ngai
):
    client.force_login(bo_y_clerk)
    response = client.get(reverse("units:detail", args=[thon_iec.pk]))
    assert [(u.name, visible) for u, visible in response.context["ancestors"]] == [
        ("Tỉnh Quảng Ngãi", False),
        ("Xã Bờ Y", True),
    ]
    body = response.content.decode()
    assert f'href="/units/{bo_y.pk}/"' in body
    assert f'href="/units/{quang_ngai.pk}/"' not in body


def test_a_grassroots_unit_shows_its_contact_actions_and_audit_link(client, bo_y_clerk, thon_iec):
    client.force_login(bo_y_clerk)
    body = client.get(reverse("units:detail", args=[thon_iec.pk])).content.decode()
    assert "Nguyễn Văn An" in body
    assert 'href="tel:0905123456"' in body
    assert f'href="/units/{thon_iec.pk}/edit/"' in body
    assert f'href="/units/{thon_iec.pk}/delete/"' in body
    assert f'href="/audit/?unit={thon_iec.pk}"' in body
    assert "Khu dân cư" in body


def test_a_viewer_sees_no_edit_actions(client, bo_y_viewer, thon_iec):
    client.force_login(bo_y_viewer)
    body = client.get(reverse("units:detail", args=[thon_iec.pk])).content.decode()
    assert "/edit/" not in body
    assert "/delete/" not in body


def test_a_commune_shows_its_residential_areas(client, bo_y_clerk, bo_y, thon_iec):
    client.force_login(bo_y_clerk)
    response = client.get(reverse("units:detail", args=[bo_y.pk]))
    assert [u.name for u in response.context["children"]] == ["Thôn Iệc"]
    assert f'href="/units/{bo_y.pk}/add/"' in response.content.decode()


def test_an_old_province_shows_its_districts_of_its_last_day(client, national_user):
    client.force_login(national_user)
    kon_tum = Unit.objects.get(code="62", kind=UnitKind.PROVINCE)
    response = client.get(reverse("units:detail", args=[kon_tum.pk]))
    assert response.context["day"] == date(2025, 6, 30)
    assert len(response.context["children"]) == 10


# The detail page takes no POST at all (405), whoever asks.
@pytest.mark.parametrize(
    "name, post_status", [("units:detail", 405), ("units:update", 404), ("units:delete", 404)]
)
def test_a_unit_out_of_scope_answers_not_found_and_nothing_changes(
    client, cam_thanh_clerk, thon_iec, name, post_status
):
    # given a user of Cẩm Thành and a residential area of Bờ Y
    client.force_login(cam_thanh_clerk)
    before = (Unit.objects.count(), AuditEvent.objects.count())
    # when
    got = client.get(reverse(name, args=[thon_iec.pk]))
    posted = client.post(reverse(name, args=[thon_iec.pk]), {"name": "Thôn Khác"})
    # then
    thon_iec.refresh_from_db()
    assert (got.status_code, posted.status_code) == (404, post_status)
    assert thon_iec.name == "Thôn Iệc"
    assert (Unit.objects.count(), AuditEvent.objects.count()) == before


# --- create, edit, delete --------------------------------------------------------------------


def form_data(**values) -> dict:
    return {
        "kind": UnitKind.RESIDENTIAL_AREA,
        "name": "Thôn Đăk Răng",
        "type_name": "Thôn",
        "code": "",
        "valid_from": "",
        "valid_to": "",
        "contact_name": "",
        "contact_phone": "",
    } | values


def test_a_clerk_adds_a_residential_area(client, bo_y_clerk, bo_y):
    # given
    client.force_login(bo_y_clerk)
    # when
    response = client.post(reverse("units:create", args=[bo_y.pk]), form_data(), follow=True)
    # then
    unit = Unit.objects.get(parent=bo_y, name="Thôn Đăk Răng")
    assert (unit.code, unit.type_name, unit.kind) == ("23377-001", "Thôn", "residential_area")
    assert response.redirect_chain == [(f"/units/{unit.pk}/", 302)]
    assert "Đã thêm Thôn Đăk Răng." in response.content.decode()
    assert AuditEvent.objects.filter(object_id=str(unit.pk), actor=bo_y_clerk).count() == 1


def test_the_add_form_offers_only_the_kinds_the_parent_can_hold(client, make_user, quang_ngai):
    client.force_login(make_user("qn_nhaplieu", Role.DATA_ENTRY, (quang_ngai,)))
    response = client.get(reverse("units:create", args=[quang_ngai.pk]))
    choices = [k for k, _label in response.context["form"].fields["kind"].choices]
    assert choices == ["agency", "enterprise", "school", "police_unit"]


def test_an_invalid_add_shows_the_reason_and_writes_nothing(client, bo_y_clerk, bo_y):
    client.force_login(bo_y_clerk)
    before = (Unit.objects.count(), AuditEvent.objects.count())
    response = client.post(
        reverse("units:create", args=[bo_y.pk]),
        form_data(valid_from="2026-05-01", valid_to="2026-04-01"),
    )
    assert response.status_code == 200
    assert "Ngày kết thúc không được trước ngày bắt đầu." in response.content.decode()
    assert (Unit.objects.count(), AuditEvent.objects.count()) == before


def test_nothing_can_be_added_below_a_residential_area(client, bo_y_clerk, thon_iec):
    client.force_login(bo_y_clerk)
    response = client.get(reverse("units:create", args=[thon_iec.pk]))
    assert response.status_code == 404


def test_a_viewer_cannot_add(client, bo_y_viewer, bo_y):
    client.force_login(bo_y_viewer)
    before = Unit.objects.count()
    response = client.post(reverse("units:create", args=[bo_y.pk]), form_data())
    assert response.status_code == 403
    assert Unit.objects.count() == before


def test_a_clerk_edits_a_residential_area(client, bo_y_clerk, thon_iec):
    # given
    client.force_login(bo_y_clerk)
    data = form_data(name="Thôn Iệc 2", contact_name="Y Thị Hoa", contact_phone="0912 345 678")
    # when
    response = client.post(reverse("units:update", args=[thon_iec.pk]), data)
    # then
    thon_iec.refresh_from_db()
    assert response.status_code == 302
    assert (thon_iec.name, thon_iec.contact_name, thon_iec.contact_phone) == (
        "Thôn Iệc 2",
        "Y Thị Hoa",
        "0912 345 678",
    )
    event = AuditEvent.objects.filter(object_id=str(thon_iec.pk)).latest("id")
    assert event.changes["name"] == ["Thôn Iệc", "Thôn Iệc 2"]


def test_the_edit_form_is_filled_with_the_units_values(client, bo_y_clerk, thon_iec):
    client.force_login(bo_y_clerk)
    response = client.get(reverse("units:update", args=[thon_iec.pk]))
    form = response.context["form"]
    assert "kind" not in form.fields and "code" not in form.fields
    assert (form.initial["name"], form.initial["valid_from"]) == ("Thôn Iệc", date(2025, 7, 1))


def test_an_administrative_unit_cannot_be_edited_or_deleted(client, bo_y_clerk, bo_y):
    client.force_login(bo_y_clerk)
    edit = client.post(reverse("units:update", args=[bo_y.pk]), form_data(name="Xã Khác"))
    delete = client.post(reverse("units:delete", args=[bo_y.pk]))
    bo_y.refresh_from_db()
    assert (edit.status_code, delete.status_code) == (403, 403)
    assert bo_y.name == "Xã Bờ Y"


def test_delete_asks_for_confirmation_then_deletes(client, bo_y_clerk, thon_iec, bo_y):
    # given
    client.force_login(bo_y_clerk)
    pk = thon_iec.pk
    # when
    confirm = client.get(reverse("units:delete", args=[pk]))
    response = client.post(reverse("units:delete", args=[pk]), follow=True)
    # then
    assert "Xóa Thôn Iệc (mã 23377-001)?" in confirm.content.decode()
    assert response.redirect_chain == [(f"/units/{bo_y.pk}/", 302)]
    assert "Đã xóa Thôn Iệc." in response.content.decode()
    assert not Unit.objects.filter(pk=pk).exists()


def test_a_refused_delete_shows_why_and_keeps_the_unit(client, bo_y_clerk, thon_iec, make_user):
    client.force_login(bo_y_clerk)
    make_user("truongthon", Role.DATA_ENTRY, (thon_iec,))
    response = client.post(reverse("units:delete", args=[thon_iec.pk]))
    assert response.status_code == 200
    assert "Không thể xóa Thôn Iệc: có tài khoản người dùng gắn với đơn vị." in (
        response.content.decode()
    )
    assert Unit.objects.filter(pk=thon_iec.pk).exists()
