"""The totals' unique index with units and periods first (models.py says why).

In plain SQL rather than Django's constraint operations: on SQLite those rebuild the table, and
SQLite refuses to rename a table that the values' triggers name. SQLite keeps its first unique
index (built into the table, it cannot be dropped without a rebuild); PostgreSQL drops it. The
new index is made before the old one goes, so the triggers' ON CONFLICT always has one.
"""

from django.db import migrations, models

TABLE = "analytics_subtreetotal"
NEW = "subtree_total_unit_period"
OLD = "subtree_total_unique"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE {TABLE} ADD CONSTRAINT {NEW} UNIQUE (unit_id, period, indicator_id, state)",
            params=None,
        )
        schema_editor.execute(f"ALTER TABLE {TABLE} DROP CONSTRAINT {OLD}", params=None)
    else:
        schema_editor.execute(
            f"CREATE UNIQUE INDEX {NEW} ON {TABLE} (unit_id, period, indicator_id, state)",
            params=None,
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE {TABLE} ADD CONSTRAINT {OLD} UNIQUE (unit_id, indicator_id, period, state)",
            params=None,
        )
        schema_editor.execute(f"ALTER TABLE {TABLE} DROP CONSTRAINT {NEW}", params=None)
    else:
        schema_editor.execute(f"DROP INDEX {NEW}", params=None)


class Migration(migrations.Migration):
    dependencies = [("analytics", "0003_triggers_without_jit")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(forwards, backwards)],
            state_operations=[
                migrations.AddConstraint(
                    model_name="subtreetotal",
                    constraint=models.UniqueConstraint(
                        fields=("unit", "period", "indicator", "state"), name=NEW
                    ),
                ),
                migrations.RemoveConstraint(model_name="subtreetotal", name=OLD),
            ],
        )
    ]
