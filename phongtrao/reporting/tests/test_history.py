"""A value's history (hand changes and imports together) and the reads of one import."""

from pathlib import Path

import pytest

from phongtrao.core.roles import Role
from phongtrao.reporting.history import value_history, value_import_changes, value_import_get
from phongtrao.reporting.models import DataValue, ValueImport
from phongtrao.reporting.services import data_value_save
from phongtrao.reporting.transfer.commit import values_import
from phongtrao.units.models import REFORM_DATE, Unit, UnitKind

pytestmark = pytest.mark.django_db

HEADER = "indicator,unit,period,value,comment\n"


def imported(tmp_path: Path, rows: str, name: str = "values.csv") -> ValueImport:
    path = tmp_path / name
    path.write_text(HEADER + rows, encoding="utf-8")
    result = values_import(path=path)
    assert not result.rejected
    return ValueImport.objects.get(pk=result.value_import_id)


def cells(entries: list) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """Each entry's action and changed fields (sorted: PostgreSQL keeps JSON keys in its own
    order), as the history table shows them."""
    return [
        (entry.get_action_display(), sorted((c.field, c.before, c.after) for c in changes))
        for entry, changes in entries
    ]


def test_the_history_shows_imports_and_hand_changes_newest_first(
    tmp_path, form, bo_y, clerk, indicators
):
    # given a value imported, changed by hand, then changed by a second import
    imported(tmp_path, "SCHEMES_NEW,23377,2026,5,\n", "first.csv")
    value = DataValue.objects.get()
    data_value_save(
        actor=clerk, form=form, unit=bo_y, period="2026", indicator=indicators["SCHEMES_NEW"],
        raw_value="6", expected_version=1,
    )  # fmt: skip
    imported(tmp_path, "SCHEMES_NEW,23377,2026,7,ghi chú\n", "second.csv")
    # when
    shown, entries = value_history(user=clerk, value_id=value.pk)
    # then
    assert shown == value
    assert cells(entries) == [
        ("Sửa", [("ghi chú", "—", "ghi chú"), ("giá trị", "6", "7")]),
        ("Sửa", [("giá trị", "5", "6"), ("nguồn", "nhập từ tệp", "nhập tay"),
                 ("người cập nhật", "—", "boy_clerk")]),
        ("Tạo mới", [("giá trị", "—", "5")]),
    ]  # fmt: skip


def test_the_history_shows_numbers_the_vietnamese_way_without_bookkeeping(
    tmp_path, form, bo_y, clerk, indicators
):
    # given 1.200 kg imported, then 2.500,5 kg saved by hand
    imported(tmp_path, "EXPLOSIVES_SURRENDERED_KG,23377,2026,1200,\n")
    value = DataValue.objects.get()
    data_value_save(
        actor=clerk, form=form, unit=bo_y, period="2026",
        indicator=indicators["EXPLOSIVES_SURRENDERED_KG"], raw_value="2.500,5", expected_version=1,
    )  # fmt: skip
    # when
    _shown, entries = value_history(user=clerk, value_id=value.pk)
    # then no "giá trị số: 1200.000000 → 2500.5" nor "phiên bản: 1 → 2"
    assert cells(entries) == [
        ("Sửa", [("giá trị", "1.200", "2.500,5"), ("nguồn", "nhập từ tệp", "nhập tay"),
                 ("người cập nhật", "—", "boy_clerk")]),
        ("Tạo mới", [("giá trị", "—", "1.200")]),
    ]  # fmt: skip


def test_an_imported_change_links_to_its_import(tmp_path, form, bo_y, clerk):
    # given
    record = imported(tmp_path, "SCHEMES_NEW,23377,2026,5,\n")
    # when
    _value, entries = value_history(user=clerk, value_id=DataValue.objects.get().pk)
    # then
    ((entry, _changes),) = entries
    assert (entry.link, entry.unit, entry.actor) == (f"/reporting/imports/{record.pk}/", bo_y, None)


