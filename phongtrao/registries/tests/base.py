"""Tests every registry shares, written once (NetBox's pattern: a base class, per-registry data).

A registry's test module subclasses `RegistryTestBase` and gives `registry`, `data()` (valid
values for a new entry in a unit), `changes` (an edit) and `search` (a field whose text,
typed without diacritics, must find the entry). Each test below then runs for it.
"""

import io
from datetime import date
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from phongtrao.accounts.models import Role
from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.models import AuditAction, AuditEvent
from phongtrao.core.text import search_key
from phongtrao.registries import services
from phongtrao.registries.registry import Registry
from phongtrao.registries.selectors import ListFilters, entry_list
from phongtrao.units.models import Unit


class RegistryTestBase:
    registry: Registry
    changes: dict[str, Any] = {}
    search: str = ""
    # The header of a number column, if the file has one: the import refuses bad numbers there.
    number_column: str = ""
    # More rows the import must refuse: (column header, {header: cell text}, the reason given).
    bad_cells: tuple[tuple[str, dict[str, str], str], ...] = ()

    def data(self, unit: Unit, area: Unit) -> dict[str, Any]:
        raise NotImplementedError

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
    def entry(self, clerk, bo_y, area):
        return self.create(clerk, self.data(bo_y, area))

    def create(self, actor, data):
        create = self.registry.create_service or services.entry_create
        return create(actor=actor, model=self.registry.model, data=data)

    def url(self, action: str, *args) -> str:
        return reverse(f"registries:{self.registry.slug}_{action}", args=args)

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

    def test_the_list_query_count_does_not_grow_with_rows(
        self, client, clerk, bo_y, area, django_assert_num_queries
    ):
        # given one entry, the queries of the list page
        client.force_login(clerk)
        first = self.data(bo_y, area)
        self.create(clerk, first)
        with CaptureQueriesContext(connection) as one:
            assert client.get(self.url("list")).status_code == 200
        # when there are four more
        for n in range(4):
            self.create(clerk, self.variant(first, n))
        # then the page takes the same number of queries
        with django_assert_num_queries(len(one)):
            response = client.get(self.url("list"))
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
