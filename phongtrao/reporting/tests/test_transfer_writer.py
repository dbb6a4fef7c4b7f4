"""The import's writer: its thread, and what it leaves of the connection's settings."""

import sys
import threading

import pytest
from django.db import IntegrityError, connection, transaction

from phongtrao.core.errors import AppError
from phongtrao.reporting.models import DataValue, ValueChange, ValueImport
from phongtrao.reporting.transfer.commit import values_import
from phongtrao.reporting.transfer.interpreter import SWITCH_INTERVAL
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
    # when a row pointing at no unit is written afterwards in the same transaction
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                f'INSERT INTO "{table}" (indicator_id, unit_id, period, value, comment, version, '
                "source, updated_at) SELECT indicator_id, 2000000000, '2025', '1', '', 1, 'web', "
                f'updated_at FROM "{table}"'
            )
            inserted = cursor.rowcount
        # then the statement is accepted: the check waits for the commit, as Django expects
        transaction.set_rollback(True)
    assert inserted == 1
    # (checked at once, the same row is refused: the foreign key is there)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f'UPDATE "{table}" SET unit_id = 2000000000')


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