def test_the_history_of_a_value_outside_the_scope_is_none(
    tmp_path, form, bo_y, make_user, cam_thanh
):
    # given a value of Bờ Y and a reader of Cẩm Thành
    imported(tmp_path, "SCHEMES_NEW,23377,2026,5,\n")
    reader = make_user("ct_viewer", Role.VIEWER, (cam_thanh,))
    # when
    shown, entries = value_history(user=reader, value_id=DataValue.objects.get().pk)
    # then
    assert (shown, entries) == (None, [])


def test_the_history_reads_a_fixed_number_of_queries(
    tmp_path, form, bo_y, clerk, django_assert_num_queries
):
    # given a value imported five times
    for n in range(5):
        imported(tmp_path, f"SCHEMES_NEW,23377,2026,{n + 1},\n", f"{n}.csv")
    value_id = DataValue.objects.get().pk
    clerk.has_role(Role.VIEWER)  # the scope and the role are cached on the user, as in a request
    value_history(user=clerk, value_id=value_id)
    # when / then: the value, its content type is cached, its events, the imports' changes
    with django_assert_num_queries(3):
        _value, entries = value_history(user=clerk, value_id=value_id)
    assert len(entries) == 5


def test_an_import_is_read_by_the_units_it_reached_and_those_above(
    tmp_path, form, bo_y, cam_thanh, quang_ngai, make_user
):
    # given an import into Bờ Y alone
    record = imported(tmp_path, "SCHEMES_NEW,23377,2026,5,\n")
    readers = {
        "province": make_user("qn", Role.VIEWER, (quang_ngai,)),
        "commune": make_user("by", Role.VIEWER, (bo_y,)),
        "other commune": make_user("ct", Role.VIEWER, (cam_thanh,)),
    }
    # when / then
    seen = {name: value_import_get(user=u, pk=record.pk) for name, u in readers.items()}
    assert seen == {"province": record, "commune": record, "other commune": None}


def test_a_commune_reads_a_province_wide_import_but_only_its_own_changes(
    tmp_path, form, bo_y, cam_thanh, make_user
):
    # given an import over Bờ Y and Cẩm Thành, recorded under their province
    record = imported(tmp_path, "SCHEMES_NEW,23377,2026,5,\nSCHEMES_NEW,21025,2026,6,\n")
    reader = make_user("by", Role.VIEWER, (bo_y,))
    # when
    found = value_import_get(user=reader, pk=record.pk)
    changes = value_import_changes(user=reader, value_import=record)
    # then
    assert found == record
    assert [(c.value.unit, c.after) for c in changes] == [(bo_y, "5")]


def test_a_superuser_reads_any_import(tmp_path, form, bo_y, make_user):
    # given
    record = imported(tmp_path, "SCHEMES_NEW,23377,2026,5,\n")
    admin = make_user("root", Role.ADMIN)
    admin.is_superuser = True
    admin.save()
    # when / then
    assert value_import_get(user=admin, pk=record.pk) == record


def test_a_province_import_is_not_read_by_a_commune_it_did_not_change(
    tmp_path, form, bo_y, cam_thanh, make_user
):
    # given a province-wide import (Bờ Y and Cẩm Thành), and a commune of the province it left
    # alone
    record = imported(tmp_path, "SCHEMES_NEW,23377,2026,5,\nSCHEMES_NEW,21025,2026,6,\n")
    other = (
        Unit.objects.filter(
            kind=UnitKind.COMMUNE, path__startswith=record.unit_path, valid_from=REFORM_DATE
        )
        .exclude(pk__in=[bo_y.pk, cam_thanh.pk])
        .first()
    )
    reader = make_user("other", Role.VIEWER, (other,))
    # when / then
    assert value_import_get(user=reader, pk=record.pk) is None


def test_a_reader_of_the_whole_import_sees_the_change_of_a_value_cleared_since(
    tmp_path, form, bo_y, quang_ngai, make_user
):
    # given an imported value deleted afterwards
    record = imported(tmp_path, "SCHEMES_NEW,23377,2026,5,\n")
    value_id = DataValue.objects.get().pk
    DataValue.objects.all().delete()
    reader = make_user("qn", Role.VIEWER, (quang_ngai,))
    # when
    changes = list(value_import_changes(user=reader, value_import=record))
    # then
    assert [(c.value_id, c.stored_value, c.after) for c in changes] == [(value_id, None, "5")]
