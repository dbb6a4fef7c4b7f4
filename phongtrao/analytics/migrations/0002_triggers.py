"""Triggers that keep the unit ancestors and the subtree totals (analytics/models.py).

A frozen copy of the SQL, as migrations keep their own data. SQLite has row triggers only (and
no WITH inside a trigger, hence json_each to split a path); PostgreSQL runs one set-based
statement per INSERT, UPDATE or DELETE statement on the values (transition tables), so an
import's COPY of 100,000 rows costs one grouped upsert, not 300,000 row upserts. The upserts
take the totals' rows in key order, so two writers wait for each other instead of deadlocking.
"""

from django.db import migrations

TOTALS = "analytics_subtreetotal"
ANCESTORS = "analytics_unitancestor"
VALUES = "reporting_datavalue"
UNITS = "units_unit"
KEY = "unit_id, indicator_id, period, state"

SQLITE = [
    # Ancestors from the path, whenever a unit gets or changes its path.
    f"""CREATE TRIGGER analytics_unit_path_insert AFTER INSERT ON {UNITS}
    WHEN NEW.path <> '' BEGIN
        INSERT INTO {ANCESTORS} (unit_id, ancestor_id)
        SELECT NEW.id, j.value FROM json_each('[' || replace(rtrim(NEW.path, '/'), '/', ',') || ']') j
        WHERE j.value <> NEW.id;
    END""",
    f"""CREATE TRIGGER analytics_unit_path_update AFTER UPDATE OF path ON {UNITS}
    BEGIN
        DELETE FROM {ANCESTORS} WHERE unit_id = NEW.id;
        INSERT INTO {ANCESTORS} (unit_id, ancestor_id)
        SELECT NEW.id, j.value FROM json_each('[' || replace(rtrim(NEW.path, '/'), '/', ',') || ']') j
        WHERE NEW.path <> '' AND j.value <> NEW.id;
    END""",
    f"""CREATE TRIGGER analytics_unit_delete AFTER DELETE ON {UNITS} BEGIN
        DELETE FROM {ANCESTORS} WHERE unit_id = OLD.id;
    END""",
]


def _sqlite_change(sign: str, row: str) -> str:
    # "WHERE true": SQLite's rule for an upsert whose rows come from a SELECT.
    return f"""
        INSERT INTO {TOTALS} ({KEY}, count, total)
        SELECT a.ancestor_id, {row}.indicator_id, {row}.period, {row}.state, {sign}1, {sign}{row}.number
        FROM {ANCESTORS} a WHERE a.unit_id = {row}.unit_id AND {row}.number IS NOT NULL AND true
        ORDER BY a.ancestor_id
        ON CONFLICT ({KEY}) DO UPDATE SET count = count + excluded.count,
            total = total + excluded.total;"""


# A row whose count falls to zero goes: nothing is left under it (and a flush of the tables,
# which deletes the totals before the values, leaves nothing behind).
def _sqlite_empty(row: str) -> str:
    return f"""
        DELETE FROM {TOTALS} WHERE count <= 0 AND indicator_id = {row}.indicator_id
            AND period = {row}.period AND state = {row}.state
            AND unit_id IN (SELECT ancestor_id FROM {ANCESTORS} WHERE unit_id = {row}.unit_id);"""

SQLITE += [
    f"""CREATE TRIGGER analytics_value_insert AFTER INSERT ON {VALUES} BEGIN
        {_sqlite_change("", "NEW")}
    END""",
    f"""CREATE TRIGGER analytics_value_update
    AFTER UPDATE OF number, state, unit_id, indicator_id, period ON {VALUES} BEGIN
        {_sqlite_change("-", "OLD")}
        {_sqlite_change("", "NEW")}
        {_sqlite_empty("OLD")}
    END""",
    f"""CREATE TRIGGER analytics_value_delete AFTER DELETE ON {VALUES} BEGIN
        {_sqlite_change("-", "OLD")}
        {_sqlite_empty("OLD")}
    END""",
]


def _pg_upsert(changes: str) -> str:
    """Add the grouped changes ("unit_id, indicator_id, period, state, c, s" rows) to the
    totals of every ancestor of their units."""
    return f"""
        INSERT INTO {TOTALS} ({KEY}, count, total)
        SELECT a.ancestor_id, d.indicator_id, d.period, d.state, sum(d.c), sum(d.s)
        FROM ({changes}) d JOIN {ANCESTORS} a ON a.unit_id = d.unit_id
        GROUP BY a.ancestor_id, d.indicator_id, d.period, d.state
        HAVING sum(d.c) <> 0 OR sum(d.s) <> 0
        ORDER BY a.ancestor_id, d.indicator_id, d.period, d.state
        ON CONFLICT ({KEY}) DO UPDATE SET count = {TOTALS}.count + EXCLUDED.count,
            total = {TOTALS}.total + EXCLUDED.total;"""


def _rows(table: str, sign: str) -> str:
    return (
        f"SELECT unit_id, indicator_id, period, state, {sign}1 AS c, {sign}number AS s "
        f"FROM {table} WHERE number IS NOT NULL"
    )


