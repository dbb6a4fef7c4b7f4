from datetime import UTC, date, datetime

import pytest
from django.contrib.contenttypes.models import ContentType

from phongtrao.accounts.audit_selectors import (
    ChangeRow,
    audit_change_rows,
    audit_content_types,
    audit_events,
    audit_object_events,
)
from phongtrao.accounts.models import User
from phongtrao.accounts.services import user_create
from phongtrao.conftest import TEST_PASSWORD
from phongtrao.core.models import AuditAction, AuditEvent
from phongtrao.core.roles import Role
from phongtrao.units.models import Unit
from phongtrao.units.scope import scope_paths

pytestmark = pytest.mark.django_db


def _event(unit, *, actor=None, at=None, action=AuditAction.UPDATE, changes=None, on=None):
    """An event about `on` (default: the unit itself), attached to `unit`."""
    target = on if on is not None else unit
    event = AuditEvent.objects.create(
        actor=actor,
        action=action,
        content_type=ContentType.objects.get_for_model(target),
        object_id=str(target.pk),
        object_repr=str(target),
        unit=unit,
        unit_path=unit.path if unit else "",
        changes=changes or {"name": ["Cũ", "Mới"]},
        source="test",
    )
    if at is not None:
        AuditEvent.objects.filter(pk=event.pk).update(at=at)
        event.refresh_from_db()
    return event


def _tested(qs):
    """Leave out the events of `units load`, which every loaded unit has."""
    return sorted(e.object_repr for e in qs.filter(source="test"))


def test_a_commune_reads_the_events_of_its_subtree_only(make_user, make_area, cam_thanh, bo_y):
    # given events of a Cẩm Thành area and of a Bờ Y area
    _event(make_area(cam_thanh, "Tổ dân phố 9"))
    _event(make_area(bo_y, "Thôn Iệc"))
    viewer = make_user("ct_xem", Role.VIEWER, (cam_thanh,))
    # then a viewer of Cẩm Thành reads only the first
    assert _tested(audit_events(user=viewer)) == ["Tổ dân phố 9"]


def test_bo_y_reads_the_events_of_plei_kan_which_it_took_over(make_user, bo_y, plei_kan):
    _event(plei_kan)
    viewer = make_user("by_xem", Role.VIEWER, (bo_y,))
    assert _tested(audit_events(user=viewer)) == ["Thị trấn Plei Kần"]


def test_events_without_a_unit_are_for_administrators_only(make_user, quang_ngai, bo_y):
    # given an event attached to no unit (a change to the national catalogue)
    _event(None, on=quang_ngai)
    admin = make_user("qn_quantri", Role.ADMIN, (quang_ngai,))
    approver = make_user("qn_duyet", Role.APPROVER, (quang_ngai,))
    # then the administrator reads it, the approver does not
    assert _tested(audit_events(user=admin)) == ["Tỉnh Quảng Ngãi"]
    assert _tested(audit_events(user=approver)) == []


def test_the_events_of_a_deleted_unit_stay_in_scope(make_user, make_area, bo_y):
    # given a residential area with an audited change, then deleted
    area = make_area(bo_y, "Thôn Sẽ Xóa")
    _event(area)
    Unit.objects.filter(pk=area.pk).delete()
    viewer = make_user("boy_xem", Role.VIEWER, (bo_y,))
    # then the commune still reads the area's history
    assert "Thôn Sẽ Xóa" in _tested(audit_events(user=viewer))


def test_the_unit_filter_keeps_the_unit_and_everything_below_it(
    make_user, make_area, quang_ngai, bo_y, cam_thanh
):
    _event(bo_y)
    _event(make_area(bo_y, "Thôn Iệc"))
    _event(make_area(cam_thanh, "Tổ dân phố 9"))
    admin = make_user("qn_quantri", Role.ADMIN, (quang_ngai,))
    assert _tested(audit_events(user=admin, unit=bo_y)) == ["Thôn Iệc", "Xã Bờ Y"]


def test_the_user_filter_ignores_diacritics(make_user, bo_y):
    author = user_create(
        actor=None, username="by_an", password=TEST_PASSWORD, role=Role.DATA_ENTRY,
        units=(bo_y,), full_name="Nguyễn Văn An",
    )  # fmt: skip
    other = make_user("by_binh", Role.DATA_ENTRY, (bo_y,))
    _event(bo_y, actor=author, changes={"name": ["a", "b"]})
    _event(bo_y, actor=other, changes={"name": ["c", "d"]})
    found = audit_events(user=author, actor_query="nguyen van an").filter(source="test")
    assert [e.changes for e in found] == [{"name": ["a", "b"]}]


def test_the_type_filter(make_user, bo_y):
    viewer = make_user("by_xem", Role.VIEWER, (bo_y,))
    _event(bo_y)
    _event(bo_y, on=viewer)
    user_type = ContentType.objects.get_for_model(User)
    assert _tested(audit_events(user=viewer, content_type=user_type)) == ["by_xem"]


def test_the_date_filter_uses_days_of_viet_nam(make_user, bo_y):
    # given an event at 17:30 UTC on 1 March, which is 00:30 on 2 March in Việt Nam
    viewer = make_user("by_xem", Role.VIEWER, (bo_y,))
    _event(bo_y, at=datetime(2026, 3, 1, 17, 30, tzinfo=UTC))
    # then it belongs to 2 March
    on_2nd = audit_events(user=viewer, date_from=date(2026, 3, 2), date_to=date(2026, 3, 2))
    up_to_1st = audit_events(user=viewer, date_to=date(2026, 3, 1))
    assert (_tested(on_2nd), _tested(up_to_1st)) == (["Xã Bờ Y"], [])


def test_the_action_filter(make_user, bo_y):
    viewer = make_user("by_xem", Role.VIEWER, (bo_y,))
    _event(bo_y, action=AuditAction.DELETE, changes={"name": ["x", None]})
    _event(bo_y, action=AuditAction.UPDATE)
    found = audit_events(user=viewer, action=AuditAction.DELETE).filter(source="test")
    assert [e.action for e in found] == [AuditAction.DELETE]


def test_events_come_newest_first(make_user, bo_y):
    viewer = make_user("by_xem", Role.VIEWER, (bo_y,))
    _event(bo_y, at=datetime(2026, 1, 1, tzinfo=UTC), changes={"name": ["1", "2"]})
    _event(bo_y, at=datetime(2026, 2, 1, tzinfo=UTC), changes={"name": ["2", "3"]})
    found = audit_events(user=viewer).filter(source="test")
    assert [e.changes["name"][1] for e in found] == ["3", "2"]


def test_the_history_of_one_object(make_user, make_area, bo_y):
    area = make_area(bo_y, "Thôn Iệc")
    viewer = make_user("by_xem", Role.VIEWER, (bo_y,))
    _event(area)
    _event(bo_y)
    unit_type = ContentType.objects.get_for_model(Unit)
    found = audit_object_events(user=viewer, content_type_id=unit_type.pk, object_id=str(area.pk))
    assert [(e.action, e.object_repr) for e in found] == [
        (AuditAction.UPDATE, "Thôn Iệc"),
        (AuditAction.CREATE, "Thôn Iệc"),
    ]


def test_the_history_of_an_object_outside_the_scope_is_empty(make_user, bo_y, cam_thanh):
    viewer = make_user("ct_xem", Role.VIEWER, (cam_thanh,))
    _event(bo_y)
    unit_type = ContentType.objects.get_for_model(Unit)
    found = audit_object_events(user=viewer, content_type_id=unit_type.pk, object_id=str(bo_y.pk))
    assert list(found) == []


def test_a_page_of_events_is_one_query_whatever_it_holds(
    make_user, make_area, bo_y, django_assert_num_queries
):
    # given thirty events by a user, on thirty areas
    author = make_user("by_nhaplieu", Role.DATA_ENTRY, (bo_y,))
    for i in range(30):
        _event(make_area(bo_y, f"Thôn {i}"), actor=author)
    scope_paths(author)
    # when reading a page with who, what and where
    with django_assert_num_queries(1):
        rows = [
            (e.actor.username, e.content_type.model, e.unit.name)
            for e in audit_events(user=author).filter(source="test")[:50]
        ]
    assert len(rows) == 30
    assert rows[0] == ("by_nhaplieu", "unit", "Thôn 29")


def test_the_project_types_are_offered_as_filters():
    labels = {(ct.app_label, ct.model) for ct in audit_content_types()}
    assert {("accounts", "user"), ("units", "unit"), ("core", "auditevent")} <= labels
    assert ("auth", "group") not in labels


def test_changes_are_shown_with_labels_and_vietnamese_values(make_user, bo_y):
    viewer = make_user("by_xem", Role.VIEWER, (bo_y,))
    event = _event(
        bo_y,
        on=viewer,
        changes={
            "role": ["viewer", "admin"],
            "is_active": [True, False],
            "date_joined": [None, "2026-03-01T17:30:00+00:00"],
            "units": [[1], [2, 3]],
            "phone": ["", "0905 111 222"],
        },
    )
    assert audit_change_rows(event) == [
        ChangeRow("vai trò", "Xem", "Quản trị"),
        ChangeRow("Kích hoạt", "Có", "Không"),
        ChangeRow("Ngày tham gia", "—", "02/03/2026 00:30"),
        ChangeRow("đơn vị", "1", "2, 3"),
        ChangeRow("điện thoại", "—", "0905 111 222"),
    ]


def test_a_dates_value_reads_dd_mm_yyyy(bo_y):
    event = _event(bo_y, changes={"valid_from": [None, "2025-07-01"]})
    assert [(r.before, r.after) for r in audit_change_rows(event)] == [("—", "01/07/2025")]


def test_a_numbers_value_reads_the_vietnamese_way(bo_y):
    # given an event whose numbers the audit table stored raw (1200, "3.000000")
    event = _event(bo_y, changes={"depth": [1200, "3.000000"]})
    # when
    rows = audit_change_rows(event)
    # then
    assert [(r.before, r.after) for r in rows] == [("1.200", "3")]


def test_a_foreign_key_change_shows_the_objects_names(bo_y, cam_thanh, make_area):
    from phongtrao.accounts.audit_selectors import audit_related_names

    # given an event that moved an area from one commune to another
    area = make_area(bo_y, "Thôn Di Chuyển")
    event = _event(area, changes={"parent": [bo_y.pk, cam_thanh.pk]})
    # when the rows are shown with the names of the page's related objects
    rows = audit_change_rows(event, audit_related_names([event]))
    # then the communes are named, not numbered
    assert [(r.before, r.after) for r in rows] == [("Xã Bờ Y", "Phường Cẩm Thành")]


def test_the_superuser_flag_is_labelled_in_vietnamese(make_user, bo_y):
    # given a user made superuser (Django's own label read "Trạng thái superuser")
    viewer = make_user("by_xem", Role.VIEWER, (bo_y,))
    event = _event(bo_y, on=viewer, changes={"is_superuser": [False, True]})
    # when it is shown
    rows = audit_change_rows(event)
    # then
    assert rows == [ChangeRow("quyền quản trị toàn quốc", "Không", "Có")]
