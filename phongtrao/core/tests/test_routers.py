"""The router: reads inside `replica_reads()` go to the replica when there is one; writes,
other reads and migrations stay on the primary."""

import pytest
from django.conf import settings

from phongtrao.core.models import AuditEvent
from phongtrao.core.routers import ReplicaRouter, replica_reads

router = ReplicaRouter()


@pytest.fixture
def with_replica(monkeypatch):
    monkeypatch.setitem(settings.DATABASES, "replica", dict(settings.DATABASES["default"]))


def test_an_analytics_read_goes_to_the_replica_and_a_write_to_the_primary(with_replica):
    # when a read and a write are routed inside replica_reads
    with replica_reads():
        read, write = router.db_for_read(AuditEvent), router.db_for_write(AuditEvent)
    # then the read goes to the replica, the write to the primary
    assert (read, write) == ("replica", "default")


def test_reads_outside_replica_reads_stay_on_the_primary(with_replica):
    # when a read is routed outside, and after, replica_reads
    before = router.db_for_read(AuditEvent)
    with replica_reads():
        pass
    # then it goes to the primary both times
    assert (before, router.db_for_read(AuditEvent)) == ("default", "default")


def test_without_a_replica_everything_uses_the_primary():
    # given no replica configured
    assert "replica" not in settings.DATABASES
    # when a read is routed inside replica_reads, then it goes to the primary
    with replica_reads():
        assert router.db_for_read(AuditEvent) == "default"


def test_replica_reads_decorates_a_function_each_call_apart(with_replica):
    # given a function decorated with replica_reads
    @replica_reads()
    def read() -> str:
        return router.db_for_read(AuditEvent)

    # when it is called twice, then each call reads the replica and nothing leaks after it
    assert [read(), read(), router.db_for_read(AuditEvent)] == ["replica", "replica", "default"]


def test_migrations_run_on_the_primary_only(with_replica):
    assert (router.allow_migrate("default", "core"), router.allow_migrate("replica", "core")) == (
        True,
        False,
    )
