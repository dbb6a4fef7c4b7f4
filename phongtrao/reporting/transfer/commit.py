"""`values_import`: the one service that writes an imported file.

All or nothing, in one pass: inside one transaction the file is read and checked chunk by
chunk, and each chunk is written as soon as it is checked, as long as no problem has been found
in the file so far. After the first problem the rest is only checked, so the summary names every
problem, and the transaction is rolled back: a rejected file writes nothing. Checking inside the
transaction means the writes rest on what the checks read (approvals, locks, stored values), so
nothing has to be checked twice. The writing itself (`writer.ValueWriter`) runs beside the
checking, in a thread of its own on the same connection and transaction.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from phongtrao.catalog.models import Indicator
from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.roles import Role
from phongtrao.core.spreadsheets import Problem
from phongtrao.core.text import format_number
from phongtrao.reporting.history_approval import history_reports_approve
from phongtrao.reporting.models import ValueSource
from phongtrao.reporting.transfer.formats import Format, Reader, Record
from phongtrao.reporting.transfer.interpreter import fewer_collections
from phongtrao.reporting.transfer.readers import reader_for
from phongtrao.reporting.transfer.validate import (
    CREATE,
    IGNORE,
    MAX_CLOSED_UNITS,
    UPDATE,
    Planned,
    Validator,
)
from phongtrao.reporting.transfer.writer import ChangedMeanwhile, ValueWriter
from phongtrao.reporting.value_parsing import value_display
from phongtrao.units.models import Unit

CHUNK = 5000
MAX_PROBLEMS = 1000
# The values the preview shows before they are written; the rest it counts ("and N more").
MAX_PREVIEW = 100


@dataclass
class PlannedChange:
    """One value the import creates or changes, as the preview shows it."""

    unit_id: int
    indicator: Indicator
    period: str
    before: str | None  # the stored value; None: a new one
    after: str
    implausible: bool = False  # above the indicator's plausible bound: warned, not refused
    unit_name: str = ""  # filled once for all, after the check (`_name_units`)

    @property
    def before_display(self) -> str:
        return value_display(self.indicator, self.before)

    @property
    def after_display(self) -> str:
        return value_display(self.indicator, self.after)


@dataclass
class ImportResult:
    imported: int = 0
    updated: int = 0
    ignored: int = 0
    problem_count: int = 0
    problems: list[Problem] = field(default_factory=list)  # the first MAX_PROBLEMS
    written: bool = False
    format: str = ""
    value_import_id: int | None = None  # the record of what it changed, if it changed anything
    # A history load (`allow_closed`): how many values went into closed periods or reports
    # already sent, and how many reports it approved (or would, on a dry run).
    history_load: bool = False
    closed_periods: int = 0
    approved_reports: int = 0
    # The (form id, unit id, period) of the reports a history load leaves approved.
    history_reports: set[tuple[int, int, str]] = field(default_factory=set)
    history_paths: set[str] = field(default_factory=set)  # of the units of those reports
    # Unit id -> periods whose entry had closed, of the values refused for that reason.
    closed: dict[int, set[str]] = field(default_factory=dict)
    # The first MAX_PREVIEW values it creates or changes, in the file's order.
    changes: list[PlannedChange] = field(default_factory=list)
    # Values it writes above their indicator's plausible bound (catalogue), and the first ones.
    implausible: int = 0
    implausible_changes: list[PlannedChange] = field(default_factory=list)

    @property
    def rejected(self) -> bool:
        return self.problem_count > 0

    @property
    def changes_not_shown(self) -> int:
        return self.imported + self.updated - len(self.changes)

    def lines(self) -> list[str]:
        """The summary of the command-line contract: counts (a history load adds two), then
        one line per problem."""
        lines = [f"imported {self.imported}", f"updated {self.updated}", f"ignored {self.ignored}"]
        if self.history_load:
            lines += [f"closed-periods {self.closed_periods}",
                      f"approved-reports {self.approved_reports}"]  # fmt: skip
        lines += [str(p) for p in self.problems]
        if self.problem_count > len(self.problems):
            more = format_number(self.problem_count - len(self.problems))
            lines.append(_("… and %(n)s more") % {"n": more})
        return lines


def _chunks(records: Iterator[Record], size: int) -> Iterator[list[Record]]:
    while chunk := list(islice(records, size)):
        yield chunk


def _count(result: ImportResult, planned: list[Planned]) -> None:
    changes = result.changes
    for row in planned:
        if row.action == CREATE:
            result.imported += 1
        elif row.action == UPDATE:
            result.updated += 1
        else:
            result.ignored += 1
        if row.action != IGNORE:
            implausible = row.indicator.is_implausible(row.number)
            change = None
            if len(changes) < MAX_PREVIEW or implausible:
                before = row.current[4] if row.current else None
                change = PlannedChange(
                    row.unit_id, row.indicator, row.period, before, row.value, implausible
                )
            if change is not None and len(changes) < MAX_PREVIEW:
                changes.append(change)
            if implausible:
                result.implausible += 1
                if len(result.implausible_changes) < MAX_PREVIEW:
                    result.implausible_changes.append(change)
        if row.history:
            if row.action != IGNORE:
                result.closed_periods += 1
            for form_id in row.approve:
                result.history_reports.add((form_id, row.unit_id, row.period))
            if row.approve:
                result.history_paths.add(row.unit_path)


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
    file_name: str = "",
    allow_closed: bool = False,
    replace_approved: bool = False,
) -> ImportResult:
    """Import a file. `actor` None is the system (the command line without --user).

    `file_name` is the name the import is recorded under (an upload's own name); the path's
    name by default.

    `allow_closed` makes it a history load, for the system only: values of periods whose entry
    has closed are written all the same, as history (source "history"), and the reports they
    fill are approved, marked with the import (`Submission.history_import`), nobody's approval;
    `replace_approved` also replaces values of reports already sent or approved.

    Problems with rows come back in the result; an unusable file raises AppError(INVALID).
    `progress` is told the number of values checked so far after every chunk.
    """
    if allow_closed and actor is not None:
        raise AppError(
            ErrorCode.FORBIDDEN,
            _("Only the system operator loads history into closed periods (on the command "
              "line, without --user)."),
        )  # fmt: skip
    if replace_approved and not allow_closed:
        raise AppError(
            ErrorCode.INVALID,
            _("Approved values are replaced only by a history load: --replace-approved goes "
              "with --allow-closed."),
        )  # fmt: skip
    if actor is not None and not actor.has_role(Role.DATA_ENTRY):
        raise AppError(ErrorCode.FORBIDDEN, _("You may not change the data of this unit."))
    reader = reader_for(Path(path), fmt)
    result = ImportResult(format=reader.format, history_load=allow_closed)
    rules = {"allow_closed": allow_closed, "replace_approved": replace_approved}
    if dry_run:
        with fewer_collections():
            _check_all(result, reader, actor=actor, today=today, chunk_size=chunk_size,
                       writer=None, progress=progress, rules=rules)  # fmt: skip
        # Only the preview shows names; on a real import a query here could land after the
        # writer's thread found a conflict, on a transaction the conflict has aborted.
        _name_units(result)
        if not result.rejected and result.history_reports:
            result.approved_reports = history_reports_approve(
                keys=result.history_reports, value_import=None, dry_run=True
            )
        return result
    try:
        with (
            fewer_collections(),
            _sqlite_cache(),
            transaction.atomic(),
            _constraints_checked_per_statement(),
        ):
            name = file_name or Path(path).name
            writer = ValueWriter(actor=actor, source=source, file_name=name, fmt=reader.format)
            try:
                with writer.reads_first():
                    _check_all(result, reader, actor=actor, today=today, chunk_size=chunk_size,
                               writer=writer, progress=progress, rules=rules)  # fmt: skip
            except BaseException:
                writer.abort()  # the import's own error is the one to raise
                raise
            writer.close()
            if result.rejected:
                transaction.set_rollback(True)
            else:
                if result.history_reports:
                    # After the writer's last statement: the reports the values fill, approved.
                    result.approved_reports = history_reports_approve(
                        keys=result.history_reports, value_import=writer.record(history=True)
                    )
                    # Who may read the import: the units of the reports it approved, too.
                    writer.unit_paths |= result.history_paths
                result.value_import_id = writer.finish(
                    result.imported, result.updated, result.ignored
                )
    except (IntegrityError, ChangedMeanwhile):
        # A value of the file was created or saved by someone else after its chunk was checked.
        raise _changed() from None
    result.written = not result.rejected
    return result


def _name_units(result: ImportResult) -> None:
    """The names of the preview's units, in one query."""
    shown = result.changes + result.implausible_changes
    ids = {change.unit_id for change in shown}
    if not ids:
        return
    names = dict(Unit.objects.filter(pk__in=ids).values_list("pk", "name"))
    for change in shown:
        change.unit_name = names.get(change.unit_id, "")


def _check_all(
    result: ImportResult,
    reader: Reader,
    *,
    actor: Any,
    today: date | None,
    chunk_size: int,
    writer: ValueWriter | None,
    progress: Callable[[int], None] | None,
    rules: dict[str, bool],
) -> None:
    """Check the file chunk by chunk; write each chunk while no problem has been found.

    The caller's transaction makes it all or nothing: after the first problem the rest of the
    file is only checked, to name every problem, and the caller rolls back what was written.
    Everything the checks read, the catalogue included, is read inside that transaction, so
    the writes rest on it; a cell saved by someone else in between fails the write instead.
    """
    validator = Validator(reader=reader, actor=actor, today=today, **rules)
    validator.track_duplicates()
    done = 0
    try:
        for chunk in _chunks(reader.records(), chunk_size):
            checked = validator.check(chunk)
            _count(result, checked.planned)
            result.problem_count += len(checked.problems)
            room = MAX_PROBLEMS - len(result.problems)
            result.problems += checked.problems[: max(room, 0)]
            for unit_id, periods in checked.closed.items():
                if unit_id in result.closed or len(result.closed) < MAX_CLOSED_UNITS:
                    result.closed.setdefault(unit_id, set()).update(periods)
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
def _constraints_checked_per_statement() -> Iterator[None]:
    """On PostgreSQL, the foreign keys of each chunk's rows checked as it is written (in the
    writer's thread, while the next chunk is checked) instead of all at commit, where nothing
    runs beside them. Of a value's references only `updated_by` is still a foreign key there
    (its indicator and unit are checked by triggers at each statement anyway, migration
    reporting/0007), as are the import record's. Set back to deferred afterwards, the state
    Django creates every foreign key in (DEFERRABLE INITIALLY DEFERRED); after an error, or a
    rejected file, the rollback of the import's transaction or savepoint sets it back by
    itself."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    yield
    if not connection.needs_rollback:  # a rejected file is rolled back: nothing to set back
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


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
        # After a failed write the enclosing transaction refuses every statement: restoring
        # the cache then would hide the import's own error behind Django's.
        if not connection.needs_rollback:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(before)}")


__all__ = ["IGNORE", "ImportResult", "values_import"]
