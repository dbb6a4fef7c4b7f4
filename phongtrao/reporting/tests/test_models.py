import pytest
from django.db import connection, models

from phongtrao.core import jobs
from phongtrao.reporting.models import DataValue, ImportJob, ImportJobStatus

pytestmark = pytest.mark.django_db


def _constraints(model: type[models.Model]) -> list[dict]:
    """The model's table's indexes and constraints, as the database has them."""
    with connection.cursor() as cursor:
        return list(connection.introspection.get_constraints(cursor, model._meta.db_table).values())


def _indexed_columns(model: type[models.Model]) -> set[tuple[str, ...]]:
    return {
        tuple(c["columns"])
        for c in _constraints(model)
        if c["index"] or c["unique"] or c["primary_key"]
    }


def test_values_have_only_the_indexes_that_reads_need():
    # Given the values table as migrated
    # When its indexes are read from the database
    indexed = _indexed_columns(DataValue)
    # Then each imported value pays for three: the key, the unique key (which also serves
    # roll-ups by indicator and period) and (unit, period)
    assert indexed == {("id",), ("indicator_id", "period", "unit_id"), ("unit_id", "period")}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps its foreign keys")
def test_on_postgresql_only_the_editor_of_a_value_is_a_foreign_key():
    # Given the values table as migrated (0007: indicator and unit checked by triggers)
    # When its foreign keys are read from the database
    foreign_keys = [c["columns"] for c in _constraints(DataValue) if c["foreign_key"]]
    # Then only `updated_by` is one: a migration that puts the other two back would make
    # PostgreSQL check each imported value twice more, row by row
    assert foreign_keys == [["updated_by_id"]]


def test_an_import_job_speaks_the_statuses_of_core_jobs_in_its_own_words():
    # given the statuses core.jobs writes when it claims, fails and recovers a job
    core = [jobs.JobStatus.PENDING, jobs.JobStatus.RUNNING, jobs.JobStatus.DONE,
            jobs.JobStatus.FAILED]  # fmt: skip
    # then an import job's are the same values, labelled for an import
    assert [(value, str(label)) for value, label in ImportJobStatus.choices] == list(
        zip(core, ["Đang chờ", "Đang nhập", "Đã nhập", "Bị lỗi"], strict=True)
    )
    # and it is finished exactly in core's finished statuses
    assert [ImportJob(status=s).is_finished for s in core] == [False, False, True, True]
