from datetime import UTC, datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from phongtrao.accounts.services import user_create
from phongtrao.conftest import TEST_PASSWORD
from phongtrao.core.models import AuditAction, AuditEvent
from phongtrao.core.roles import Role
from phongtrao.units.models import Unit

pytestmark = pytest.mark.django_db

AUDIT = reverse("audit:events")


def _event(unit, *, actor=None, name="Thôn Iệc", at=None):
    event = AuditEvent.objects.create(
        actor=actor,
        action=AuditAction.UPDATE,
        content_type=ContentType.objects.get_for_model(Unit),
        object_id=str(unit.pk),
        object_repr=name,
        unit=unit,
        unit_path=unit.path,
        changes={"name": ["Thôn Iệc Cũ", name]},
        source="test",
    )
    if at is not None:
        AuditEvent.objects.filter(pk=event.pk).update(at=at)
    return event


@pytest.fixture
def author(bo_y):
    return user_create(
        actor=None, username="by_an", password=TEST_PASSWORD, role=Role.DATA_ENTRY,
        units=(bo_y,), full_name="Nguyễn Văn An",
    )  # fmt: skip


@pytest.fixture
def viewer(make_user, bo_y):
    return make_user("by_xem", Role.VIEWER, (bo_y,))


def test_a_row_shows_time_user_action_object_unit_and_changes(
    client, viewer, author, make_area, bo_y
):
    # given a change made at 17:30 UTC on 1 March 2026
    area = make_area(bo_y, "Thôn Iệc")
    _event(area, actor=author, at=datetime(2026, 3, 1, 17, 30, tzinfo=UTC))
    client.force_login(viewer)
    # when a viewer of Bờ Y opens the audit, filtered to that day
    response = client.get(AUDIT, {"date_from": "2026-03-02", "date_to": "2026-03-02"})
    # then the row reads in Vietnamese and in Việt Nam time
    html = response.content.decode()
    assert response.status_code == 200
    history = reverse(
        "audit:object_history", args=[ContentType.objects.get_for_model(Unit).pk, area.pk]
    )
    for text in (
        "02/03/2026 00:30",
        "Nguyễn Văn An",
        "<td>Sửa</td>",
        f'<a href="{history}">Thôn Iệc</a>',
        "<strong>Tên đầy đủ</strong>: Thôn Iệc Cũ → Thôn Iệc",
    ):
        assert text in html


def test_the_audit_takes_dd_mm_yyyy_dates_too(client, viewer, bo_y):
    _event(bo_y, at=datetime(2026, 3, 1, 17, 30, tzinfo=UTC))
    client.force_login(viewer)
    response = client.get(AUDIT, {"date_from": "02/03/2026", "date_to": "02/03/2026"})
    assert [e.object_repr for e in response.context["object_list"]] == ["Thôn Iệc"]


def test_an_end_date_before_the_start_date_lists_nothing(client, viewer, bo_y):
    _event(bo_y)
    client.force_login(viewer)
    response = client.get(AUDIT, {"date_from": "2026-03-02", "date_to": "2026-03-01"})
    assert list(response.context["object_list"]) == []
    assert "Ngày kết thúc trước ngày bắt đầu." in response.content.decode()


def test_a_unit_outside_the_scope_is_no_filter_at_all(client, make_user, cam_thanh, bo_y):
    # given a Cẩm Thành viewer who asks for Bờ Y's events by its id
    _event(bo_y)
    client.force_login(make_user("ct_xem", Role.VIEWER, (cam_thanh,)))
    response = client.get(AUDIT, {"unit": bo_y.pk})
    # then nothing is listed and the filter is refused
    assert list(response.context["object_list"]) == []
    assert "unit" in response.context["filter_form"].errors


def test_the_audit_pages_by_fifty(client, viewer, bo_y):
    for i in range(55):
        _event(bo_y, name=f"Thôn {i}")
    client.force_login(viewer)
    # the events of `units load` carry no UPDATE; only the 55 made here are listed
    first = client.get(AUDIT, {"action": AuditAction.UPDATE})
    second = client.get(AUDIT, {"action": AuditAction.UPDATE, "page": 2})
    assert (len(first.context["object_list"]), len(second.context["object_list"])) == (50, 5)


def test_the_audit_page_takes_the_same_queries_for_more_events(
    client, viewer, author, make_area, bo_y
):
    client.force_login(viewer)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(AUDIT).status_code == 200
        return len(ctx.captured_queries)

    _event(make_area(bo_y, "Thôn A"), actor=author)
    few = count()
    for i in range(20):
        _event(make_area(bo_y, f"Thôn {i}"), actor=author)
    assert count() == few


def test_the_history_of_an_object(client, viewer, make_area, bo_y):
    area = make_area(bo_y, "Thôn Iệc")
    _event(area)
    client.force_login(viewer)
    url = reverse(
        "audit:object_history", args=[ContentType.objects.get_for_model(Unit).pk, area.pk]
    )
    response = client.get(url)
    assert response.status_code == 200
    assert [e.action for e in response.context["object_list"]] == [
        AuditAction.UPDATE,
        AuditAction.CREATE,
    ]


def test_the_history_page_takes_the_same_queries_for_more_events(client, viewer, author, bo_y):
    client.force_login(viewer)
    url = reverse(
        "audit:object_history", args=[ContentType.objects.get_for_model(Unit).pk, bo_y.pk]
    )

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for _ in range(20):
        _event(bo_y, actor=author)
    assert count() == few


def test_the_history_of_an_unknown_object_is_not_found(client, viewer):
    client.force_login(viewer)
    url = reverse(
        "audit:object_history", args=[ContentType.objects.get_for_model(Unit).pk, "999999999"]
    )
    assert client.get(url).status_code == 404


def test_the_audit_is_in_english_when_asked(client, viewer, bo_y):
    _event(bo_y)
    client.force_login(viewer)
    client.cookies["django_language"] = "en"
    response = client.get(AUDIT)
    assert "<td>Changed</td>" in response.content.decode()
