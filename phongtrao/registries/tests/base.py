"""Tests every registry shares, written once (NetBox's pattern: a base class, per-registry data).

A registry's test module subclasses `RegistryTestBase` and gives `registry`, `data()` (valid
values for a new entry in a unit), `changes` (an edit) and `search` (a field whose text,
typed without diacritics, must find the entry). Each test below then runs for it.

Where the registry has them, it also gives the list's type filter (`other_type()`), its
status filter (`statuses` and `give_other_status()`) and its related rows (`related` and
`add_related()`), which the list tests and the query-count tests use.
"""

import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.models import AuditAction, AuditEvent
from phongtrao.core.roles import Role
from phongtrao.core.text import search_key
from phongtrao.registries import services
from phongtrao.registries.registry import Registry
from phongtrao.registries.selectors import ListFilters, entry_list
from phongtrao.registries.views.generic import PAGE_SIZE
from phongtrao.units.models import Unit


class RegistryTestBase:
    registry: Registry
    changes: dict[str, Any] = {}
    search: str = ""
    # The header of a number column, if the file has one: the import refuses bad numbers there.
    number_column: str = ""
    # More rows the import must refuse: (column header, {header: cell text}, the reason given).
    bad_cells: tuple[tuple[str, dict[str, str], str], ...] = ()

    # The status filter's value for an entry made from `data()`, then the value that
    # `give_other_status()` gives (registries with a status filter only).
    statuses: tuple[str, str] = ()
    # The accessor of the rows `add_related()` gives an entry (registries with related rows).
    related: str = ""

    def data(self, unit: Unit, area: Unit) -> dict[str, Any]:
        raise NotImplementedError

    def other_type(self) -> dict[str, Any]:
        """Changes to `data()` giving another value of the list's type filter."""
        raise NotImplementedError

    def give_other_status(self, actor, entry) -> None:
        """Give the entry the second of `statuses`."""
        raise NotImplementedError

    def add_related(self, actor, entry, units: list[Unit]) -> None:
        """Give the entry one related row per unit (points, members, partners...); none here."""

    # --- fixtures ---------------------------------------------------------------------------

    @pytest.fixture
    def area(self, make_area, bo_y) -> Unit:
        return make_area(bo_y, "Thôn Iệc")

    @pytest.fixture
    def clerk(self, make_user, bo_y):
        return make_user("boy_nhaplieu", Role.DATA_ENTRY, (bo_y,))

    @pytest.fixture
    def admin(self, make_user, bo_y):
        return make_user("boy_quantri", Role.ADMIN, (bo_y,))

    @pytest.fixture
    def outsider(self, make_user, cam_thanh):
        return make_user("ct_nhaplieu", Role.DATA_ENTRY, (cam_thanh,))

    @pytest.fixture
    def villages(self, make_area, bo_y, area) -> list[Unit]:
        return [area, make_area(bo_y, "Làng Le"), make_area(bo_y, "Thôn Kon Tu")]

    @pytest.fixture
    def entry(self, clerk, bo_y, area):
        return self.create(clerk, self.data(bo_y, area))

    def create(self, actor, data):
        create = self.registry.create_service or services.entry_create
        return create(actor=actor, model=self.registry.model, data=data)

    def url(self, action: str, *args) -> str:
        return reverse(f"registries:{self.registry.slug}_{action}", args=args)

    def listed(self, client, **params) -> list:
        """The entries of one list page, in the order shown."""
        response = client.get(self.url("list"), params)
        assert response.status_code == 200
        return [entry for entry, _cells in response.context["rows"]]

    def type_of(self, entry) -> str:
        """The entry's value as the list's type filter sends it."""
        field = self.registry.model._meta.get_field(self.registry.type_field)
        return str(getattr(entry, field.attname))

    def dated(self, actor, data: dict[str, Any], n: int, days: int) -> Any:
        """The `n`th variant of `data`, dated `days` after it."""
        name = self.registry.model.date_field
        return self.create(actor, self.variant(data, n) | {name: data[name] + timedelta(days=days)})

    def events(self, entry, action: str):
        ct = ContentType.objects.get_for_model(entry)
        return AuditEvent.objects.filter(content_type=ct, object_id=str(entry.pk), action=action)

    # --- services ---------------------------------------------------------------------------

    def test_create_saves_the_entry_with_its_year_and_an_audit_event(self, entry, bo_y):
        # then
        assert self.registry.model.objects.alive().filter(pk=entry.pk).exists()
        date_field = self.registry.model.date_field
        assert entry.year == getattr(entry, date_field).year
        event = self.events(entry, AuditAction.CREATE).get()
        assert (event.unit_id, event.actor.username) == (bo_y.pk, "boy_nhaplieu")

    def test_update_records_before_and_after(self, entry, clerk):
        # when
        services.entry_update(actor=clerk, entry=entry, data=self.changes)
        # then
        event = self.events(entry, AuditAction.UPDATE).get()
        name, value = next(iter(self.changes.items()))
        entry.refresh_from_db()
        assert getattr(entry, name) == value
        assert event.changes[name][1] == (value.isoformat() if isinstance(value, date) else value)

    def test_delete_keeps_the_row_and_an_administrator_restores_it(self, entry, clerk, admin):
        # when
        services.entry_delete(actor=clerk, entry=entry)
        # then
        model = self.registry.model
        assert not model.objects.alive().filter(pk=entry.pk).exists()
        assert model.objects.deleted().get(pk=entry.pk).deleted_by == clerk
        deleted = self.events(entry, AuditAction.DELETE).get()
        assert (deleted.unit_id, deleted.actor, deleted.source) == (entry.unit_id, clerk, "web")
        # when
        services.entry_restore(actor=admin, entry=model.objects.get(pk=entry.pk))
        # then
        assert model.objects.alive().filter(pk=entry.pk).exists()
        assert self.events(entry, AuditAction.RESTORE).count() == 1

    def test_only_an_administrator_restores(self, entry, clerk):
        # given
        services.entry_delete(actor=clerk, entry=entry)
        deleted = self.registry.model.objects.get(pk=entry.pk)
        # when
        with pytest.raises(AppError) as refused:
            services.entry_restore(actor=clerk, entry=deleted)
        # then
        assert refused.value.code == ErrorCode.FORBIDDEN
        assert self.registry.model.objects.get(pk=entry.pk).is_deleted

    def test_another_commune_cannot_create_here(self, outsider, bo_y, area):
        # given
        before = self.registry.model.objects.count(), AuditEvent.objects.count()
        # when
        with pytest.raises(AppError) as refused:
            self.create(outsider, self.data(bo_y, area))
        # then
        assert refused.value.code == ErrorCode.NOT_FOUND
        assert (self.registry.model.objects.count(), AuditEvent.objects.count()) == before

    # --- selectors ----------------------------------------------------------------------------

    def test_search_ignores_diacritics(self, entry, clerk):
        # given a query typed without diacritics
        query = search_key(str(getattr(entry, self.search)))
        # when
        found = entry_list(registry=self.registry, user=clerk, filters=ListFilters(query=query))
        # then
        assert list(found) == [entry]

    def test_the_list_filters_by_year_and_leaves_out_deleted_entries(self, entry, clerk):
        # when
        this_year = ListFilters(year=entry.year)
        other_year = ListFilters(year=entry.year - 3)
        # then
        assert list(entry_list(registry=self.registry, user=clerk, filters=this_year)) == [entry]
        assert list(entry_list(registry=self.registry, user=clerk, filters=other_year)) == []
        services.entry_delete(actor=clerk, entry=entry)
        assert list(entry_list(registry=self.registry, user=clerk, filters=this_year)) == []

    # --- the list page: filters, sorting, pages -------------------------------------------------

    def test_the_unit_filter_takes_the_villages_below_and_leaves_out_another_commune(
        self, client, make_user, make_area, quang_ngai, bo_y, cam_thanh, area
    ):
        # given a province user, an entry of a village below Bờ Y and one of Cẩm Thành
        province = make_user("qn_nhaplieu", Role.DATA_ENTRY, (quang_ngai,))
        village = self.create(province, self.data(bo_y, area) | {"unit": area})
        ward_area = make_area(cam_thanh, "Tổ dân phố 1")
        elsewhere = self.create(province, self.variant(self.data(cam_thanh, ward_area), 0))
        client.force_login(province)
        assert sorted(self.listed(client), key=lambda e: e.pk) == [village, elsewhere]
        # when the list is filtered by Bờ Y
        found = self.listed(client, unit=bo_y.pk)
        # then only the village's entry is listed
        assert found == [village]

    def test_the_type_filter_lists_only_entries_of_that_type(
        self, client, clerk, entry, bo_y, area
    ):
        if not self.registry.type_field:
            pytest.skip("this registry has no type filter")
        # given an entry of another type
        other = self.create(clerk, self.variant(self.data(bo_y, area), 0) | self.other_type())
        assert self.type_of(other) != self.type_of(entry)
        client.force_login(clerk)
        # when the list is filtered by each type, then each lists only its entry
        assert self.listed(client, type=self.type_of(entry)) == [entry]
        assert self.listed(client, type=self.type_of(other)) == [other]

    def test_the_status_filter_lists_only_entries_of_that_status(
        self, client, clerk, entry, bo_y, area
    ):
        if self.registry.status_q is None:
            pytest.skip("this registry has no status filter")
        # given an entry of the other status
        first, second = self.statuses
        other = self.create(clerk, self.variant(self.data(bo_y, area), 0))
        self.give_other_status(clerk, other)
        client.force_login(clerk)
        # when the list is filtered by each status, then each lists only its entry
        assert self.listed(client, status=first) == [entry]
        assert self.listed(client, status=second) == [other]

    @pytest.fixture
    def out_of_order(self, clerk, bo_y, area) -> tuple[Any, Any, Any]:
        """The earliest, middle and latest entries by date, made in another order."""
        data = self.data(bo_y, area)
        middle = self.dated(clerk, data, 0, 0)
        latest = self.dated(clerk, data, 1, 10)
        earliest = self.dated(clerk, data, 2, -10)
        return earliest, middle, latest

    def test_the_list_sorts_by_date_ascending(self, client, clerk, out_of_order):
        # given
        client.force_login(clerk)
        # when
        found = self.listed(client, sort="date")
        # then
        assert found == list(out_of_order)

    def test_the_list_sorts_by_date_descending(self, client, clerk, out_of_order):
        # given
        client.force_login(clerk)
        # when
        found = self.listed(client, sort="-date")
        # then
        assert found == list(reversed(out_of_order))

    @pytest.fixture
    def one_page_and_one(self, clerk, bo_y, area) -> list:
        """A page of entries and one more, from the latest to the earliest (dates distinct)."""
        data = self.data(bo_y, area)
        return [self.dated(clerk, data, n, -n) for n in range(PAGE_SIZE + 1)]

    def test_a_list_page_shows_fifty_entries(self, client, clerk, one_page_and_one):
        # given
        client.force_login(clerk)
        # when
        response = client.get(self.url("list"), {"sort": "-date"})
        # then
        assert PAGE_SIZE == 50
        assert [e for e, _cells in response.context["rows"]] == one_page_and_one[:50]
        page = response.context["page_obj"]
        assert (page.number, page.paginator.num_pages, page.paginator.count) == (1, 2, 51)

    def test_the_second_page_shows_the_entries_after_the_first_fifty(
        self, client, clerk, one_page_and_one
    ):
        # given
        client.force_login(clerk)
        # when
        found = self.listed(client, sort="-date", page=2)
        # then
        assert found == one_page_and_one[50:]

    def test_a_page_number_past_the_end_shows_the_last_page(self, client, clerk, one_page_and_one):
        # given
        client.force_login(clerk)
        # when
        response = client.get(self.url("list"), {"sort": "-date", "page": 9})
        # then
        assert response.status_code == 200
        assert response.context["page_obj"].number == 2
        assert [e for e, _cells in response.context["rows"]] == one_page_and_one[50:]

    # --- scope through the pages ---------------------------------------------------------------

    def test_another_commune_gets_404_and_changes_nothing(self, client, entry, outsider):
        # given
        client.force_login(outsider)
        events = AuditEvent.objects.count()
        # when
        detail = client.get(self.url("detail", entry.pk))
        edit = client.post(self.url("update", entry.pk), {"unit": entry.unit_id})
        delete = client.post(self.url("delete", entry.pk))
        listing = client.get(self.url("list"))
        # then
        assert (detail.status_code, edit.status_code, delete.status_code) == (404, 404, 404)
        assert entry not in [e for e, _cells in listing.context["rows"]]
        assert AuditEvent.objects.count() == events
        assert not self.registry.model.objects.get(pk=entry.pk).is_deleted

    def test_the_pages_of_an_entry_answer(self, client, entry, clerk):
        # given
        client.force_login(clerk)
        # when / then
        for action in ("detail", "update", "delete"):
            assert client.get(self.url(action, entry.pk)).status_code == 200
        assert client.get(self.url("create")).status_code == 200

    def with_related(self, actor, data, units: list[Unit]) -> Any:
        """A new entry carrying one related row per unit, where the registry has such rows."""
        entry = self.create(actor, data)
        self.add_related(actor, entry, units)
        if self.related:
            assert getattr(entry, self.related).count() == len(units)
        return entry

    def test_the_list_query_count_does_not_grow_with_rows(
        self, client, clerk, bo_y, area, villages, django_assert_num_queries
    ):
        # given one entry with one related row, the queries of the list page
        client.force_login(clerk)
        first = self.data(bo_y, area)
        self.with_related(clerk, first, villages[:1])
        with CaptureQueriesContext(connection) as one:
            assert client.get(self.url("list")).status_code == 200
        # when there are four more, each with more related rows
        for n in range(4):
            self.with_related(clerk, self.variant(first, n), villages)
        # then the page takes the same number of queries
        with django_assert_num_queries(len(one)):
            response = client.get(self.url("list"))
        assert len(response.context["rows"]) == 5

    def test_the_deleted_list_query_count_does_not_grow_with_rows(
        self, client, clerk, admin, bo_y, area, villages, django_assert_num_queries
    ):
        # given one deleted entry with one related row, the queries of the deleted list
        client.force_login(admin)
        first = self.data(bo_y, area)
        gone = self.with_related(clerk, first, villages[:1])
        services.entry_delete(actor=clerk, entry=gone)
        with CaptureQueriesContext(connection) as one:
            assert client.get(self.url("list"), {"deleted": "1"}).status_code == 200
        # when four more are deleted, each with more related rows
        for n in range(4):
            more = self.with_related(clerk, self.variant(first, n), villages)
            services.entry_delete(actor=clerk, entry=more)
        # then the administrators' deleted list takes the same number of queries
        with django_assert_num_queries(len(one)):
            response = client.get(self.url("list"), {"deleted": "1"})
        assert len(response.context["rows"]) == 5

    def variant(self, data: dict[str, Any], n: int) -> dict[str, Any]:
        """Another valid entry: the search field changed, so natural keys differ."""
        return data | {self.search: f"{data.get(self.search) or ''} số {n + 2}"}

    # --- import and export --------------------------------------------------------------------

    def exported(self, client, clerk) -> bytes:
        client.force_login(clerk)
        response = client.get(self.url("export"))
        assert response.status_code == 200
        return response.content

    def test_an_exported_file_imports_back(self, client, entry, clerk):
        # given the export of one entry, and that entry deleted
        content = self.exported(client, clerk)
        services.entry_delete(actor=clerk, entry=entry)
        # when it is checked, then confirmed
        upload = io.BytesIO(content)
        upload.name = "so.xlsx"
        preview = client.post(self.url("import"), {"file": upload})
        assert preview.context["check"].problems == []
        confirm = client.post(self.url("import"), {"confirm": "1"})
        # then the entry exists again, made by the import
        assert confirm.status_code == 302
        assert self.registry.model.objects.alive().count() == 1
        assert AuditEvent.objects.filter(source="import").count() >= 1

    def bad_rows(self) -> list[tuple[str, dict[str, str], str | None]]:
        """(column named, cells changed, reason) of rows the import must refuse; a reason of
        None is checked by the test itself."""
        rows: list[tuple[str, dict[str, str], str | None]] = [
            ("Mã đơn vị", {"Mã đơn vị": "99999"}, None)
        ]
        if self.number_column:
            rows += [
                (self.number_column, {self.number_column: "-5"}, "Số không được âm."),
                (self.number_column, {self.number_column: "nhiều"}, "“nhiều” không phải là số."),
            ]
        if self.registry.natural_key:
            last = next(c for c in self.registry.columns if c.name == self.registry.natural_key[-1])
            rows.append((last.header, {}, "Trùng với dòng 2."))
        return rows + list(self.bad_cells)

    def test_a_file_with_bad_rows_writes_nothing(self, client, entry, clerk, bo_y, area):
        # given the export of two entries (rows 2 and 3, both good)
        self.create(clerk, self.variant(self.data(bo_y, area), 0))
        exported = self.exported(client, clerk)
        for column, cells, reason in self.bad_rows():
            # and a fourth row, a copy of row 2 with one bad cell (or none: a duplicate)
            book = load_workbook(io.BytesIO(exported))
            sheet = book.active
            headers = [cell.value for cell in sheet[1]]
            assert sheet.max_row == 3
            row = [cell.value for cell in sheet[2]]
            for header, text in cells.items():
                row[headers.index(header)] = text
            sheet.append(row)
            upload = io.BytesIO()
            book.save(upload)
            upload.seek(0)
            upload.name = "so.xlsx"
            before = self.registry.model.objects.count(), AuditEvent.objects.count()
            # when it is uploaded, then confirmed
            preview = client.post(self.url("import"), {"file": upload})
            confirm = client.post(self.url("import"), {"confirm": "1"})
            # then the problem names the row and the column, and nothing was written
            problems = preview.context["check"].problems
            assert [(p.row, p.column) for p in problems] == [(4, column)], cells
            if reason is None:
                assert "99999" in problems[0].message
            else:
                assert problems[0].message == reason
            assert confirm.status_code == 200
            assert confirm.context["error"] == "Không có gì để nhập: hãy tải tệp lên lại."
            assert (self.registry.model.objects.count(), AuditEvent.objects.count()) == before

    def test_an_import_refused_at_a_row_writes_none_of_the_rows(self, clerk, bo_y, cam_thanh, area):
        # given two good rows, then one in a commune the clerk does not manage
        first = self.data(bo_y, area)
        rows = [(2, first), (3, self.variant(first, 0)), (4, first | {"unit": cam_thanh})]
        before = self.registry.model.objects.count(), AuditEvent.objects.count()
        # when the rows are imported
        with pytest.raises(AppError) as refused:
            services.entries_import(
                actor=clerk, model=self.registry.model, rows=rows,
                create=self.registry.create_service,
            )  # fmt: skip
        # then the refusal names the row, and the two good rows were undone
        assert refused.value.code == ErrorCode.NOT_FOUND
        assert (
            refused.value.message == "Dòng 4: Không tìm thấy đơn vị. Chưa nhập dòng nào của tệp."
        ), refused.value.message
        assert (self.registry.model.objects.count(), AuditEvent.objects.count()) == before

    def test_the_export_neutralises_formulas(self, client, clerk, bo_y, area):
        # given a text cell that a spreadsheet would run
        text_column = next(c for c in self.registry.columns if c.name == self.search)
        self.create(clerk, self.data(bo_y, area) | {self.search: "=HYPERLINK(1)"})
        # when
        sheet = load_workbook(io.BytesIO(self.exported(client, clerk))).active
        # then
        headers = [c.value for c in sheet[1]]
        assert sheet.cell(row=2, column=headers.index(text_column.header) + 1).value == (
            "'=HYPERLINK(1)"
        )