def _pg_function(name: str, body: str) -> str:
    return f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {body}
        RETURN NULL;
    END $$"""


_PG_ANCESTORS = f"""
    DELETE FROM {ANCESTORS} WHERE unit_id = NEW.id;
    INSERT INTO {ANCESTORS} (unit_id, ancestor_id)
    SELECT NEW.id, part::bigint FROM unnest(string_to_array(rtrim(NEW.path, '/'), '/')) part
    WHERE NEW.path <> '' AND part::bigint <> NEW.id;"""

POSTGRESQL = [
    _pg_function("analytics_unit_path", _PG_ANCESTORS),
    f"""CREATE TRIGGER analytics_unit_path_insert AFTER INSERT ON {UNITS}
    FOR EACH ROW EXECUTE FUNCTION analytics_unit_path()""",
    f"""CREATE TRIGGER analytics_unit_path_update AFTER UPDATE OF path ON {UNITS}
    FOR EACH ROW EXECUTE FUNCTION analytics_unit_path()""",
    _pg_function("analytics_unit_delete", f"DELETE FROM {ANCESTORS} WHERE unit_id = OLD.id;"),
    f"""CREATE TRIGGER analytics_unit_delete AFTER DELETE ON {UNITS}
    FOR EACH ROW EXECUTE FUNCTION analytics_unit_delete()""",
    _pg_function("analytics_value_insert", _pg_upsert(_rows("new_rows", ""))),
    f"""CREATE TRIGGER analytics_value_insert AFTER INSERT ON {VALUES}
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION analytics_value_insert()""",
    _pg_function(
        "analytics_value_update",
        _pg_upsert(f"{_rows('new_rows', '')} UNION ALL {_rows('old_rows', '-')}"),
    ),
    f"""CREATE TRIGGER analytics_value_update AFTER UPDATE ON {VALUES}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION analytics_value_update()""",
    _pg_function("analytics_value_delete", _pg_upsert(_rows("old_rows", "-"))),
    f"""CREATE TRIGGER analytics_value_delete AFTER DELETE ON {VALUES}
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION analytics_value_delete()""",
    # TRUNCATE fires no DELETE trigger: emptying the values or the units empties what they make.
    _pg_function("analytics_values_truncate", f"TRUNCATE {TOTALS};"),
    f"""CREATE TRIGGER analytics_values_truncate AFTER TRUNCATE ON {VALUES}
    FOR EACH STATEMENT EXECUTE FUNCTION analytics_values_truncate()""",
    _pg_function("analytics_units_truncate", f"TRUNCATE {ANCESTORS}, {TOTALS};"),
    f"""CREATE TRIGGER analytics_units_truncate AFTER TRUNCATE ON {UNITS}
    FOR EACH STATEMENT EXECUTE FUNCTION analytics_units_truncate()""",
]

BACKFILL = {
    "sqlite": f"""INSERT INTO {ANCESTORS} (unit_id, ancestor_id)
        SELECT u.id, j.value FROM {UNITS} u,
            json_each('[' || replace(rtrim(u.path, '/'), '/', ',') || ']') j
        WHERE u.path <> '' AND j.value <> u.id""",
    "postgresql": f"""INSERT INTO {ANCESTORS} (unit_id, ancestor_id)
        SELECT u.id, part::bigint FROM {UNITS} u,
            unnest(string_to_array(rtrim(u.path, '/'), '/')) part
        WHERE u.path <> '' AND part::bigint <> u.id""",
}
BACKFILL_TOTALS = f"""INSERT INTO {TOTALS} ({KEY}, count, total)
    SELECT a.ancestor_id, v.indicator_id, v.period, v.state, count(*), sum(v.number)
    FROM {VALUES} v JOIN {ANCESTORS} a ON a.unit_id = v.unit_id
    WHERE v.number IS NOT NULL
    GROUP BY a.ancestor_id, v.indicator_id, v.period, v.state"""

DROP = {
    "sqlite": [
        f"DROP TRIGGER IF EXISTS {name}"
        for name in (
            "analytics_unit_path_insert", "analytics_unit_path_update", "analytics_unit_delete",
            "analytics_value_insert", "analytics_value_update", "analytics_value_delete",
        )
    ],  # fmt: skip
    "postgresql": [
        f"DROP FUNCTION IF EXISTS {name}() CASCADE"
        for name in (
            "analytics_unit_path", "analytics_unit_delete", "analytics_value_insert",
            "analytics_value_update", "analytics_value_delete", "analytics_values_truncate",
            "analytics_units_truncate",
        )
    ],  # fmt: skip
}


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE, "postgresql": POSTGRESQL}[vendor]
    for sql in [*statements, BACKFILL[vendor], BACKFILL_TOTALS]:
        schema_editor.execute(sql, params=None)


def uninstall(apps, schema_editor):
    for sql in DROP[schema_editor.connection.vendor]:
        schema_editor.execute(sql, params=None)
    schema_editor.execute(f"DELETE FROM {TOTALS}", params=None)
    schema_editor.execute(f"DELETE FROM {ANCESTORS}", params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0001_totals"),
        ("reporting", "0009_value_state"),
        ("units", "0001_initial"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
