"""A value's indicator and unit: the database refuses a value that names neither, and the delete
of either while values name it.

On PostgreSQL the triggers of migration 0007 check them at each statement; SQLite's foreign
keys check them at the commit, so there the tests ask for that check at once. The statements
are plain SQL, so that Django's own checks (on_delete=PROTECT) do not stand in between.
"""

import threading
import time

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from phongtrao.catalog.models import Indicator
from phongtrao.reporting.models import DataValue
from phongtrao.units.models import Unit

pytestmark = pytest.mark.django_db

MISSING = 2_000_000_000
INSERT = (
    "INSERT INTO reporting_datavalue (indicator_id, unit_id, period, value, comment, version, "
    "source, updated_at) VALUES "
)
ROW = "(%s, %s, '2026', '1', '', 1, 'web', %s)"


def insert(*rows: tuple[int, int]) -> None:
    params = [p for indicator, unit in rows for p in (indicator, unit, timezone.now())]
    with connection.cursor() as cursor:
        cursor.execute(INSERT + ", ".join([ROW] * len(rows)), params)


def refused(sql: str, params: list) -> bool:
    """Whether the database refuses the statement as breaking a reference (on SQLite, at the
    commit that the check stands in for)."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
            if connection.vendor == "sqlite":
                connection.check_constraints(table_names=[DataValue._meta.db_table])
    except IntegrityError as exc:
        # Refused for breaking a reference, not for another constraint of the row.
        if connection.vendor == "postgresql":
            assert exc.__cause__.sqlstate == "23503"  # foreign_key_violation
        else:
            assert "invalid foreign key" in str(exc)
        return True
    return False


@pytest.fixture
def indicator(db) -> Indicator:
    return Indicator.objects.get(code="SCHEMES_NEW")


@pytest.fixture
def area(make_area, bo_y) -> Unit:
    """A unit of the test's own: nothing else points at it."""
    return make_area(bo_y)


def test_a_value_for_a_unit_that_does_not_exist_is_refused(indicator):
    # Given no unit MISSING
    # When a value for it is inserted
    # Then the insert is refused and nothing is written
    assert refused(INSERT + ROW, [indicator.pk, MISSING, timezone.now()])
    assert DataValue.objects.count() == 0


def test_a_value_of_an_indicator_that_does_not_exist_is_refused(bo_y):
    assert refused(INSERT + ROW, [MISSING, bo_y.pk, timezone.now()])
    assert DataValue.objects.count() == 0


def test_one_bad_row_refuses_the_whole_statement(indicator, bo_y, cam_thanh):
    # Given a statement of three values, the second for a unit that does not exist
    params = []
    for unit in (bo_y.pk, MISSING, cam_thanh.pk):
        params += [indicator.pk, unit, timezone.now()]
    # When it runs / Then it is refused, the good rows with it
    assert refused(INSERT + ", ".join([ROW] * 3), params)
    assert DataValue.objects.count() == 0


def test_values_of_existing_units_and_indicators_are_written(indicator, bo_y, cam_thanh):
    insert((indicator.pk, bo_y.pk), (indicator.pk, cam_thanh.pk))
    assert sorted(DataValue.objects.values_list("unit_id", flat=True)) == sorted(
        [bo_y.pk, cam_thanh.pk]
    )


def test_a_value_moved_to_a_unit_that_does_not_exist_is_refused(indicator, bo_y):
    # Given a value of Bờ Y
    insert((indicator.pk, bo_y.pk))
    # When its unit is changed to one that does not exist
    # Then the change is refused and the value keeps its unit
    assert refused("UPDATE reporting_datavalue SET unit_id = %s", [MISSING])
    assert list(DataValue.objects.values_list("unit_id", flat=True)) == [bo_y.pk]


def test_a_value_moved_to_an_indicator_that_does_not_exist_is_refused(indicator, bo_y):
    insert((indicator.pk, bo_y.pk))
    assert refused("UPDATE reporting_datavalue SET indicator_id = %s", [MISSING])
    assert list(DataValue.objects.values_list("indicator_id", flat=True)) == [indicator.pk]


