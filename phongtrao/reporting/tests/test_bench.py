"""`phongtrao bench import`, run as a user runs it: a real command on a database of its own.

The benchmark imports in a child process, which cannot see a test's transaction, so these tests
give it a SQLite file prepared like a new installation (migrate, units load), on either suite.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from phongtrao.tests.databases import postgres_database

# On one worker, so the prepared database is made once.
pytestmark = pytest.mark.xdist_group("bench-import")

CLI = [sys.executable, "-m", "phongtrao.cli"]


def environment(folder: Path) -> dict[str, str]:
    return os.environ | {
        "PHONGTRAO_VAR_DIR": str(folder),
        "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "phongtrao.settings",
    }


@pytest.fixture(scope="module")
def prepared(tmp_path_factory) -> Path:
    """A database like a new installation's, made once; each test benchmarks on a copy."""
    folder = tmp_path_factory.mktemp("bench-import")
    for command in (["migrate", "--noinput", "-v0"], ["units", "load"]):
        subprocess.run(
            CLI + command, env=environment(folder), capture_output=True, text=True, check=True
        )
    return folder / "bench.sqlite3"


@pytest.fixture
def bench_env(prepared, tmp_path) -> dict[str, str]:
    shutil.copyfile(prepared, tmp_path / "bench.sqlite3")
    return environment(tmp_path)


def stored(env: dict[str, str]) -> tuple[int, int, int, int, int]:
    """Values, imports, their changes and audit events, and benchmark forms in the benchmark's
    database."""
    with sqlite3.connect(env["DATABASE_URL"].removeprefix("sqlite:///")) as db:
        return db.execute(
            "SELECT (SELECT COUNT(*) FROM reporting_datavalue), "
            "(SELECT COUNT(*) FROM reporting_valueimport), "
            "(SELECT COUNT(*) FROM reporting_valuechange), "
            "(SELECT COUNT(*) FROM core_auditevent e JOIN django_content_type t "
            " ON t.id = e.content_type_id WHERE t.model = 'valueimport'), "
            "(SELECT COUNT(*) FROM catalog_reportform WHERE code = 'BENCH_IMPORT')"
        ).fetchone()


def bench(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        CLI + ["bench", "import", *args], env=env, capture_output=True, text=True, check=True
    )


def test_the_benchmark_imports_every_value_of_both_formats_and_cleans_up(bench_env):
    # given a new installation's database
    before = stored(bench_env)
    assert before == (0, 0, 0, 0, 0)
    # when benchmarking 300 values
    done = bench(bench_env, "--values", "300", "--json")
    # then each format imported all 300 over Quảng Ngãi's 97 units, and nothing is left behind
    results = json.loads(done.stdout)
    assert [(r["engine"], r["format"], r["values"], r["summary"]) for r in results] == [
        ("sqlite", "dhis2-json", 300, ["imported", "300", "updated", "0", "ignored", "0"]),
        ("sqlite", "dhis2-csv", 300, ["imported", "300", "updated", "0", "ignored", "0"]),
    ]
    assert {(r["units"], r["indicators"], r["periods"]) for r in results} == {(97, 33, 1)}
    # (timings differ from run to run: only that they were measured)
    assert all(r["seconds"] > 0 and r["values_per_second"] > 0 for r in results)
    assert all(r["peak_memory_mb"] > 0 for r in results)
    assert stored(bench_env) == before


def test_the_benchmark_says_on_standard_error_what_it_is_doing(bench_env):
    # when benchmarking one format
    done = bench(bench_env, "--values", "300", "--format", "dhis2-csv")
    # then stderr names each stage and stdout holds the table only
    assert done.stderr.splitlines() == [
        "dhis2-csv: đang tạo tệp 300 giá trị…",
        "dhis2-csv: đang nhập 300 giá trị…",
    ]
    assert [line.split()[:3] for line in done.stdout.splitlines()] == [
        ["engine", "format", "values"], ["sqlite", "dhis2-csv", "300"]
    ]  # fmt: skip


def test_keep_leaves_the_values_their_audit_and_the_form(bench_env):
    # when benchmarking one format with --keep
    bench(bench_env, "--values", "300", "--format", "dhis2-csv", "--keep")
    # then the 300 values, the import with their 300 changes and its audit event, and the
    # benchmark's form stay
    assert stored(bench_env) == (300, 1, 300, 1, 1)


@pytest.fixture
def postgres_env(tmp_path) -> Iterator[dict[str, str]]:
    """A PostgreSQL database of its own, prepared like a new installation's, dropped after."""
    with postgres_database(f"phongtrao_bench_{os.getpid()}") as url:
        env = environment(tmp_path) | {"DATABASE_URL": url}
        for command in (["migrate", "--noinput", "-v0"], ["units", "load"]):
            subprocess.run(CLI + command, env=env, capture_output=True, text=True, check=True)
        yield env


@pytest.mark.skipif(connection.vendor != "postgresql", reason="VACUUM is PostgreSQL's")
def test_on_postgresql_the_benchmark_vacuums_the_tables_it_deleted_from(postgres_env):
    # when benchmarking one format on PostgreSQL
    bench(postgres_env, "--values", "300", "--format", "dhis2-csv")
    # then the values' and changes' tables were vacuumed: their deleted rows are gone from the
    # files, which the vacuum cut back to nothing, for the next run to start lean
    url = postgres_env["DATABASE_URL"]
    with psycopg.connect(url) as db:
        rows = db.execute(
            "SELECT relname, last_vacuum IS NOT NULL, pg_relation_size(relid) "
            "FROM pg_stat_user_tables "
            "WHERE relname IN ('reporting_datavalue', 'reporting_valuechange') ORDER BY relname"
        ).fetchall()
    assert rows == [("reporting_datavalue", True, 0), ("reporting_valuechange", True, 0)]
