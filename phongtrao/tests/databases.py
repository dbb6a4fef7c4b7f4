"""Databases of their own for tests whose commands run in another process, which cannot see
the test's transaction."""

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from django.conf import settings


@contextmanager
def postgres_database(name: str) -> Iterator[str]:
    """A new, empty database `name` on the test suite's PostgreSQL server; its URL. Dropped
    afterwards, even while a child process is still connected to it."""
    server = settings.DATABASES["default"]
    host, port, user = server["HOST"], server["PORT"] or 5432, server["USER"]
    password = server["PASSWORD"] or None

    def admin() -> psycopg.Connection:
        return psycopg.connect(
            host=host, port=port, user=user, password=password, dbname="postgres",
            autocommit=True,
        )  # fmt: skip

    with admin() as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{name}"')
    auth = f"{user}:{password}@" if password else f"{user}@"
    try:
        yield f"postgres://{auth}{host}:{port}/{name}"
    finally:
        with admin() as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
