from datetime import date

import pytest
from django.core.management import call_command

from phongtrao.core.models import AuditEvent
from phongtrao.units.loading import units_load
from phongtrao.units.models import Unit, UnitKind, UnitSuccession
from phongtrao.units.selectors import units_count

pytestmark = pytest.mark.django_db


def test_today_there_are_34_provinces_and_3321_communes():
    # given the loaded lists / when counting units in force today
    counts = dict(units_count(on=date(2026, 11, 28)))
    # then
    assert counts == {"province": 34, "commune": 3321}


def test_on_the_eve_of_the_reform_there_were_63_provinces_696_districts_10035_communes():
    counts = dict(units_count(on=date(2025, 6, 30)))
    assert counts == {"province": 63, "district": 696, "commune": 10035}


def test_every_old_commune_has_at_least_one_successor():
    # given every commune that ended with the reform
    old = Unit.objects.filter(kind=UnitKind.COMMUNE, valid_to=date(2025, 6, 30))
    # when looking for those with no succession
    orphans = old.exclude(pk__in=UnitSuccession.objects.values("predecessor_id"))
    # then there is none
    assert old.count() == 10035
    assert list(orphans.values_list("code", flat=True)) == []


def test_shares_of_a_divided_commune_add_up_to_one():
    from django.db.models import Count, Sum

    divided = (
        UnitSuccession.objects.values("predecessor_id")
        .annotate(n=Count("id"), total=Sum("share"))
        .filter(n__gt=1)
    )
    assert divided.count() == 471
    assert {row["total"] for row in divided} == {1}


def test_a_second_load_creates_and_changes_nothing():
    # given the lists already loaded
    units_before = list(Unit.objects.order_by("pk").values())
    successions_before = UnitSuccession.objects.count()
    audit_before = AuditEvent.objects.count()
    # when loading again
    result = units_load()
    # then
    assert (result.created, result.updated, result.successions_created) == (0, 0, 0)
    assert list(Unit.objects.order_by("pk").values()) == units_before
    assert UnitSuccession.objects.count() == successions_before
    assert AuditEvent.objects.count() == audit_before


def test_load_restores_a_name_changed_by_hand_and_audits_it():
    # given a commune whose name was damaged
    unit = Unit.objects.get(code="23377", valid_from=date(2025, 7, 1))
    Unit.objects.filter(pk=unit.pk).update(name="Xã Sai Tên")
    # when loading
    result = units_load()
    # then the name is the package's again and the change is in the audit
    unit.refresh_from_db()
    assert result.updated == 1
    assert unit.name == "Xã Bờ Y"
    event = AuditEvent.objects.filter(object_id=str(unit.pk)).latest("id")
    assert event.changes == {"name": ["Xã Sai Tên", "Xã Bờ Y"]}


def test_units_count_command_prints_one_line_per_kind(capsys):
    call_command("units", "count", "--on", "2025-06-30")
    assert capsys.readouterr().out == "province 63\ndistrict 696\ncommune 10035\n"


def test_units_find_command_finds_plei_kan_without_diacritics(capsys):
    call_command("units", "find", "plei kan", "--on", "2019-08-19")
    assert capsys.readouterr().out == (
        "23377\tThị trấn Plei Kần\tcommune\tHuyện Ngọc Hồi\t\t2025-06-30\n"
    )


def test_units_successors_command_names_xa_bo_y(capsys):
    call_command("units", "successors", "23377")
    assert capsys.readouterr().out == "23377\tXã Bờ Y\t1\n"


def test_units_successors_of_kon_tum_province_is_quang_ngai(capsys):
    call_command("units", "successors", "62", "--on", "2019-08-19")
    assert capsys.readouterr().out == "51\tTỉnh Quảng Ngãi\t1\n"
