"""The totals' triggers run without PostgreSQL's JIT compiler.

A transition table has no statistics, so the planner guessed millions of rows for a statement's
5,000 and compiled the grouped upsert to machine code every time: 590 ms of compiling for 10 ms
of work, per COPY of an import (measured on 3 million values). Compiling never pays for
statements of this size.
"""

from django.db import migrations

FUNCTIONS = ("analytics_value_insert", "analytics_value_update", "analytics_value_delete")


def jit_off(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in FUNCTIONS:
            schema_editor.execute(f"ALTER FUNCTION {name}() SET jit = off", params=None)


def jit_default(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in FUNCTIONS:
            schema_editor.execute(f"ALTER FUNCTION {name}() RESET jit", params=None)


class Migration(migrations.Migration):
    dependencies = [("analytics", "0002_triggers")]

    operations = [migrations.RunPython(jit_off, jit_default)]
