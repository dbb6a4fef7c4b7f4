"""`values_import`: the one service that writes an imported file.

All or nothing, in one pass: inside one transaction the file is read and checked chunk by
chunk, and each chunk is written as soon as it is checked, as long as no problem has been found
in the file so far. After the first problem the rest is only checked, so the summary names every
problem, and the transaction is rolled back: a rejected file writes nothing. Checking inside the
transaction means the writes rest on what the checks read (approvals, locks, stored values), so
nothing has to be checked twice. Rows and their audit events are inserted with plain SQL built
from the models' metadata (INSERTs of 500 rows on SQLite, COPY on PostgreSQL): building a
million model instances would cost more than the database itself.
"""

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phongtrao.accounts.models import Role
from phongtrao.core.audit import diff
from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.models import AuditAction, AuditEvent
from phongtrao.core.text import format_number
from phongtrao.reporting.models import DataValue, ValueSource
from phongtrao.reporting.transfer.formats import Format, Reader, Record, reader_for
from phongtrao.reporting.transfer.sqlite import insert_rows
from phongtrao.reporting.transfer.validate import (
    CREATE,
    CURRENT_FIELDS,
    IGNORE,
    UPDATE,
    Planned,
    Problem,
    Validator,
)

CHUNK = 5000
# `core.audit.snapshot`'s names for the fields of `CURRENT_FIELDS`, in the same order.
SNAPSHOT_NAMES = ("id", "indicator", "unit", "period", "value", "number", "comment", "version",
                  "source", "updated_by")  # fmt: skip
MAX_PROBLEMS = 1000


@dataclass
class ImportResult:
    imported: int = 0
    updated: int = 0
    ignored: int = 0
    problem_count: int = 0
    problems: list[Problem] = field(default_factory=list)  # the first MAX_PROBLEMS
    written: bool = False
    format: str = ""

    @property
    def rejected(self) -> bool:
        return self.problem_count > 0

    def lines(self) -> list[str]:
        """The summary of the command-line contract: counts, then one line per problem."""
        lines = [f"imported {self.imported}", f"updated {self.updated}", f"ignored {self.ignored}"]
        lines += [str(p) for p in self.problems]
        if self.problem_count > len(self.problems):
            more = format_number(self.problem_count - len(self.problems))
            lines.append(_("… and %(n)s more") % {"n": more})
        return lines


def _chunks(records: Iterator[Record], size: int) -> Iterator[list[Record]]:
    while chunk := list(islice(records, size)):
        yield chunk


def _count(result: ImportResult, planned: list[Planned]) -> None:
    for row in planned:
        if row.action == CREATE:
            result.imported += 1
        elif row.action == UPDATE:
            result.updated += 1
        else:
            result.ignored += 1


