"""The import's writer: its thread, and what it leaves of the connection's settings."""

import sys
import threading
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from phongtrao.core.errors import AppError
from phongtrao.reporting.models import DataValue, ValueChange, ValueImport
from phongtrao.reporting.transfer.commit import values_import
from phongtrao.reporting.transfer.interpreter import SWITCH_INTERVAL
from phongtrao.reporting.transfer.validate import CREATE, Planned
from phongtrao.reporting.transfer.writer import ValueWriter, common_path

pytestmark = pytest.mark.django_db


def writer_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name == "values-import-writer"]


def written() -> tuple[int, int, int, list[str]]:
    """Values, imports, changes, and the writer threads still running."""
    counts = (DataValue.objects.count(), ValueImport.objects.count(), ValueChange.objects.count())
    return (*counts, writer_threads())


@pytest.mark.parametrize(
    ("paths", "common"),
    [
        ({"1/2/3/"}, "1/2/3/"),
        ({"1/2/3/", "1/2/4/"}, "1/2/"),
        ({"1/2/3/", "1/2/"}, "1/2/"),
        ({"1/2/3/", "1/23/3/"}, "1/"),
        ({"1/2/", "5/2/"}, ""),
    ],
)
def test_the_common_path_is_the_lowest_unit_above_all(paths, common):
    assert common_path(paths) == common


def test_a_file_that_breaks_after_written_chunks_writes_nothing(tmp_path, form, bo_y):
    # given a JSON file whose first values are valid and already handed to the writer (chunks
    # of one value) when the file turns out to be cut off
    path = tmp_path / "values.json"
    path.write_text(
        '{"dataValues": [{"dataElement": "SCHEMES_NEW", "period": "2026", "orgUnit": "23377",'
        ' "value": "1"}, {"dataElement": "FESTIVAL_EVENTS", "period": "2026", "orgUnit": '
        '"23377", "value": "2"}, {"dataElement": ',
        encoding="utf-8",
    )
    # when
    with pytest.raises(AppError):
        values_import(path=path, chunk_size=1)
    # then nothing is written and the writer's thread has ended
    assert written() == (0, 0, 0, [])


def test_the_writer_thread_ends_with_the_import(tmp_path, form, bo_y):
    # given
    path = tmp_path / "values.csv"
    path.write_text("indicator,unit,period,value\nSCHEMES_NEW,23377,2026,1\n", encoding="utf-8")
    # when
    values_import(path=path)
    # then
    assert writer_threads() == []


def test_python_switches_threads_sooner_only_while_an_import_writes(
    tmp_path, form, bo_y, monkeypatch
):
    # given the process's own interval, and a writer that notes the interval it writes under
    before = sys.getswitchinterval()
    seen = []
    new_ids = ValueWriter._new_ids

    def noting(self, *args):
        seen.append(sys.getswitchinterval())
        return new_ids(self, *args)

    monkeypatch.setattr(ValueWriter, "_new_ids", noting)
    path = tmp_path / "values.csv"
    path.write_text("indicator,unit,period,value\nSCHEMES_NEW,23377,2026,1\n", encoding="utf-8")
    # when
    values_import(path=path)
    # then the new value was written under the short interval, and the process has its own back
    assert seen == [SWITCH_INTERVAL]
    assert sys.getswitchinterval() == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SET CONSTRAINTS is PostgreSQL's")
def test_foreign_keys_are_checked_at_commit_again_after_an_import(tmp_path, form, bo_y):
    # given an import, which checks its own rows' foreign keys statement by statement
    path = tmp_path / "values.csv"
    path.write_text("indicator,unit,period,value\nSCHEMES_NEW,23377,2026,1\n", encoding="utf-8")
    values_import(path=path)
    table = DataValue._meta.db_table
    # when a row naming an account that does not exist is written afterwards in the same
    # transaction (`updated_by` is a foreign key; indicator and unit are checked by triggers)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                f'INSERT INTO "{table}" (indicator_id, unit_id, period, value, comment, version, '
                "source, updated_at, updated_by_id) SELECT indicator_id, unit_id, '2025', '1', "
                f"'', 1, 'web', updated_at, 2000000000 FROM \"{table}\""
            )
            inserted = cursor.rowcount
        # then the statement is accepted: the check waits for the commit, as Django expects
        transaction.set_rollback(True)
    assert inserted == 1
    # (checked at once, the same row is refused: the foreign key is there)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f'UPDATE "{table}" SET updated_by_id = 2000000000')


