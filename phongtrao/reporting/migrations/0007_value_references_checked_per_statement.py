"""On PostgreSQL, a value's indicator and unit are checked by triggers per statement, not by
foreign keys.

PostgreSQL checks a foreign key with one query per inserted row: for an import of 1,000,000
values the two checks (indicator, unit) were about half of the server's work (7 of 14 s of CPU
on the machine of docs/BENCHMARKS.md, 2026-12-01 16:40). A trigger per statement checks a whole
COPY of 5,000 rows at once. The guarantee stays the foreign key's:

- a value cannot name an indicator or a unit that does not exist (inserted or changed);
- an indicator or a unit that values name cannot be deleted (nor its table truncated without
  theirs), nor its id changed;
- the indicators and units new values name are locked (FOR KEY SHARE, as a foreign key's check
  locks them) until their transaction ends, so a concurrent delete either waits and then sees
  the new values, or commits first and the values are refused.

That last point holds at READ COMMITTED, the isolation Django uses and this project keeps: each
check runs with a snapshot taken after its locks. A transaction at REPEATABLE READ that deletes
an indicator or a unit would check with its own older snapshot, where a foreign key's check
would use a newer one; nothing here runs at that level.

One difference: Django's foreign keys are checked at the commit (DEFERRABLE INITIALLY DEFERRED),
the triggers at the end of each statement. That is stricter, never looser (a value written
before its unit in the same transaction is refused), and nothing in the app writes in that order.

SQLite keeps its foreign keys: they cost it little, and triggers there would name tables that
Django's rebuild of a table (for most changes of a column) drops for a moment, which SQLite
refuses. So the model keeps `db_constraint` as it was and only the PostgreSQL database changes.
"""

from django.db import migrations

VALUE = "reporting_datavalue"
PARENTS = (("catalog_indicator", "indicator_id"), ("units_unit", "unit_id"))


def _lock_and_check(parent: str, column: str) -> str:
    """The check function's part for one reference: lock the rows the new values name, and note
    the first missing key, unless one is noted already."""
    return f"""
    IF missing IS NULL THEN
        IF TG_LEVEL = 'STATEMENT' THEN
            named := ARRAY(SELECT DISTINCT {column} FROM new_values);
        ELSE
            named := ARRAY[NEW.{column}];
        END IF;
        PERFORM 1 FROM {parent} WHERE id = ANY (named) FOR KEY SHARE;
        GET DIAGNOSTICS locked = ROW_COUNT;
        IF locked < cardinality(named) THEN
            SELECT format('Key ({column})=(%s) is not present in table "{parent}".', n.id)
                INTO missing FROM unnest(named) AS n (id)
                WHERE NOT EXISTS (SELECT FROM {parent} p WHERE p.id = n.id) LIMIT 1;
            missing := coalesce(missing, format('A row of "{parent}" among %s was deleted '
                                                'meanwhile.', named));
        END IF;
    END IF;"""