def values_import(
    *,
    path: Path,
    fmt: Format | str | None = None,
    actor: Any = None,
    dry_run: bool = False,
    source: str = ValueSource.IMPORT,
    chunk_size: int = CHUNK,
    today: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import a file. `actor` None is the system (the command line without --user).

    Problems with rows come back in the result; an unusable file raises AppError(INVALID).
    `progress` is told the number of values checked so far after every chunk.
    """
    if actor is not None and not actor.has_role(Role.DATA_ENTRY):
        raise AppError(ErrorCode.FORBIDDEN, _("You may not change the data of this unit."))
    reader = reader_for(Path(path), fmt)
    result = ImportResult(format=reader.format)
    if dry_run:
        _check_all(result, reader, actor=actor, today=today, chunk_size=chunk_size, writer=None,
                   progress=progress)  # fmt: skip
        return result
    try:
        with _sqlite_cache(), transaction.atomic():
            writer = _Writer(actor=actor, source=source)
            _check_all(result, reader, actor=actor, today=today, chunk_size=chunk_size,
                       writer=writer, progress=progress)  # fmt: skip
            if result.rejected:
                transaction.set_rollback(True)
    except IntegrityError:
        # A value of the file was created by someone else after its chunk was checked.
        raise _changed() from None
    result.written = not result.rejected
    return result


def _check_all(
    result: ImportResult,
    reader: Reader,
    *,
    actor: Any,
    today: date | None,
    chunk_size: int,
    writer: "_Writer | None",
    progress: Callable[[int], None] | None,
) -> None:
    """Check the file chunk by chunk; write each chunk while no problem has been found.

    The caller's transaction makes it all or nothing: after the first problem the rest of the
    file is only checked, to name every problem, and the caller rolls back what was written.
    Everything the checks read, the catalogue included, is read inside that transaction, so
    the writes rest on it; a cell saved by someone else in between fails the write instead.
    """
    validator = Validator(reader=reader, actor=actor, today=today)
    validator.track_duplicates()
    done = 0
    try:
        for chunk in _chunks(reader.records(), chunk_size):
            checked = validator.check(chunk)
            _count(result, checked.planned)
            result.problem_count += len(checked.problems)
            room = MAX_PROBLEMS - len(result.problems)
            result.problems += checked.problems[: max(room, 0)]
            if writer is not None and not result.problem_count:
                writer.write(checked.planned)
            done += len(chunk)
            if progress is not None:
                progress(done)
    finally:
        validator.close()


def _changed() -> AppError:
    return AppError(
        ErrorCode.CONFLICT,
        _("The data changed while the file was being imported; nothing was written."),
    )


# SQLite's page cache for the import's own writes, in KiB (the default is 2 MB): the indexes
# of two tables growing by a million rows each no longer fit in 2 MB, and every insert then
# reads its index pages back from the file. Durability is untouched (a per-connection cache).
SQLITE_CACHE_KIB = 64 * 1024


@contextmanager
def _sqlite_cache() -> Iterator[None]:
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


_json = json.encoder.encode_basestring_ascii  # what json.dumps writes for a str


def _number(number: Any) -> str | None:
    return None if number is None else str(number)  # as `core.audit.snapshot` writes Decimals


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


class _Writer:
    """Inserts and updates values and their audit events with plain SQL, in batches."""

    VALUE_COLUMNS = ("id", "indicator_id", "unit_id", "period", "value", "number", "comment",
                     "version", "source", "updated_at", "updated_by_id")  # fmt: skip
    AUDIT_COLUMNS = ("at", "actor_id", "action", "content_type_id", "object_id", "object_repr",
                     "unit_id", "unit_path", "changes", "source")  # fmt: skip

    def __init__(self, *, actor: Any, source: str) -> None:
        self.actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
        self.source = source
        now = timezone.now()
        self.now = DataValue._meta.get_field("updated_at").get_db_prep_save(now, connection)
        self.content_type_id = ContentType.objects.get_for_model(DataValue).pk
        self.value_columns, self.value_extra = _with_defaults(DataValue, self.VALUE_COLUMNS)
        self.audit_columns, self.audit_extra = _with_defaults(AuditEvent, self.AUDIT_COLUMNS)
        by = "" if self.actor_id is None else f', "updated_by": [null, {int(self.actor_id)}]'
        self.created_tail = f', "source": [null, {_json(source)}]{by}}}'

    def write(self, planned: list[Planned]) -> None:
        creates = [p for p in planned if p.action == CREATE]
        updates = [p for p in planned if p.action == UPDATE]
        events = []
        if creates:
            events += self._create(creates)
        if updates:
            events += self._update(updates)
        self._insert(AuditEvent._meta.db_table, self.audit_columns, events)

    def _insert(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if not rows:
            return
        names = ", ".join(_quote(c) for c in columns)
        if connection.vendor == "postgresql":
            # COPY streams the rows in one command; statements with thousands of
            # parameters spend longer being quoted by the client than being run.
            copy_sql = f"COPY {_quote(table)} ({names}) FROM STDIN"
            # The raw cursor's errors, as Django's (IntegrityError for a duplicate key).
            with (
                connection.cursor() as cursor,
                connection.wrap_database_errors,
                cursor.cursor.copy(copy_sql) as copy,
            ):
                for row in rows:
                    copy.write_row(row)
            return
        # SQLite, on the raw connection: Django's wrapper would rewrite every statement's
        # placeholders. The transaction is the caller's, on the same connection.
        with connection.wrap_database_errors:
            sql = f"INSERT INTO {_quote(table)} ({names}) VALUES "
            insert_rows(connection.connection, sql, len(columns), rows)

    def _snapshot(self, pk: int, p: Planned, version: int) -> dict[str, Any]:
        """What `core.audit.snapshot` records for a DataValue, without building the instance."""
        return {
            "id": pk, "indicator": p.indicator.id, "unit": p.unit_id, "period": p.period,
            "value": p.value, "number": _number(p.number), "comment": p.comment,
            "version": version, "source": self.source, "updated_by": self.actor_id,
        }  # fmt: skip

    def _event(self, action: str, pk: int, p: Planned, changes: dict[str, list] | str) -> tuple:
        # A JSON string: both engines cast it to the column's JSON type, as the ORM's would.
        # The unit has its own column on the audit page; the row names what changed.
        text = f"{p.indicator.code} · {p.period} = {p.value}"[:300]
        if changes.__class__ is not str:
            changes = json.dumps(changes)
        return (self.now, self.actor_id, action, self.content_type_id, str(pk), text,
                p.unit_id, p.unit_path, changes, self.source,
                *self.audit_extra)  # fmt: skip

    def _created(self, pk: int, p: Planned) -> str:
        """`json.dumps` of diff(None, snapshot) (every field that has a value, from nothing to
        it), written out directly: the same text, at a fraction of the cost."""
        number = "" if p.number is None else f', "number": [null, {_json(str(p.number))}]'
        return (
            f'{{"id": [null, {pk}], "indicator": [null, {p.indicator.id}], '
            f'"unit": [null, {p.unit_id}], "period": [null, {_json(p.period)}], '
            f'"value": [null, {_json(p.value)}]{number}, "comment": [null, {_json(p.comment)}], '
            f'"version": [null, 1]{self.created_tail}'
        )

    def _create(self, creates: list[Planned]) -> list[tuple]:
        ids = self._new_ids(len(creates))
        rows = [
            (pk, p.indicator.id, p.unit_id, p.period, p.value, p.number, p.comment, 1,
             self.source, self.now, self.actor_id, *self.value_extra)
            for pk, p in zip(ids, creates, strict=True)
        ]  # fmt: skip
        self._insert(DataValue._meta.db_table, self.value_columns, rows)
        event, created = self._event, self._created
        return [
            event(AuditAction.CREATE, pk, p, created(pk, p))
            for pk, p in zip(ids, creates, strict=True)
        ]

    def _new_ids(self, count: int) -> list[int]:
        """Ids for new values, taken before they are written, so the audit needs no read-back.

        PostgreSQL hands them out from the column's own sequence, as a default would. SQLite
        gives an AUTOINCREMENT column the next number after the highest it has ever used; the
        import's transaction holds SQLite's only write lock, so nobody else takes one meanwhile.
        """
        table = DataValue._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [_quote(table), count],
                )
                return [row[0] for row in cursor.fetchall()]
            cursor.execute(
                f"SELECT MAX(id) FROM (SELECT MAX({_quote('id')}) AS id FROM {_quote(table)} "
                "UNION ALL SELECT seq FROM sqlite_sequence WHERE name = %s)",
                [table],
            )
            last = cursor.fetchone()[0] or 0
        return list(range(last + 1, last + 1 + count))

    def _update(self, updates: list[Planned]) -> list[tuple]:
        table = _quote(DataValue._meta.db_table)
        sets = ", ".join(
            f"{_quote(c)} = %s"
            for c in ("value", "number", "comment", "version", "source", "updated_at",
                      "updated_by_id")
        )  # fmt: skip
        rows, events = [], []
        for p in updates:
            pk, version = p.current[0], p.current[CURRENT_FIELDS.index("version")] + 1
            rows.append((p.value, p.number, p.comment, version, self.source, self.now,
                         self.actor_id, pk, version - 1))  # fmt: skip
            before = dict(zip(SNAPSHOT_NAMES, p.current, strict=True))
            before["number"] = _number(before["number"])
            after = self._snapshot(pk, p, version)
            events.append(self._event(AuditAction.UPDATE, pk, p, diff(before, after)))
        where = f"{_quote('id')} = %s AND {_quote('version')} = %s"
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {table} SET {sets} WHERE {where}", rows)
            changed = cursor.rowcount
        if changed != len(rows):
            # Someone saved one of these cells by hand since it was read: theirs is kept.
            raise _changed()
        return events


__all__ = ["IGNORE", "ImportResult", "values_import"]
