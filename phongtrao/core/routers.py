"""Reads that may come from a streaming replica, and the router that sends them there.

A national deployment answers dashboards and pivot tables from a PostgreSQL replica
(docs/scaling.md), so the primary keeps its cores for the entry screens and imports. Which
reads may lag the primary by a moment is a decision of the code that reads, not of a model:
a dashboard may, the totals under a cell just saved may not. So nothing goes to the replica
unless it runs inside `replica_reads()`; writes, and every read outside it, use the primary.
Without a `replica` database (DATABASE_REPLICA_URL unset) everything uses the primary.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

REPLICA = "replica"
_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads inside (a block, or a view's method as a decorator) may come from the replica:
    use it only where figures a few seconds old are right, and never to decide a write."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


class ReplicaRouter:
    """settings.DATABASE_ROUTERS: `replica_reads()` reads to the replica, all else to the
    primary; migrations run on the primary only (the replica copies them)."""

    def db_for_read(self, model: type, **hints: Any) -> str:
        if _replica_reads.get() and REPLICA in settings.DATABASES:
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: type, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # The same data on both: an object read from the replica may point at one from the
        # primary.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS
