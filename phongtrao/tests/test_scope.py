"""Every page of the project, walked by users of Phường Cẩm Thành against Xã Bờ Y's objects.

A page with an object in its URL answers 404 to GET and POST, exactly like a missing object.
A page without one answers 403, or 200 without any of Bờ Y's private objects. Nothing of
Bờ Y is ever written.

ADDING A PAGE WITH AN OBJECT IN ITS URL? Add its name to `OBJECT_PAGES` with a function that
builds the kwargs for Bờ Y's objects, or to `NATIONAL_PAGES` when the object belongs to no
unit. The walk fails for any page it does not know, so no page escapes the check.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from phongtrao.accounts.models import User
from phongtrao.accounts.services import user_create
from phongtrao.conftest import TEST_PASSWORD
from phongtrao.core.models import AuditEvent
from phongtrao.core.roles import Role
from phongtrao.registries.tests.scope_pages import registry_object_pages
from phongtrao.units.models import Unit, UnitKind
from phongtrao.units.services import unit_create

pytestmark = pytest.mark.django_db

# Bờ Y's private data: none of it may appear on any page a Cẩm Thành user opens.
AREA_NAME = "Thôn Bí Mật Bờ Y"
CONTACT_NAME = "Liên Hệ Bí Mật"
CONTACT_PHONE = "0999 888 777"
USER_NAME = "by_bimat"
USER_FULL_NAME = "Người Dùng Bí Mật"
FESTIVAL_VENUE = "Địa Điểm Bí Mật Bờ Y"
VALUE_COMMENT = "Ghi Chú Bí Mật Bờ Y"
MARKERS = (
    AREA_NAME, CONTACT_NAME, CONTACT_PHONE, USER_NAME, USER_FULL_NAME, FESTIVAL_VENUE,
    VALUE_COMMENT,
)  # fmt: skip

# Pages that need no scope check: signing in and out, and the language switch.
SKIPPED_PREFIXES = ("i18n/",)
SKIPPED_NAMES = {
    "accounts:login",
    "accounts:logout",
    "accounts:password_change",
    "accounts:password_change_done",
}

# Names of fields a page might take a unit, a parent or an account from, all pointing at Bờ Y.
POST_PROBE_FIELDS = ("unit", "units", "parent", "unit_pk", "user", "pk")
MISSING_ID = 2_000_000_000


@dataclass
class BoY:
    """Objects of Xã Bờ Y, made on first use."""

    commune: Unit

    @cached_property
    def area(self) -> Unit:
        return unit_create(
            actor=None, parent=self.commune, kind=UnitKind.RESIDENTIAL_AREA, name=AREA_NAME,
            type_name="Thôn", contact_name=CONTACT_NAME, contact_phone=CONTACT_PHONE,
        )  # fmt: skip

    @cached_property
    def user(self) -> User:
        return user_create(
            actor=None, username=USER_NAME, password=TEST_PASSWORD, role=Role.DATA_ENTRY,
            units=[self.area], full_name=USER_FULL_NAME,
        )  # fmt: skip

    @cached_property
    def area_event(self) -> AuditEvent:
        return AuditEvent.objects.get(
            content_type=ContentType.objects.get_for_model(Unit), object_id=str(self.area.pk)
        )

    @cached_property
    def festival(self):
        from datetime import date

        from phongtrao.registries.models import FestivalEvent

        return FestivalEvent.objects.create(
            unit=self.area, year=2026, held_on=date(2026, 8, 19), venue=FESTIVAL_VENUE,
            participants=12,
        )  # fmt: skip

    @cached_property
    def value(self):
        from phongtrao.catalog.models import Indicator
        from phongtrao.reporting.models import DataValue

        return DataValue.objects.create(
            indicator=Indicator.objects.get(code="FESTIVAL_EVENTS"), unit=self.area,
            period="2026", value="1", number=1, comment=VALUE_COMMENT,
        )  # fmt: skip

    def prepare(self) -> None:
        """Make every private object, so each page had the chance to show it: the area and its
        contact, an account, a registry entry and a data value with its comment."""
        self.area_event  # noqa: B018
        self.user  # noqa: B018
        self.festival  # noqa: B018
        self.value  # noqa: B018


Kwargs = dict[str, object]
Builder = Callable[[BoY], list[Kwargs]]


def _units(w: BoY) -> list[Kwargs]:
    return [{"pk": w.area.pk}, {"pk": w.commune.pk}]


def _entry(w: BoY) -> Kwargs:
    return {"form_code": "FESTIVAL", "unit_pk": w.commune.pk, "period": "2026"}


def _value_import(w: BoY):
    from django.utils import timezone

    from phongtrao.reporting.models import ValueChange, ValueImport

    record = ValueImport.objects.create(
        at=timezone.now(), file_name="bo-y.csv", format="csv", imported=1, unit=w.commune,
        unit_path=w.commune.path,
    )  # fmt: skip
    ValueChange.objects.create(
        value_import=record, value=w.value, version=1, after="1", after_comment=VALUE_COMMENT
    )
    return record


def _import_job(w: BoY):
    from phongtrao.reporting.models import ImportJob

    job, _ = ImportJob.objects.get_or_create(
        actor=w.user, upload="x.csv", file_name="so-lieu.csv", format="csv", status="done"
    )
    return job


def _report_job(w: BoY):
    from phongtrao.documents.models import ReportJob

    job, _ = ReportJob.objects.get_or_create(
        unit=w.commune, year=2019, boundaries="current", format="docx", status="done"
    )
    return job


def _document_template(w: BoY):
    from phongtrao.documents.models import DocumentTemplate

    template, _ = DocumentTemplate.objects.get_or_create(
        unit=w.commune, defaults={"file": "documents/templates/x.docx", "original_name": "x.docx"}
    )
    return template


def _source_document(w: BoY):
    from phongtrao.extraction.services import source_document_create

    text = "CÔNG AN XÃ BỜ Y\nBÁO CÁO năm 2026\nTổ chức 3 buổi tuyên truyền.\n"
    return source_document_create(actor=w.user, name="bao-cao.txt", data=text.encode())


def _notification(w: BoY):
    from phongtrao.catalog.models import ReportForm
    from phongtrao.notifications.models import NotificationKind
    from phongtrao.notifications.services import ReportRef, notifications_send

    entry = reverse("reporting:entry", kwargs=_entry(w))
    report = ReportRef(w.commune, ReportForm.objects.get(code="FESTIVAL"), "2026", entry)
    return notifications_send(
        actor=None, recipients=[w.user], kind=NotificationKind.RETURNED, report=report,
        text=VALUE_COMMENT,
    )[0]  # fmt: skip


OBJECT_PAGES: dict[str, Builder] = {
    "units:detail": _units,
    "units:children": _units,
    "units:update": lambda w: [{"pk": w.area.pk}],
    "units:delete": lambda w: [{"pk": w.area.pk}],
    "units:create": _units,
    "units:import": _units,
    "accounts:user_update": lambda w: [{"pk": w.user.pk}],
    "accounts:user_set_active": lambda w: [{"pk": w.user.pk}],
    "accounts:user_password": lambda w: [{"pk": w.user.pk}],
    "accounts:user_unlock": lambda w: [{"pk": w.user.pk}],
    "audit:object_history": lambda w: [
        {"content_type_id": w.area_event.content_type_id, "object_id": w.area_event.object_id}
    ],
    "reporting:entry": lambda w: [_entry(w)],
    "reporting:action": lambda w: [_entry(w)],
    "reporting:fill_derived": lambda w: [_entry(w)],
    "reporting:cell": lambda w: [_entry(w) | {"indicator_code": "FESTIVAL_EVENTS"}],
    "reporting:value_history": lambda w: [{"pk": w.value.pk}],
    "analytics:entry_totals": lambda w: [_entry(w)],
    "analytics:entry_cell": lambda w: [_entry(w) | {"indicator_code": "FESTIVAL_EVENTS"}],
    "reporting:value_import": lambda w: [{"pk": _value_import(w).pk}],
    "reporting:import_job": lambda w: [{"pk": _import_job(w).pk}],
    **registry_object_pages(),
    "documents:job": lambda w: [{"pk": _report_job(w).pk}],
    "documents:job_download": lambda w: [{"pk": _report_job(w).pk}],
    "documents:template_download": lambda w: [{"pk": _document_template(w).pk}],
    "documents:template_delete": lambda w: [{"pk": _document_template(w).pk}],
    "extraction:review": lambda w: [{"pk": _source_document(w).pk}],
    "extraction:file": lambda w: [{"pk": _source_document(w).pk}],
    "analytics:dashboard": _units,
    "analytics:dashboard_csv": lambda w: [
        {"pk": w.commune.pk, "table": table} for table in ("units", "statuses", "ranking")
    ],
    "analytics:map": _units,
    "analytics:map_csv": _units,
    "notifications:open": lambda w: [{"pk": _notification(w).pk}],
}

# Objects that belong to no unit (the national catalogue): who may change them is a matter
# of role, checked by the app's own tests. Listed so that leaving a page out is a decision.
NATIONAL_PAGES = {
    "catalog:indicator_edit",
    "catalog:form_detail",
    "catalog:form_edit",
    "catalog:form_sections",
    "catalog:form_items",
    "catalog:rule_create",
    "catalog:rule_edit",
    "catalog:rule_delete",
    "registries:scheme_type_edit",
}


@dataclass(frozen=True)
class Page:
    name: str
    route: str
    kwargs: tuple[str, ...]


def _walk(
    patterns, prefix: str = "", namespace: str = "", kwargs: tuple[str, ...] = ()
) -> Iterator[Page]:
    for entry in patterns:
        route = prefix + str(entry.pattern)
        # An include()'s own prefix may hold converters too ("<int:unit_pk>/reports/").
        names = (*kwargs, *entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, route, ns, names)
            continue
        assert isinstance(entry, URLPattern)
        yield Page(f"{namespace}{entry.name}" if entry.name else "", route, names)


def project_pages() -> list[Page]:
    pages = []
    for page in _walk(get_resolver().url_patterns):
        if page.route.startswith(SKIPPED_PREFIXES) or page.name in SKIPPED_NAMES:
            continue
        if "static" in page.route.split("/")[:1]:
            continue
        pages.append(page)
    return pages


@pytest.fixture
def walker(bo_y) -> BoY:
    world = BoY(bo_y)
    world.prepare()
    return world


@pytest.fixture(params=[Role.VIEWER, Role.DATA_ENTRY, Role.APPROVER, Role.ADMIN])
def outsider(request, make_user, cam_thanh, client) -> Client:
    client.force_login(make_user(f"ct_{request.param}", request.param, (cam_thanh,)))
    return client


def _bo_y_events(bo_y: Unit) -> int:
    return AuditEvent.objects.filter(unit__path__startswith=bo_y.path).count()


def _probe(w: BoY) -> dict[str, object]:
    return {name: w.area.pk for name in POST_PROBE_FIELDS}


def test_every_page_with_an_object_in_its_url_is_known():
    # given every page of the project
    unknown = [
        f"{p.name or '(unnamed)'} {p.route}"
        for p in project_pages()
        if p.kwargs and p.name not in OBJECT_PAGES and p.name not in NATIONAL_PAGES
    ]
    # then each has a way to build Bờ Y's objects for it, or is declared national
    assert unknown == [], "add these pages to OBJECT_PAGES or NATIONAL_PAGES in test_scope.py"


def test_every_page_has_a_name():
    assert [p.route for p in project_pages() if not p.name] == []


def _missing(kwargs: Kwargs) -> Kwargs:
    """The same URL naming objects that do not exist."""
    return {k: MISSING_ID if isinstance(v, int) else v for k, v in kwargs.items()}


def test_pages_with_an_object_of_bo_y_answer_not_found(outsider, walker, bo_y):
    # given a Cẩm Thành user (each role in turn) and Bờ Y's objects
    events = _bo_y_events(bo_y)
    answers, wrong = 0, {}
    # when they GET and POST every page that names one of Bờ Y's objects
    for page in project_pages():
        if not page.kwargs or page.name in NATIONAL_PAGES:
            continue
        for kwargs in OBJECT_PAGES[page.name](walker):
            url = reverse(page.name, kwargs=kwargs)
            missing = reverse(page.name, kwargs=_missing(kwargs))
            for method in ("get", "post"):
                status = getattr(outsider, method)(url, _probe(walker)).status_code
                answers += 1
                # 404 as for a missing object; 403 (role lacking) or 405 (method not taken)
                # only when a missing object gets the same, so they tell nothing of Bờ Y.
                same = getattr(outsider, method)(missing, _probe(walker)).status_code
                if status != 404 and (status not in (403, 405) or status != same):
                    wrong[f"{method.upper()} {url}"] = (status, same)
    # then every answer is the one a missing object gets, and nothing of Bờ Y was written
    assert answers, "the walk found no page"
    assert wrong == {}
    assert _bo_y_events(bo_y) == events


def test_pages_without_an_object_show_nothing_of_bo_y(outsider, walker, bo_y):
    # given a Cẩm Thành user (each role in turn) and Bờ Y's private objects
    events = _bo_y_events(bo_y)
    problems = {}
    # when they GET and POST every page without an object in its URL
    for page in project_pages():
        if page.kwargs:
            continue
        url = reverse(page.name)
        for method, response in (
            ("GET", outsider.get(url)),
            ("POST", outsider.post(url, _probe(walker))),
        ):
            content = response.content.decode(errors="replace")
            shown = [m for m in MARKERS if m in content]
            if response.status_code not in (200, 302, 400, 403, 405) or shown:
                problems[f"{method} {url}"] = (response.status_code, shown)
    # then each answers 403 or a page without Bờ Y's private objects, and writes nothing
    assert problems == {}
    assert _bo_y_events(bo_y) == events


def test_the_markers_are_shown_to_bo_ys_own_administrator(client, make_user, walker, bo_y):
    # given Bờ Y's administrator: the walk above would see a leak, because the markers show
    client.force_login(make_user("boy_admin", Role.ADMIN, (bo_y,)))
    seen = set()
    # when they open every page without an object in its URL
    for page in project_pages():
        if not page.kwargs:
            content = client.get(reverse(page.name)).content.decode(errors="replace")
            seen |= {m for m in MARKERS if m in content}
    # then the area, its contact, the account and the registry entry show on those pages
    assert {AREA_NAME, CONTACT_NAME, USER_NAME, USER_FULL_NAME, FESTIVAL_VENUE} <= seen


def test_the_walk_covers_the_units_and_accounts_pages():
    names = {p.name for p in project_pages()}
    assert {"units:detail", "accounts:user_update", "audit:object_history", "audit:events"} <= names


def test_editing_a_bo_y_account_from_cam_thanh_changes_nothing(
    client, make_user, cam_thanh, walker
):
    # given the Cẩm Thành administrator and an account of Bờ Y
    client.force_login(make_user("ct_quantri", Role.ADMIN, (cam_thanh,)))
    user = walker.user
    events = AuditEvent.objects.count()
    # when they post a new name, role and unit for it
    response = client.post(
        reverse("accounts:user_update", args=[user.pk]),
        {"full_name": "Đã bị sửa", "role": Role.ADMIN, "units": [cam_thanh.pk]},
    )
    # then the answer is 404 and the account is as it was
    assert response.status_code == 404
    user.refresh_from_db()
    assert (user.full_name, user.role, list(user.units.all())) == (
        USER_FULL_NAME,
        Role.DATA_ENTRY,
        [walker.area],
    )
    assert AuditEvent.objects.count() == events


def test_editing_a_bo_y_unit_from_cam_thanh_changes_nothing(client, make_user, cam_thanh, walker):
    # given the Cẩm Thành administrator and a residential area of Bờ Y
    client.force_login(make_user("ct_quantri", Role.ADMIN, (cam_thanh,)))
    area = walker.area
    events = AuditEvent.objects.count()
    # when they post a new name for it, then try to delete it
    edit = client.post(
        reverse("units:update", args=[area.pk]),
        {"name": "Đã bị sửa", "type_name": "Thôn", "kind": UnitKind.RESIDENTIAL_AREA},
    )
    delete = client.post(reverse("units:delete", args=[area.pk]))
    # then both answers are 404 and the area is as it was
    assert (edit.status_code, delete.status_code) == (404, 404)
    area.refresh_from_db()
    assert (area.name, area.contact_name, area.valid_to) == (AREA_NAME, CONTACT_NAME, None)
    assert AuditEvent.objects.count() == events
