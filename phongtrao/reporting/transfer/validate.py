"""Checking imported values in chunks, with every lookup prefetched.

The catalogue (indicators, forms and their items) is read once per import; units, stored
values and submissions once per chunk, so a chunk costs the same few queries whether the file
holds ten values or a million. The rules are those of hand entry (`data_value_save`,
`check_entry_open`, `check_not_approved`), applied to many values at once. A value is written
only with the catalogue that applies to its unit (`catalog.ownership`): national, or of the
unit's province or its successor; which provinces those are is read once per import too.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from phongtrao.catalog.models import Indicator, ValueType
from phongtrao.core.errors import AppError
from phongtrao.core.spreadsheets import Problem, unneutralise
from phongtrao.core.text import nfc
from phongtrao.core.uploads import NUL, nul_refused
from phongtrao.reporting.models import DataValue, Submission, SubmissionStatus
from phongtrao.reporting.services import EDITABLE_STATUSES
from phongtrao.reporting.transfer.duplicates import DuplicateIndex
from phongtrao.reporting.transfer.formats import Reader, Record
from phongtrao.reporting.transfer.resolve import PeriodInfo, RecordResolver
from phongtrao.reporting.value_parsing import value_parse

CREATE, UPDATE, IGNORE = "create", "update", "ignore"
# Value types for which a string of ASCII digits parses the same way as `value_parse` would.
PLAIN_DIGITS_TYPES = frozenset({ValueType.WHOLE, ValueType.DECIMAL})


@dataclass(slots=True)
class Planned:
    """One valid value and what the import does with it."""

    action: str
    indicator: Indicator
    unit_id: int
    unit_path: str
    period: str
    value: str
    number: Decimal | None
    comment: str
    current: tuple | None  # the stored row, as CURRENT_FIELDS lists it
    # A history load's write (`allow_closed`): into a closed period or a report already sent,
    # with the forms whose reports it leaves approved (empty: an ordinary write).
    history: bool = False
    approve: tuple[int, ...] = ()


# Units whose closed periods an import names for the page that says who can reopen them.
MAX_CLOSED_UNITS = 20


@dataclass
class ChunkResult:
    planned: list[Planned] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Unit id -> periods whose entry had closed, for the values refused for that reason.
    closed: dict[int, set[str]] = field(default_factory=dict)


# The stored row, in the order `_existing` reads it.
CURRENT_FIELDS = ("id", "indicator_id", "unit_id", "period", "value", "number", "comment",
                  "version", "source", "updated_by_id")  # fmt: skip


def _duplicate(where: str) -> str:
    return _("The same indicator, unit and period are already in %(where)s.") % {"where": where}


def _without_nul(records: list[Record], problem: Any) -> list[Record]:
    """The records without NUL; each NUL is a problem of its own column. Only for a file the
    bounds' scan found may hold one, so the usual file pays nothing for it."""
    kept = []
    for record in records:
        bad = [
            name
            for name in ("indicator", "unit", "period", "value", "comment")
            if NUL in str(getattr(record, name) or "")
        ]
        for name in bad:
            problem(record, name, nul_refused())
        if not bad:
            kept.append(record)
    return kept