def test_a_unit_that_values_point_at_cannot_be_deleted(indicator, area):
    # Given a value of the area
    insert((indicator.pk, area.pk))
    # When the area is deleted / Then the delete is refused and the area is still there
    assert refused("DELETE FROM units_unit WHERE id = %s", [area.pk])
    assert Unit.objects.filter(pk=area.pk).exists()


def test_a_unit_that_no_value_points_at_can_be_deleted(area):
    # Given an area without values, its audit events (the only other rows that name it) gone
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE unit_id = %s", [area.pk])
    # When / Then the values' check lets its delete through
    assert not refused("DELETE FROM units_unit WHERE id = %s", [area.pk])
    assert not Unit.objects.filter(pk=area.pk).exists()


def test_a_unit_that_values_point_at_keeps_its_id(indicator, area):
    insert((indicator.pk, area.pk))
    assert refused("UPDATE units_unit SET id = %s WHERE id = %s", [MISSING, area.pk])
    assert Unit.objects.filter(pk=area.pk).exists()


def test_an_indicator_that_values_point_at_cannot_be_deleted(indicator, bo_y):
    insert((indicator.pk, bo_y.pk))
    assert refused("DELETE FROM catalog_indicator WHERE id = %s", [indicator.pk])
    assert Indicator.objects.filter(pk=indicator.pk).exists()


def test_an_indicator_that_values_point_at_keeps_its_id(indicator, bo_y):
    insert((indicator.pk, bo_y.pk))
    assert refused("UPDATE catalog_indicator SET id = %s WHERE id = %s", [MISSING, indicator.pk])
    assert Indicator.objects.filter(pk=indicator.pk).exists()


# --- PostgreSQL only: its triggers' own cases, and two transactions at once --------------------

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL's triggers; SQLite keeps its foreign keys and has one writer at a time",
)


@postgresql_only
@pytest.mark.parametrize("table", ["units_unit", "catalog_indicator"])
def test_a_table_that_values_point_at_cannot_be_truncated_without_them(indicator, bo_y, table):
    # Given a value of Bờ Y
    insert((indicator.pk, bo_y.pk))
    # When the units (or the indicators) are truncated, with everything their foreign keys
    # reach / Then that is refused, where a foreign key would have emptied the values too
    assert refused(f"TRUNCATE {table} CASCADE", [])
    assert DataValue.objects.count() == 1


def _connect(autocommit: bool):
    import psycopg

    s = connection.settings_dict
    return psycopg.connect(
        dbname=s["NAME"], user=s["USER"], password=s["PASSWORD"] or None,
        host=s["HOST"] or None, port=s["PORT"] or None, autocommit=autocommit,
    )  # fmt: skip


def _copy_of_unit(with_id: bool = False) -> str:
    """An INSERT of a copy of the unit whose id is the last parameter, coded ZZ-TEST (with the
    id of the first parameter if `with_id`)."""
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, "units_unit")
    names = ", ".join(c.name for c in description if c.name not in ("id", "code"))
    key, value = ("id, ", "%s, ") if with_id else ("", "")
    return (
        f"INSERT INTO units_unit ({key}code, {names}) SELECT {value}'ZZ-TEST', {names} "
        "FROM units_unit WHERE id = %s"
    )


@pytest.fixture
def committed_unit(bo_y):
    """A unit committed outside the test's transaction (a copy of Bờ Y under another code), so
    that other connections see it; deleted afterwards with anything that points at it."""
    with _connect(autocommit=True) as db:
        pk = db.execute(_copy_of_unit() + " RETURNING id", [bo_y.pk]).fetchone()[0]
    yield pk
    with _connect(autocommit=True) as db:
        db.execute("DELETE FROM reporting_datavalue WHERE unit_id = %s", [pk])
        db.execute("DELETE FROM units_unit WHERE id = %s", [pk])


def _wait_until_blocked(pid: int) -> None:
    with _connect(autocommit=True) as db:
        for _ in range(200):
            waiting = db.execute(
                "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid]
            ).fetchone()
            if waiting and waiting[0] == "Lock":
                return
            time.sleep(0.05)
    raise AssertionError("the second statement never waited for the first transaction")


