"""Writing checked chunks of an import: values, and the import's record of what it changed.

The writing runs in a thread of its own while the import's thread reads and checks the next
chunk: on two cores the database's work on one chunk (SQLite's B-trees, which it does without
Python's lock; PostgreSQL's server process) overlaps the Python work of checking the next. Both
threads use the import's one connection, so everything stays in its one transaction; the writer
thread only ever uses the raw DB-API connection, whose SQLite build is serialised and whose
psycopg connection locks itself. Chunks of one file never touch the same cell (a key repeated in
the file is a problem, and nothing is written after the first problem), so a chunk's checks do
not depend on the writes of the chunks before it.

Rows are built from the models' metadata and inserted with plain SQL (INSERTs of 500 rows on
SQLite, binary COPY on PostgreSQL): building a million model instances would cost more than the
database itself.
"""

import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager, suppress
from typing import Any

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from phongtrao.core.audit import audit_record, snapshot
from phongtrao.core.models import AuditAction
from phongtrao.reporting.models import DataValue, ValueChange, ValueImport, ValueSource
from phongtrao.reporting.transfer.interpreter import short_switch_interval
from phongtrao.reporting.transfer.sqlite import insert_rows
from phongtrao.reporting.transfer.validate import CREATE, CURRENT_FIELDS, UPDATE, Planned

# Checked chunks waiting for the writer: enough to keep it busy, few enough to keep memory flat.
QUEUED_CHUNKS = 2
_DONE = None


class ChangedMeanwhile(Exception):
    """A cell the import updates was saved by someone else after its chunk was checked."""


class _Stopped(Exception):
    """The import was aborted; the writer stops before its next statement."""


def _with_defaults(model: type, columns: tuple[str, ...]) -> tuple[tuple[str, ...], tuple]:
    """The columns this module fills, plus any other field of the model at its default.

    A field added to the model later is then written as the ORM would write it by default
    instead of breaking the import.
    """
    extra = [
        f for f in model._meta.concrete_fields if f.column not in columns and not f.primary_key
    ]
    values = tuple(f.get_db_prep_save(f.get_default(), connection) for f in extra)
    return columns + tuple(f.column for f in extra), values


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def common_path(paths: set[str]) -> str:
    """The path of the lowest unit above all of these ("12/345/" for "12/345/6/" and
    "12/345/7/"), "" when they share no unit."""
    split = [p.split("/")[:-1] for p in paths]
    common: list[str] = []
    for parts in zip(*split, strict=False):
        if len(set(parts)) != 1:
            break
        common.append(parts[0])
    return "".join(f"{part}/" for part in common)


