from datetime import date

import pytest

from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.models import AuditAction, AuditEvent
from phongtrao.core.roles import Role
from phongtrao.units.models import REFORM_DATE, Unit, UnitKind
from phongtrao.units.services import (
    UnitDraft,
    unit_create,
    unit_delete,
    unit_update,
    units_import,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(make_user, bo_y):
    return make_user("boy_nhaplieu", Role.DATA_ENTRY, (bo_y,))


@pytest.fixture
def outsider(make_user, cam_thanh):
    return make_user("camthanh_nhaplieu", Role.DATA_ENTRY, (cam_thanh,))


@pytest.fixture
def area(make_area, bo_y):
    return make_area(bo_y, "Thôn Iệc")


def counts() -> tuple[int, int]:
    return Unit.objects.count(), AuditEvent.objects.count()


# --- unit_create -----------------------------------------------------------------------------


def test_create_gives_the_next_commune_code_and_the_communes_validity(clerk, bo_y):
    # when
    unit = unit_create(
        actor=clerk, parent=bo_y, kind=UnitKind.RESIDENTIAL_AREA, name="Thôn Đăk Răng"
    )
    # then
    assert (unit.code, unit.valid_from, unit.valid_to) == ("23377-001", REFORM_DATE, None)
    assert (unit.path, unit.depth) == (f"{bo_y.path}{unit.pk}/", 3)
    assert unit.search_key == "thon dak rang 23377 001"


def test_create_normalises_nfd_text_to_nfc(clerk, bo_y):
    import unicodedata

    name = unicodedata.normalize("NFD", "  Làng   Le ")
    unit = unit_create(actor=clerk, parent=bo_y, kind=UnitKind.RESIDENTIAL_AREA, name=name)
    assert unit.name == "Làng Le"


def test_create_is_audited_with_the_actor_and_the_new_values(clerk, bo_y):
    # when
    unit = unit_create(
        actor=clerk, parent=bo_y, kind=UnitKind.SCHOOL, name="Trường THCS Bờ Y", source="web"
    )
    # then
    event = AuditEvent.objects.get(object_id=str(unit.pk))
    assert (event.action, event.actor, event.unit_id, event.source) == (
        AuditAction.CREATE,
        clerk,
        unit.pk,
        "web",
    )
    assert event.changes["name"] == [None, "Trường THCS Bờ Y"]
    assert event.changes["code"] == [None, "23377-001"]


def test_create_outside_the_scope_answers_not_found_and_writes_nothing(outsider, bo_y):
    # given
    before = counts()
    # when
    with pytest.raises(AppError) as error:
        unit_create(actor=outsider, parent=bo_y, kind=UnitKind.RESIDENTIAL_AREA, name="Thôn X")
    # then
    assert (error.value.code, error.value.message) == (
        ErrorCode.NOT_FOUND,
        "Không tìm thấy đơn vị.",
    )
    assert counts() == before


def test_a_viewer_may_not_create(make_user, bo_y):
    viewer = make_user("boy_xem", Role.VIEWER, (bo_y,))
    before = counts()
    with pytest.raises(AppError) as error:
        unit_create(actor=viewer, parent=bo_y, kind=UnitKind.RESIDENTIAL_AREA, name="Thôn X")
    assert error.value.code == ErrorCode.FORBIDDEN
    assert counts() == before


def test_a_residential_area_cannot_sit_under_a_province(clerk, quang_ngai, make_user):
    admin = make_user("qn_nhaplieu", Role.DATA_ENTRY, (quang_ngai,))
    before = counts()
    with pytest.raises(AppError) as error:
        unit_create(actor=admin, parent=quang_ngai, kind=UnitKind.RESIDENTIAL_AREA, name="Thôn X")
    assert (error.value.code, error.value.message) == (
        ErrorCode.INVALID,
        "Không thể đặt khu dân cư trực thuộc Tỉnh Quảng Ngãi.",
    )
    assert counts() == before


def test_an_administrative_kind_cannot_be_created(clerk, bo_y):
    before = counts()
    with pytest.raises(AppError) as error:
        unit_create(actor=clerk, parent=bo_y, kind=UnitKind.COMMUNE, name="Xã Mới")
    assert error.value.code == ErrorCode.INVALID
    assert counts() == before


def test_a_code_in_use_is_refused(clerk, bo_y, area):
    before = counts()
    with pytest.raises(AppError) as error:
        unit_create(actor=clerk, parent=bo_y, kind=UnitKind.SCHOOL, name="Trường A", code=area.code)
    assert (error.value.code, error.value.message) == (
        ErrorCode.INVALID,
        "Mã 23377-001 đã được dùng cho một đơn vị khác.",
    )
    assert counts() == before


def test_an_official_code_in_force_cannot_be_reused(clerk, bo_y):
    before = counts()
    with pytest.raises(AppError) as error:
        unit_create(actor=clerk, parent=bo_y, kind=UnitKind.SCHOOL, name="Trường A", code="21025")
    assert error.value.message == "Mã 21025 đã được dùng cho một đơn vị khác."
    assert counts() == before


def test_the_same_name_twice_under_one_commune_is_refused(clerk, bo_y, area):
    before = counts()
    with pytest.raises(AppError) as error:
        unit_create(actor=clerk, parent=bo_y, kind=UnitKind.RESIDENTIAL_AREA, name="Thôn Iệc")
    assert error.value.message == "Xã Bờ Y đã có khu dân cư tên Thôn Iệc."
    assert counts() == before


def test_a_unit_cannot_outlive_its_commune(clerk, plei_kan, make_user):
    # given a user of Bờ Y, who also sees Plei Kần, the town it took over
    before = counts()
    with pytest.raises(AppError) as error:
        unit_create(
            actor=clerk,
            parent=plei_kan,
            kind=UnitKind.RESIDENTIAL_AREA,
            name="Tổ dân phố 1",
            valid_to=date(2026, 1, 1),
        )
    assert error.value.message == (
        "Đơn vị không thể kéo dài quá Thị trấn Plei Kần (hết hiệu lực ngày 30/06/2025)."
    )
    assert counts() == before


def test_an_end_before_the_start_is_refused(clerk, bo_y):
    before = counts()
    with pytest.raises(AppError) as error:
        unit_create(
            actor=clerk,
            parent=bo_y,
            kind=UnitKind.RESIDENTIAL_AREA,
            name="Thôn X",
            valid_from=date(2026, 5, 1),
            valid_to=date(2026, 4, 1),
        )
    assert error.value.message == "Ngày kết thúc không được trước ngày bắt đầu."
    assert counts() == before


def test_a_model_validation_error_becomes_an_invalid_app_error(clerk, bo_y):
    # given a name longer than the column
    before = counts()
    with pytest.raises(AppError) as error:
        unit_create(actor=clerk, parent=bo_y, kind=UnitKind.RESIDENTIAL_AREA, name="T" * 201)
    assert error.value.code == ErrorCode.INVALID
    assert error.value.message.startswith("Dữ liệu của đơn vị không hợp lệ: tên đầy đủ:")
    assert counts() == before


def test_a_bad_phone_number_is_refused(clerk, bo_y):
    before = counts()
    with pytest.raises(AppError) as error:
        unit_create(
            actor=clerk,
            parent=bo_y,
            kind=UnitKind.RESIDENTIAL_AREA,
            name="Thôn X",
            contact_phone="gọi ông An",
        )
    assert error.value.code == ErrorCode.INVALID
    assert counts() == before


# --- unit_update -----------------------------------------------------------------------------


def test_update_changes_the_given_fields_and_audits_before_and_after(clerk, area):
    # when
    unit = unit_update(
        actor=clerk, unit=area, name="Thôn Iệc Mới", contact_name="Y Thị Hoa", contact_phone="0912"
    )
    # then
    area.refresh_from_db()
    assert (area.name, area.short_name, area.type_name, area.contact_name, area.contact_phone) == (
        "Thôn Iệc Mới",
        "Thôn Iệc Mới",
        "Thôn",
        "Y Thị Hoa",
        "0912",
    )
    assert area.search_key == "thon iec moi 23377 001"
    event = AuditEvent.objects.filter(object_id=str(unit.pk)).latest("id")
    assert (event.action, event.actor) == (AuditAction.UPDATE, clerk)
    assert event.changes == {
        "name": ["Thôn Iệc", "Thôn Iệc Mới"],
        "short_name": ["Thôn Iệc", "Thôn Iệc Mới"],
        "search_key": ["thon iec 23377 001", "thon iec moi 23377 001"],
        "contact_name": ["", "Y Thị Hoa"],
        "contact_phone": ["", "0912"],
    }


def test_an_update_that_changes_nothing_leaves_no_event(clerk, area):
    before = counts()
    unit_update(actor=clerk, unit=area, name="Thôn Iệc")
    assert counts() == before


def test_an_empty_end_date_means_as_long_as_the_commune(clerk, area):
    unit_update(actor=clerk, unit=area, valid_to=date(2027, 12, 31))
    unit_update(actor=clerk, unit=area, valid_to=None)
    area.refresh_from_db()
    assert area.valid_to is None


def test_an_administrative_unit_cannot_be_updated(clerk, bo_y):
    before = counts()
    with pytest.raises(AppError) as error:
        unit_update(actor=clerk, unit=bo_y, name="Xã Khác")
    bo_y.refresh_from_db()
    assert (error.value.code, bo_y.name) == (ErrorCode.FORBIDDEN, "Xã Bờ Y")
    assert counts() == before


def test_update_outside_the_scope_answers_not_found(outsider, area):
    before = counts()
    with pytest.raises(AppError) as error:
        unit_update(actor=outsider, unit=area, name="Thôn Khác")
    area.refresh_from_db()
    assert (error.value.code, area.name) == (ErrorCode.NOT_FOUND, "Thôn Iệc")
    assert counts() == before


def test_update_to_a_name_taken_in_the_commune_is_refused(clerk, area, make_area, bo_y):
    other = make_area(bo_y, "Làng Le")
    before = counts()
    with pytest.raises(AppError) as error:
        unit_update(actor=clerk, unit=other, name="Thôn Iệc")
    other.refresh_from_db()
    assert (error.value.message, other.name) == (
        "Xã Bờ Y đã có khu dân cư tên Thôn Iệc.",
        "Làng Le",
    )
    assert counts() == before


# --- unit_delete -----------------------------------------------------------------------------


def test_delete_removes_the_unit_and_audits_it_on_the_commune(clerk, area, bo_y):
    # given
    pk = area.pk
    # when
    unit_delete(actor=clerk, unit=area)
    # then
    assert not Unit.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.filter(object_id=str(pk)).latest("id")
    assert (event.action, event.actor, event.unit_id) == (AuditAction.DELETE, clerk, bo_y.pk)
    assert event.changes["name"] == ["Thôn Iệc", None]


def test_a_unit_with_units_below_is_not_deleted(clerk, area):
    # given a unit below the area, put there by hand (the services never do it)
    Unit.objects.create(
        code="X-1", kind=UnitKind.AGENCY, name="Chi hội", short_name="Chi hội", parent=area,
        path=f"{area.path}0/", depth=3, search_key="chi hoi",
    )  # fmt: skip
    before = counts()
    # when
    with pytest.raises(AppError) as error:
        unit_delete(actor=clerk, unit=area)
    # then
    assert (error.value.code, error.value.message) == (
        ErrorCode.CONFLICT,
        "Không thể xóa Thôn Iệc: còn 1 đơn vị trực thuộc; hãy xóa hoặc chuyển các đơn vị đó trước.",
    )
    assert counts() == before


def test_a_unit_users_are_assigned_to_is_not_deleted(clerk, area, make_user):
    make_user("truongthon", Role.DATA_ENTRY, (area,))
    before = counts()
    with pytest.raises(AppError) as error:
        unit_delete(actor=clerk, unit=area)
    assert error.value.message == "Không thể xóa Thôn Iệc: có tài khoản người dùng gắn với đơn vị."
    assert counts() == before


def test_an_administrative_unit_is_never_deleted(make_user, quang_ngai, bo_y):
    admin = make_user("qn_quantri", Role.ADMIN, (quang_ngai,))
    before = counts()
    with pytest.raises(AppError) as error:
        unit_delete(actor=admin, unit=bo_y)
    assert (error.value.code, error.value.message) == (
        ErrorCode.FORBIDDEN,
        "Đơn vị hành chính lấy từ danh mục chính thức, không thể sửa hoặc xóa tại đây.",
    )
    assert counts() == before


def test_delete_outside_the_scope_answers_not_found(outsider, area):
    before = counts()
    with pytest.raises(AppError) as error:
        unit_delete(actor=outsider, unit=area)
    assert error.value.code == ErrorCode.NOT_FOUND
    assert counts() == before


# --- units_import ----------------------------------------------------------------------------


def test_import_creates_every_draft_and_audits_each_as_an_import(clerk, bo_y):
    # given
    drafts = [
        UnitDraft(parent_id=bo_y.pk, kind=UnitKind.RESIDENTIAL_AREA, name="Thôn A", row=2),
        UnitDraft(parent_id=bo_y.pk, kind=UnitKind.SCHOOL, name="Trường B", code="BY-TH", row=3),
    ]
    # when
    created = units_import(actor=clerk, drafts=drafts)
    # then
    assert [(u.code, u.name, u.kind) for u in created] == [
        ("23377-001", "Thôn A", UnitKind.RESIDENTIAL_AREA),
        ("BY-TH", "Trường B", UnitKind.SCHOOL),
    ]
    sources = AuditEvent.objects.filter(object_id__in=[str(u.pk) for u in created])
    assert sorted(sources.values_list("source", "action")) == [
        ("import", AuditAction.CREATE),
        ("import", AuditAction.CREATE),
    ]


def test_import_writes_nothing_when_one_draft_is_refused(clerk, bo_y, area):
    # given a second row whose name is already taken
    drafts = [
        UnitDraft(parent_id=bo_y.pk, kind=UnitKind.RESIDENTIAL_AREA, name="Thôn A", row=2),
        UnitDraft(parent_id=bo_y.pk, kind=UnitKind.RESIDENTIAL_AREA, name="Thôn Iệc", row=3),
    ]
    before = counts()
    # when
    with pytest.raises(AppError) as error:
        units_import(actor=clerk, drafts=drafts)
    # then
    assert error.value.message == (
        "Dòng 3: Xã Bờ Y đã có khu dân cư tên Thôn Iệc. Không có đơn vị nào được nhập."
    )
    assert counts() == before
    assert not Unit.objects.filter(name="Thôn A").exists()