def _in_thread(db, sql: str, params: list) -> tuple[threading.Thread, dict]:
    import psycopg

    outcome: dict = {}

    def run() -> None:
        try:
            db.execute(sql, params)
            outcome["done"] = True
        except psycopg.errors.ForeignKeyViolation as exc:
            outcome["refused"] = exc.diag.message_primary

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


@postgresql_only
def test_a_delete_waits_for_a_new_value_of_its_unit_and_is_then_refused(indicator, committed_unit):
    # Given a transaction that wrote a value of the unit and has not committed
    with _connect(autocommit=False) as writer, _connect(autocommit=True) as deleter:
        writer.execute(INSERT + ROW, [indicator.pk, committed_unit, timezone.now()])
        # When another deletes the unit
        thread, outcome = _in_thread(
            deleter, "DELETE FROM units_unit WHERE id = %s", [committed_unit]
        )
        # Then the delete waits for the value's transaction, and once it commits is refused
        _wait_until_blocked(deleter.info.backend_pid)
        writer.commit()
        thread.join(10)
    assert outcome == {
        "refused": 'update or delete on table "units_unit" violates the references of '
        '"reporting_datavalue"'
    }
    with _connect(autocommit=True) as db:
        assert db.execute(
            "SELECT count(*) FROM units_unit WHERE id = %s", [committed_unit]
        ).fetchone() == (1,)


def _value_written_while(statements: list[tuple[str, list]], indicator, unit: int) -> dict:
    """Another transaction runs these statements and has not committed; a value of the unit is
    written meanwhile, waits for that transaction, which then commits. What became of the
    value, and how many values of the unit there are after."""
    with _connect(autocommit=False) as other, _connect(autocommit=True) as writer:
        for sql, params in statements:
            other.execute(sql, params)
        thread, outcome = _in_thread(writer, INSERT + ROW, [indicator.pk, unit, timezone.now()])
        _wait_until_blocked(writer.info.backend_pid)
        other.commit()
        thread.join(10)
    with _connect(autocommit=True) as db:
        outcome["values"] = db.execute(
            "SELECT count(*) FROM reporting_datavalue WHERE unit_id = %s", [unit]
        ).fetchone()[0]
    return outcome


@postgresql_only
def test_a_new_value_waits_for_a_delete_of_its_unit_and_is_then_refused(indicator, committed_unit):
    # Given a transaction that deleted the unit and has not committed
    delete = ("DELETE FROM units_unit WHERE id = %s", [committed_unit])
    # When another writes a value of the unit
    outcome = _value_written_while([delete], indicator, committed_unit)
    # Then the value waited for the delete's transaction, and once it committed was refused
    assert outcome == {
        "refused": 'insert or update on table "reporting_datavalue" violates its references',
        "values": 0,
    }


@postgresql_only
def test_a_new_value_is_refused_when_its_unit_was_deleted_and_put_back_meanwhile(
    indicator, committed_unit, bo_y
):
    # Given a transaction that deleted the unit and inserted another row with its id, and has
    # not committed
    delete = ("DELETE FROM units_unit WHERE id = %s", [committed_unit])
    put_back = (_copy_of_unit(with_id=True), [committed_unit, bo_y.pk])
    # When another writes a value of the unit, which waits for that transaction
    outcome = _value_written_while([delete, put_back], indicator, committed_unit)
    # Then the value is refused: the row it would name now is not the one it waited for, and
    # was never locked for it
    assert outcome == {
        "refused": 'insert or update on table "reporting_datavalue" violates its references',
        "values": 0,
    }


@postgresql_only
def test_the_refusal_names_the_missing_key(indicator):
    # Given no unit MISSING / When a value for it is inserted
    with pytest.raises(IntegrityError) as refusal, transaction.atomic():
        insert((indicator.pk, MISSING))
    # Then the error says which key, as a foreign key's would
    assert refusal.value.__cause__.diag.message_detail == (
        f'Key (unit_id)=({MISSING}) is not present in table "units_unit".'
    )