class ValueWriter:
    """Takes checked chunks (`write`), writes them in its own thread, and records the import.

    The import is recorded once (`ValueImport`, with one audit event at `finish`) and each value
    it creates or changes gets one narrow `ValueChange` row: before and after. `close` waits for
    the last chunk and raises the writer's error, if it had one; when the import's own thread
    fails, call `abort` instead, which stops the writer at its next statement and waits for it.
    Either must be called before the transaction ends: the writer must never outlive it.
    """

    VALUE_COLUMNS = ("id", "indicator_id", "unit_id", "period", "value", "number", "comment",
                     "version", "source", "updated_at", "updated_by_id")  # fmt: skip
    CHANGE_COLUMNS = ("value_import_id", "value_id", "version", "before", "after",
                      "before_comment", "after_comment")  # fmt: skip

    def __init__(self, *, actor: Any, source: str, file_name: str, fmt: str) -> None:
        self.actor = actor if getattr(actor, "is_authenticated", False) else None
        self.actor_id = None if self.actor is None else self.actor.pk
        self.source, self.file_name, self.format = source, file_name, fmt
        self.at = timezone.now()
        self.now = DataValue._meta.get_field("updated_at").get_db_prep_save(self.at, connection)
        self.value_columns, self.value_extra = _with_defaults(DataValue, self.VALUE_COLUMNS)
        self.change_columns, self.change_extra = _with_defaults(ValueChange, self.CHANGE_COLUMNS)
        self.value_import: ValueImport | None = None
        self.history = False  # a history load's values among those written
        self.unit_paths: set[str] = set()
        connection.ensure_connection()
        self.db, self.raw = connection, connection.connection
        self.postgres = connection.vendor == "postgresql"
        self.mark = "%s" if self.postgres else "?"
        self._queue: queue.Queue = queue.Queue(maxsize=QUEUED_CHUNKS)
        self._error: BaseException | None = None
        self._failed = False  # set by the writer's thread at its first error, never cleared
        self._stop = threading.Event()
        self._reads = threading.Condition()
        self._reading = 0  # statements of the import's thread running or waiting to
        self._types: dict[str, list[int]] = {}  # of the columns COPY writes, by table
        self._sequence: str | None = None  # of the values' ids, on PostgreSQL
        self._thread = threading.Thread(target=self._run, name="values-import-writer", daemon=True)
        self._thread.start()

    # --- the import's thread -----------------------------------------------------------------

    def write(self, planned: list[Planned]) -> None:
        """Hand a checked chunk to the writer; raises the error of an earlier chunk's write."""
        self._raise()
        creates = [p for p in planned if p.action == CREATE]
        updates = [p for p in planned if p.action == UPDATE]
        if not creates and not updates:
            return
        # Recorded at the first change, so a file that changes nothing leaves no trace.
        self.record(history=any(p.history for p in creates) or any(p.history for p in updates))
        self.unit_paths.update({p.unit_path for p in creates}, {p.unit_path for p in updates})
        self._queue.put((creates, updates))

    def record(self, *, history: bool = False) -> ValueImport:
        """The import's record, created the first time; `history`: it holds a history load's
        writes (values, or reports it approves), which its source then says."""
        self.history = self.history or history
        if self.value_import is None:
            self.value_import = ValueImport.objects.create(
                at=self.at, actor=self.actor, file_name=self.file_name[:255],
                format=self.format, source=ValueSource.HISTORY if self.history else self.source,
            )  # fmt: skip
        return self.value_import

    @contextmanager
    def reads_first(self) -> Iterator[None]:
        """While the import's thread checks the file, each of its statements runs before the
        writer's next one (see `_before_statement`)."""
        with self.db.execute_wrapper(self._read_first):
            yield

    def _read_first(
        self, execute: Callable, sql: str, params: Any, many: bool, context: dict
    ) -> Any:
        with self._reads:
            self._reading += 1
        try:
            return execute(sql, params, many, context)
        finally:
            with self._reads:
                self._reading -= 1
                self._reads.notify_all()

    def close(self) -> None:
        """Wait until every chunk handed over is written; raise the writer's error if any."""
        try:
            if self._thread.is_alive():
                self._queue.put(_DONE)
                self._thread.join()
        except BaseException:
            self.abort()  # interrupted while waiting (Ctrl-C, a worker's timeout)
            raise
        self._raise()

    def abort(self) -> None:
        """Stop the writer at its next statement and wait until it has, whatever interrupts the
        wait: once the caller's transaction is rolled back the connection is back in
        autocommit, and a statement the writer ran then would be committed on its own."""
        self._stop.set()
        if not self.postgres:
            self.raw.interrupt()  # SQLite stops the statement it is running
        while self._thread.is_alive():
            try:
                with suppress(queue.Full):
                    self._queue.put_nowait(_DONE)  # wakes a writer waiting for a chunk
                self._thread.join(0.1)
            except BaseException:  # noqa: S112 - the wait is short and must not be cut
                continue

    def finish(self, imported: int, updated: int, ignored: int) -> int | None:
        """After `close`: the import's counts, the units it reached and its audit event.
        Returns the import's id, None when nothing changed."""
        record = self.value_import
        if record is None:
            return None
        record.imported, record.updated, record.ignored = imported, updated, ignored
        if self.history:
            record.source = ValueSource.HISTORY
        record.unit_path = common_path(self.unit_paths)
        record.unit_id = int(record.unit_path.split("/")[-2]) if record.unit_path else None
        record.save()
        audit_record(
            actor=self.actor, action=AuditAction.CREATE, instance=record,
            after=snapshot(record), unit_id=record.unit_id, source=record.source,
            link=reverse("reporting:value_import", args=[record.pk]),
        )  # fmt: skip
        return record.pk

    def _raise(self) -> None:
        error, self._error = self._error, None
        if error is not None:
            raise error

    # --- the writer's thread -----------------------------------------------------------------

    def _run(self) -> None:
        with short_switch_interval():
            self._drain()

    def _drain(self) -> None:
        while (item := self._queue.get()) is not _DONE:
            if self._failed or self._stop.is_set():
                continue  # after a failed write the rest is only drained; all is rolled back
            try:
                creates, updates = item
                changes = self._create(creates) if creates else []
                if updates:
                    changes += self._update(updates)
                self._insert(ValueChange._meta.db_table, self.change_columns, changes)
            except BaseException as exc:  # handed to the import's thread, which raises it
                self._error, self._failed = exc, True

    def _before_statement(self) -> None:
        """Before each statement: the import's own reads go first, and an aborted import writes
        nothing more.

        The connection runs one statement at a time, and psycopg holds it for a whole COPY. The
        import's thread reads the stored values of its next chunk, and the writer, once it let
        go of the connection, would take it back at once for the chunk after, so those reads
        waited a whole chunk's writing each time; then the writer, having written everything
        handed to it, sat idle while the rest of that chunk was checked (the server was idle 14–18%
        of a PostgreSQL import of 1,000,000 values)."""
        with self._reads:
            self._reads.wait_for(lambda: not self._reading)
        if self._stop.is_set():
            raise _Stopped

    def _insert(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if not rows:
            return
        names = ", ".join(_quote(c) for c in columns)
        # The raw connection's errors, as Django's (IntegrityError for a duplicate key).
        with self.db.wrap_database_errors:
            if self.postgres:
                # COPY streams the rows in one command; statements with thousands of
                # parameters spend longer being quoted by the client than being run. Binary,
                # neither side turns numbers and times into text and back.
                types = self._column_types(table, columns)
                self._before_statement()
                copy_sql = f"COPY {_quote(table)} ({names}) FROM STDIN (FORMAT BINARY)"
                with self.raw.cursor() as cursor, cursor.copy(copy_sql) as copy:
                    copy.set_types(types)
                    for row in rows:
                        copy.write_row(row)
                return
            insert_rows(self.raw, f"INSERT INTO {_quote(table)} ({names}) VALUES ", len(columns),
                        rows, before_each=self._before_statement)  # fmt: skip

    @contextmanager
    def _cursor(self) -> Iterator[Any]:
        """A cursor of the raw connection, closed after (SQLite's has no `with` of its own),
        with the connection's errors raised as Django's."""
        with self.db.wrap_database_errors, closing(self.raw.cursor()) as cursor:
            yield cursor

    def _column_types(self, table: str, columns: tuple[str, ...]) -> list[int]:
        """The PostgreSQL types of these columns, which a binary COPY must be told."""
        if table not in self._types:
            self._before_statement()
            with self._cursor() as cursor:
                cursor.execute(
                    "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass "
                    "AND attnum > 0 AND NOT attisdropped",
                    [_quote(table)],
                )
                found = dict(cursor.fetchall())
            self._types[table] = [found[c] for c in columns]
        return self._types[table]

    def _create(self, creates: list[Planned]) -> list[tuple]:
        ids = self._new_ids(len(creates))
        source, history = self.source, ValueSource.HISTORY
        rows = [
            (pk, p.indicator.id, p.unit_id, p.period, p.value, p.number, p.comment, 1,
             history if p.history else source, self.now, self.actor_id, *self.value_extra)
            for pk, p in zip(ids, creates, strict=True)
        ]  # fmt: skip
        self._insert(DataValue._meta.db_table, self.value_columns, rows)
        if isinstance(ids, range):
            self._created_changes_from_values(ids[0], ids[-1])
            return []
        record, extra = self.value_import.pk, self.change_extra
        return [
            (record, pk, 1, None, p.value, None, p.comment, *extra)
            for pk, p in zip(ids, creates, strict=True)
        ]

    def _created_changes_from_values(self, first: int, last: int) -> None:
        """When the new values' ids are one unbroken run, their changes are copied from the rows
        just written by one statement, without a Python tuple or a parameter per row (those held
        Python's lock, which the checking thread needs, for ~3 s per million)."""
        names = ", ".join(_quote(c) for c in self.change_columns)
        mark = self.mark
        # In the order of CHANGE_COLUMNS: the import, the value, version 1, no value before,
        # the value, no comment before, the comment; then any other field at its default.
        selected = ", ".join([mark, _quote("id"), "1", "NULL", _quote("value"), "NULL",
                              _quote("comment"), *[mark] * len(self.change_extra)])  # fmt: skip
        sql = (
            f"INSERT INTO {_quote(ValueChange._meta.db_table)} ({names}) SELECT {selected} "
            f"FROM {_quote(DataValue._meta.db_table)} WHERE {_quote('id')} BETWEEN {mark} "
            f"AND {mark}"
        )
        self._before_statement()
        with self._cursor() as cursor:
            cursor.execute(sql, [self.value_import.pk, *self.change_extra, first, last])

    def _new_ids(self, count: int) -> range | list[int]:
        """Ids for new values, taken before they are written, so their changes need no read-back:
        a range when they are one unbroken run, as they almost always are.

        PostgreSQL hands them out from the column's own sequence, as a default would; only
        their bounds come back unless another session took numbers from it meanwhile (fetching
        a million ids one by one cost ~2.5 s of the writer's time). SQLite gives an
        AUTOINCREMENT column the next number after the highest it has ever used; the import's
        transaction holds SQLite's only write lock, so nobody else takes one meanwhile.
        """
        self._before_statement()
        table = DataValue._meta.db_table
        with self._cursor() as cursor:
            if self.postgres:
                if self._sequence is None:
                    # Once: looked up for each id, it cost more than the id itself.
                    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [_quote(table)])
                    self._sequence = cursor.fetchone()[0]
                cursor.execute(
                    "SELECT MIN(id), MAX(id), CASE WHEN MAX(id) - MIN(id) + 1 = COUNT(*) "
                    "THEN NULL ELSE array_agg(id) END FROM (SELECT nextval(%s::regclass) "
                    "AS id FROM generate_series(1, %s)) AS taken",
                    [self._sequence, count],
                )
                first, last, scattered = cursor.fetchone()
                return range(first, last + 1) if scattered is None else scattered
            cursor.execute(
                f"SELECT MAX(id) FROM (SELECT MAX({_quote('id')}) AS id FROM {_quote(table)} "
                "UNION ALL SELECT seq FROM sqlite_sequence WHERE name = ?)",
                [table],
            )
            last = cursor.fetchone()[0] or 0
        return range(last + 1, last + 1 + count)

    def _update(self, updates: list[Planned]) -> list[tuple]:
        table, mark = _quote(DataValue._meta.db_table), self.mark
        sets = ", ".join(
            f"{_quote(c)} = {mark}"
            for c in ("value", "number", "comment", "version", "source", "updated_at",
                      "updated_by_id")
        )  # fmt: skip
        at = {name: n for n, name in enumerate(CURRENT_FIELDS)}
        record, extra = self.value_import.pk, self.change_extra
        rows, changes = [], []
        for p in updates:
            pk, version = p.current[0], p.current[at["version"]] + 1
            source = ValueSource.HISTORY if p.history else self.source
            rows.append((p.value, p.number, p.comment, version, source, self.now,
                         self.actor_id, pk, version - 1))  # fmt: skip
            changes.append((record, pk, version, p.current[at["value"]], p.value,
                            p.current[at["comment"]], p.comment, *extra))  # fmt: skip
        where = f"{_quote('id')} = {mark} AND {_quote('version')} = {mark}"
        self._before_statement()
        with self._cursor() as cursor:
            cursor.executemany(f"UPDATE {table} SET {sets} WHERE {where}", rows)
            changed = cursor.rowcount
        if changed != len(rows):
            # Someone saved one of these cells by hand since it was read: theirs is kept.
            raise ChangedMeanwhile
        return changes