# One function per side; each serves the row triggers (NEW/OLD) and the statement triggers
# (their transition tables) alike. The messages follow PostgreSQL's own for a foreign key.
# Fewer rows locked than named: one is missing, or was deleted while the check waited for its
# lock. Refused either way, even if a row with that id is back by then: it is not locked. The
# query after the lock only says which key, for the message.
POSTGRESQL = (
    """
CREATE FUNCTION reporting_datavalue_check_references() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    named bigint[];
    locked integer;
    missing text;
BEGIN"""
    + "".join(_lock_and_check(parent, column) for parent, column in PARENTS)
    + f"""
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'insert or update on table "{VALUE}" violates its references'
            USING ERRCODE = 'foreign_key_violation', DETAIL = missing;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER datavalue_references_inserted AFTER INSERT ON {VALUE}
    REFERENCING NEW TABLE AS new_values
    FOR EACH STATEMENT EXECUTE FUNCTION reporting_datavalue_check_references();
CREATE TRIGGER datavalue_references_changed AFTER UPDATE OF indicator_id, unit_id ON {VALUE}
    FOR EACH ROW
    WHEN (OLD.indicator_id <> NEW.indicator_id OR OLD.unit_id <> NEW.unit_id)
    EXECUTE FUNCTION reporting_datavalue_check_references();

-- TG_ARGV[0]: the column of the values that points at the table the trigger is on.
CREATE FUNCTION reporting_datavalue_keep_referenced() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    referenced bigint;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        -- What a foreign key would cascade to or refuse: every value names a row of the table.
        EXECUTE format('SELECT %1$I FROM {VALUE} LIMIT 1', TG_ARGV[0]) INTO referenced;
    ELSIF TG_LEVEL = 'STATEMENT' THEN
        EXECUTE format('SELECT %1$I FROM {VALUE} WHERE %1$I IN (SELECT id FROM old_rows) '
                       'LIMIT 1', TG_ARGV[0]) INTO referenced;
    ELSE
        EXECUTE format('SELECT %1$I FROM {VALUE} WHERE %1$I = $1 LIMIT 1', TG_ARGV[0])
            INTO referenced USING OLD.id;
    END IF;
    IF referenced IS NOT NULL THEN
        RAISE EXCEPTION 'update or delete on table "%" violates the references of "{VALUE}"',
                TG_TABLE_NAME
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = format('Key (id)=(%s) is still referenced from table "{VALUE}".',
                                  referenced);
    END IF;
    RETURN NULL;
END $$;
"""
    + "".join(
        f"""
CREATE TRIGGER datavalue_references_kept_on_delete_{parent} AFTER DELETE ON {parent}
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reporting_datavalue_keep_referenced('{column}');
CREATE TRIGGER datavalue_references_kept_on_update_{parent} AFTER UPDATE OF id ON {parent}
    FOR EACH ROW WHEN (OLD.id <> NEW.id)
    EXECUTE FUNCTION reporting_datavalue_keep_referenced('{column}');
CREATE TRIGGER datavalue_references_kept_on_truncate_{parent} AFTER TRUNCATE ON {parent}
    FOR EACH STATEMENT EXECUTE FUNCTION reporting_datavalue_keep_referenced('{column}');
"""
        for parent, column in PARENTS
    )
)

POSTGRESQL_REVERSE = (
    f"""
DROP TRIGGER datavalue_references_inserted ON {VALUE};
DROP TRIGGER datavalue_references_changed ON {VALUE};
DROP FUNCTION reporting_datavalue_check_references();
"""
    + "".join(
        f"""
DROP TRIGGER datavalue_references_kept_on_delete_{parent} ON {parent};
DROP TRIGGER datavalue_references_kept_on_update_{parent} ON {parent};
DROP TRIGGER datavalue_references_kept_on_truncate_{parent} ON {parent};
"""
        for parent, _column in PARENTS
    )
    + "DROP FUNCTION reporting_datavalue_keep_referenced();"
)

# The two foreign keys as Django named them (0001), put back if this migration is reversed.
FOREIGN_KEYS = {
    "indicator_id": "reporting_datavalue_indicator_id_ecbe883a_fk_catalog_i",
    "unit_id": "reporting_datavalue_unit_id_3da3f446_fk_units_unit_id",
}


def checked_by_triggers(apps, schema_editor) -> None:
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, VALUE)
    for name, constraint in found.items():
        if constraint["foreign_key"] and constraint["columns"][0] in FOREIGN_KEYS:
            schema_editor.execute(
                f"ALTER TABLE {VALUE} DROP CONSTRAINT {schema_editor.quote_name(name)}"
            )
    schema_editor.execute(POSTGRESQL, params=None)


def checked_by_foreign_keys(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(POSTGRESQL_REVERSE, params=None)
    for parent, column in PARENTS:
        schema_editor.execute(
            f"ALTER TABLE {VALUE} ADD CONSTRAINT {FOREIGN_KEYS[column]} FOREIGN KEY ({column}) "
            f"REFERENCES {parent} (id) DEFERRABLE INITIALLY DEFERRED"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_festival_form"),
        ("reporting", "0006_fewer_value_indexes"),
        ("units", "0001_initial"),
    ]

    operations = [migrations.RunPython(checked_by_triggers, checked_by_foreign_keys)]