class Validator(RecordResolver):
    """Checks an import's records chunk by chunk.

    `allow_closed` (the operator's history load): a value whose period's entry has closed is
    written all the same, as history, and the reports it fills are approved; `replace_approved`
    also lets it replace values of reports already sent or approved.
    """

    def __init__(
        self,
        *,
        reader: Reader,
        actor: Any = None,
        today: date | None = None,
        allow_closed: bool = False,
        replace_approved: bool = False,
    ) -> None:
        super().__init__(reader=reader, actor=actor, today=today or timezone.localdate())
        self.allow_closed = allow_closed
        self.replace_approved = replace_approved and allow_closed
        self.duplicates: DuplicateIndex | None = None

    def track_duplicates(self) -> None:
        self.duplicates = DuplicateIndex()

    def close(self) -> None:
        if self.duplicates:
            self.duplicates.close()

    def _problems(self, problems: list[Problem]) -> Any:
        reader = self.reader

        def problem(record: Record, name: str, message: str) -> None:
            column = reader.column(name, record)
            problems.append(Problem(record.pos, column, message, where=reader.where(record.pos)))

        return problem

    def check(self, records: list[Record]) -> ChunkResult:
        """Check a chunk: every problem, and for valid values what the import would do."""
        result = ChunkResult()
        problem = self._problems(result.problems)
        if self.reader.may_hold_nul:
            records = _without_nul(records, problem)
        self.units.load({r.unit.strip() for r in records})
        machine, lookup = self.reader.machine, self._lookup
        valid: list[tuple] = []
        for record in records:
            found = lookup(record, problem)
            if found is None:
                continue
            indicator = found[0]
            raw = record.value
            if raw.__class__ is str:
                if (
                    raw.isdigit()
                    and raw.isascii()
                    and len(raw) < 19
                    and indicator.value_type in PLAIN_DIGITS_TYPES
                ):
                    # The usual case, "2150": what `value_parse` makes of it, without the
                    # Decimal arithmetic (digits only: not negative, whole, under 10**18).
                    digits = raw.lstrip("0") or "0"
                    valid.append((record, *found, (digits, Decimal(digits))))
                    continue
                if indicator.value_type == ValueType.TEXT:
                    raw = unneutralise(raw)
                empty = not raw.strip()
            else:
                empty = raw is None
            if empty:
                problem(record, "value", _("The value is empty."))
                continue
            try:
                parsed = value_parse(
                    indicator, raw, machine=machine, ambiguous_dots=self.reader.ambiguous_dots
                )
            except AppError as exc:
                problem(record, "value", exc.message)
                continue
            valid.append((record, *found, (parsed.value, parsed.number)))
        self._check_rows(valid, result, problem)
        result.problems.sort(key=lambda p: p.row)
        return result

    def _closed(self, result: ChunkResult, unit: tuple, period: str) -> None:
        if unit[0] in result.closed or len(result.closed) < MAX_CLOSED_UNITS:
            result.closed.setdefault(unit[0], set()).add(period)

    def _check_rows(self, valid: list, result: ChunkResult, problem: Any) -> None:
        unit_ids = {row[2][0] for row in valid}
        period_ids = {row[3].id for row in valid}
        existing = self._existing(valid, unit_ids, period_ids)
        submissions = self._submissions(unit_ids, period_ids)
        seen: dict[tuple, int] = {}
        planned = result.planned
        for record, indicator, unit, period, forms, (value, number) in valid:
            key = (indicator.id, unit[0], period.id)
            if key in seen:
                problem(record, "unit", _duplicate(self.reader.where(seen[key])))
                continue
            seen[key] = record.pos
            comment = record.comment
            if comment:
                comment = unneutralise(nfc(comment).strip())
            current = existing.get(key)
            if current is None:
                action = CREATE
            elif current[4] == value and (comment is None or comment == current[6]):
                action = IGNORE
            else:
                action = UPDATE
            # Most values belong to no submission and to a form that never locks: that case is
            # decided here, without a call per value.
            history, approve = False, ()
            if forms[0][1] is not None or (unit[0], period.id) in submissions:
                refusal, closed, approve = self._refusal(
                    indicator, unit, period, forms, submissions
                )
                if refusal and action == IGNORE:
                    # A value the file repeats unchanged (a downloaded template sent back) asks
                    # for no change, so a report sent or approved, or a closed period, has
                    # nothing to refuse.
                    closed, approve = False, ()
                elif refusal:
                    # The value's own cell: in a template, the indicator's column, not the
                    # period's that every value of the row shares.
                    problem(record, "value", refusal)
                    if closed:
                        self._closed(result, unit, period.id)
                    continue
                history = closed
            if comment is None:
                comment = current[6] if current else ""
            planned.append(
                Planned(action, indicator, unit[0], unit[1], period.id, value, number, comment,
                        current, history, approve)
            )  # fmt: skip
        if self.duplicates is not None and seen:
            earlier = self.duplicates.first_seen(seen)
            if earlier:
                at = {row[0].pos: row[0] for row in valid}
                for key, pos in earlier.items():
                    problem(at[seen[key]], "unit", _duplicate(self.reader.where(pos)))
                # A repeated row is a problem, not a plan: it is counted as neither imported,
                # updated nor ignored, as a repeat within one chunk is not.
                result.planned = [
                    p for p in planned if (p.indicator.id, p.unit_id, p.period) not in earlier
                ]

    def _existing(self, valid: list, unit_ids: set, period_ids: set) -> dict[tuple, tuple]:
        if not valid:
            return {}
        indicator_ids = {row[1].id for row in valid}
        # By unit and period only, through the (unit, period) index: with the indicators too,
        # PostgreSQL walks the unique (indicator, period, unit) index over every unit of the
        # period and filters the units afterwards, 2.7 s a chunk once a year holds 3 million
        # values, so an import slowed down as the table grew.
        rows = DataValue.objects.filter(unit_id__in=unit_ids, period__in=period_ids).values_list(
            *CURRENT_FIELDS
        )
        return {(r[1], r[2], r[3]): r for r in rows.order_by() if r[1] in indicator_ids}

    def _submissions(self, unit_ids: set, period_ids: set) -> dict[tuple, list[tuple]]:
        if not unit_ids:
            return {}
        rows = Submission.objects.filter(unit_id__in=unit_ids, period__in=period_ids).values_list(
            "unit_id", "period", "form_id", "status", "reopened_until"
        )
        found: dict[tuple, list[tuple]] = {}
        for unit_id, period, form_id, status, reopened in rows.order_by():
            found.setdefault((unit_id, period), []).append((form_id, status, reopened))
        return found

    def _refusal(
        self, indicator: Indicator, unit: tuple, period: PeriodInfo, forms: list, submissions: dict
    ) -> tuple[str | None, bool, tuple[int, ...]]:
        """(why the value cannot change, as `check_not_approved`/`check_entry_open` would say;
        `past`; the forms whose reports a history load's write leaves approved).

        Refused (a reason): `past` says that a form's entry had closed, so an approver's
        reopening could let it in. Accepted (None): `past` says it is a history load's write.

        Like the entry screen, a value can change while one of its forms is open. A history
        load (`allow_closed`) also writes a value whose forms have all closed, and approves
        their reports; with `replace_approved` it also replaces a value of a report already
        sent or approved, which then ends approved.
        """
        own = submissions.get((unit[0], period.id))
        if not own and forms[0][1] is None:
            return None, False, ()  # the usual case, decided without a loop
        own, today = own or (), self.today
        replace = self.replace_approved
        replaced: list[int] = []  # reports already sent or approved whose values it replaces
        for form_id, status, _reopened in own:
            if status == SubmissionStatus.APPROVED and indicator.id in self.form_indicators.get(
                form_id, ()
            ):
                if replace:
                    replaced.append(form_id)
                    continue
                message = _(
                    "%(code)s of %(unit)s for %(period)s is approved and cannot be changed."
                )
                values = {"code": indicator.code, "unit": unit[2], "period": period.id}
                return message % values, False, ()
        reason, closed, history = None, False, []
        for form, lock in forms:
            sub = next((s for s in own if s[0] == form.pk), None)
            if sub and sub[1] not in EDITABLE_STATUSES:
                if replace:
                    replaced.append(form.pk)
                    continue
                reason = _("This report is %(status)s; its data can no longer be changed.") % {
                    "status": str(SubmissionStatus(sub[1]).label).lower()
                }
                continue
            reopened = sub[2] if sub else None
            if lock and today > lock and not (reopened and today <= reopened):
                closed = True
                if self.allow_closed:
                    if unit[3] in self.form_kinds.get(form.pk, ()):  # its kind reports it
                        history.append(form.pk)
                    continue
                reason = _(
                    "Entry for %(period)s closed on %(date)s; ask an approver to reopen it."
                ) % {"period": period.period.label, "date": lock.strftime("%d/%m/%Y")}
                continue
            # An open form: an ordinary write, which leaves the reports it replaced approved.
            return None, bool(replaced), tuple(dict.fromkeys(replaced))
        if reason is None:
            return None, True, tuple(dict.fromkeys(replaced + history))
        return reason, closed, ()