def test_an_interrupted_import_stops_its_writer_and_raises_the_interruption(
    tmp_path, form, bo_y, monkeypatch
):
    # given a file of three chunks whose checking is interrupted (Ctrl-C) at the third, after
    # two chunks went to the writer
    from phongtrao.reporting.transfer.validate import Validator

    check, calls = Validator.check, []

    def interrupted(self, records):
        calls.append(len(records))
        if len(calls) == 3:
            raise KeyboardInterrupt
        return check(self, records)

    monkeypatch.setattr(Validator, "check", interrupted)
    path = tmp_path / "values.csv"
    path.write_text(
        "indicator,unit,period,value\nSCHEMES_NEW,23377,2026,1\nFESTIVAL_EVENTS,23377,2026,2\n"
        "SCHEMES_MAINTAINED,23377,2026,3\n",
        encoding="utf-8",
    )
    # when / then the interruption is what the caller gets
    with pytest.raises(KeyboardInterrupt):
        values_import(path=path, chunk_size=1)
    # and nothing is written, and the writer has ended
    assert written() == (0, 0, 0, [])


def test_the_writer_waits_for_a_statement_of_the_import_thread(form, bo_y, indicators, monkeypatch):
    # given a writer that notes when it starts writing, and a read of the import's thread that
    # hands the writer a chunk and then takes its time before it runs
    events = []
    before_statement = ValueWriter._before_statement

    def noting(self):
        before_statement(self)
        events.append("write")

    monkeypatch.setattr(ValueWriter, "_before_statement", noting)
    writer = ValueWriter(actor=None, source="import", file_name="values.csv", fmt="csv")
    planned = [
        Planned(CREATE, indicators["SCHEMES_NEW"], bo_y.pk, bo_y.path, "2026", "3", Decimal(3),
                "", None)
    ]  # fmt: skip

    def slow_read(execute, sql, params, many, context):
        if sql == "SELECT 1":
            writer.write(planned)
            threading.Event().wait(0.3)  # time enough for a writer that does not wait
            events.append("read")
        return execute(sql, params, many, context)

    # when the read runs while the import checks its file
    with writer.reads_first(), connection.execute_wrapper(slow_read), connection.cursor() as c:
        c.execute("SELECT 1")
    writer.close()
    # then the writer's statements (taking ids, the values, their changes) all came after it
    assert events[0] == "read"
    assert set(events[1:]) == {"write"}
    assert list(DataValue.objects.values_list("unit_id", "period", "value")) == [
        (bo_y.pk, "2026", "3")
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the ids' sequence is PostgreSQL's")
def test_values_whose_ids_are_not_one_run_get_their_own_changes(tmp_path, form, bo_y):
    # given a sequence that hands out every other number, as when another session takes ids
    # from it between the import's
    table = DataValue._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        sequence = cursor.fetchone()[0]
        cursor.execute(f"ALTER SEQUENCE {sequence} INCREMENT BY 2")
    path = tmp_path / "values.csv"
    path.write_text(
        "indicator,unit,period,value,comment\n"
        f"SCHEMES_NEW,{bo_y.code},2026,7,a\nFESTIVAL_EVENTS,{bo_y.code},2026,8,b\n"
        f"SCHEMES_MAINTAINED,{bo_y.code},2026,9,c\n",
        encoding="utf-8",
    )
    # when
    values_import(path=path)
    # then the ids have gaps, and each change names its own value
    stored = list(DataValue.objects.order_by("pk").values_list("pk", "value", "comment"))
    assert [pk - stored[0][0] for pk, _value, _comment in stored] == [0, 2, 4]
    changes = ValueChange.objects.order_by("value_id").values_list(
        "value_id", "version", "before", "after", "before_comment", "after_comment"
    )
    assert list(changes) == [(pk, 1, None, value, None, c) for pk, value, c in stored]
