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
from typing import Any, NamedTuple

from django.utils import timezone
from django.utils.translation import gettext as _

from phongtrao.catalog.models import (
    Indicator,
    ReportForm,
    ReportFormItem,
    ReportFormUnitKind,
    ValueType,
)
from phongtrao.catalog.ownership import can_read, owners_for_path, province_successors
from phongtrao.catalog.periods import Period, period_parse
from phongtrao.catalog.selectors import (
    form_has_period,
    form_lock_date,
    form_not_for_unit_message,
)
from phongtrao.core.errors import AppError
from phongtrao.core.spreadsheets import Problem, unneutralise
from phongtrao.core.text import nfc
from phongtrao.core.uploads import NUL, nul_refused
from phongtrao.reporting.models import DataValue, Submission, SubmissionStatus
from phongtrao.reporting.services import EDITABLE_STATUSES, value_period_problem
from phongtrao.reporting.transfer.duplicates import DuplicateIndex
from phongtrao.reporting.transfer.formats import Reader, Record, unusable
from phongtrao.reporting.transfer.units import UnitCache
from phongtrao.reporting.value_parsing import value_parse
from phongtrao.units.scope import scope_paths

CREATE, UPDATE, IGNORE = "create", "update", "ignore"
NO = "no"  # a form that does not have the period
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


class PeriodInfo(NamedTuple):
    id: str
    end: date
    period: Period


class Validator:
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
        self.reader = reader
        self.today = today or timezone.localdate()
        self.allow_closed = allow_closed
        self.replace_approved = replace_approved and allow_closed
        self.indicators = {i.code: i for i in Indicator.objects.all()}
        forms = {f.pk: f for f in ReportForm.objects.all()}
        # Approval covers every form of the value's unit and period, active or not.
        self.form_indicators: dict[int, set[int]] = {pk: set() for pk in forms}
        self.active_forms: dict[int, list[ReportForm]] = {}
        for form_id, indicator_id in ReportFormItem.objects.values_list("form_id", "indicator_id"):
            self.form_indicators[form_id].add(indicator_id)
            if forms[form_id].is_active:
                self.active_forms.setdefault(indicator_id, []).append(forms[form_id])
        self.only_form = self._file_form(forms, reader.form_code, actor)
        # The unit kinds each form is reported by: a history load approves only those reports.
        self.form_kinds: dict[int, set[str]] = {}
        for form_id, kind in ReportFormUnitKind.objects.values_list("form_id", "kind"):
            self.form_kinds.setdefault(form_id, set()).add(kind)
        self.successors = province_successors()
        self.unit_owners: dict[int, frozenset[int]] = {}
        self.units = UnitCache(None if actor is None else scope_paths(actor))
        self.periods: dict[str, Period | str] = {}
        self.form_cache: dict[tuple, list[tuple[ReportForm, date | None]]] = {}
        self.form_periods: dict[tuple[int, str], date | None | str] = {}
        self.duplicates: DuplicateIndex | None = None

    def _file_form(
        self, forms: dict[int, ReportForm], code: str | None, actor: Any
    ) -> ReportForm | None:
        """A file that names its form (DHIS2 dataSet, our XLSX) is checked against that form;
        a form of a province the actor does not read is missing, as everywhere else."""
        if not code:
            return None
        for form in forms.values():
            if form.code == code.strip().upper() and can_read(actor, form.owner_id):
                return form
        raise unusable(_('There is no reporting form with code "%(code)s".') % {"code": code})

    def track_duplicates(self) -> None:
        self.duplicates = DuplicateIndex()

    def close(self) -> None:
        if self.duplicates:
            self.duplicates.close()

    def _period(self, raw: str) -> PeriodInfo | str:
        try:
            return self.periods[raw]
        except KeyError:
            pass
        try:
            period = period_parse(raw)
        except AppError as exc:
            self.periods[raw] = exc.message
            return self.periods[raw]
        # Once per period: the rule of the entry screen, for a period that has not begun.
        problem = value_period_problem(
            unit_name="", unit_valid_to=None, period=period, today=self.today
        )
        self.periods[raw] = problem or PeriodInfo(period.id, period.end, period)
        return self.periods[raw]

    def _owners(self, unit: tuple) -> frozenset[int]:
        """The provinces whose own catalogue applies to the unit; once per unit, no query."""
        try:
            return self.unit_owners[unit[0]]
        except KeyError:
            found = self.unit_owners[unit[0]] = owners_for_path(unit[1], self.successors)
            return found

    def _forms(
        self, indicator_id: int, period: PeriodInfo, owners: frozenset[int]
    ) -> list[tuple[ReportForm, date | None]]:
        """Active forms holding the indicator that have the period and apply to a unit of
        `owners`, with their lock dates."""
        key = (indicator_id, period.id, owners)
        if key not in self.form_cache:
            forms = [
                f
                for f in self.active_forms.get(indicator_id, [])
                if f.owner_id is None or f.owner_id in owners
            ]
            if self.only_form is not None:
                forms = [f for f in forms if f.pk == self.only_form.pk]
            # Forms that never lock come first, so the usual case is decided by the first one.
            found = [(f, lock) for f in forms if (lock := self._form_period(f, period)) != NO]
            self.form_cache[key] = sorted(found, key=lambda pair: pair[1] is not None)
        return self.form_cache[key]

    def _form_period(self, form: ReportForm, period: PeriodInfo) -> date | None | str:
        """The form's lock date for the period (None: it never locks), or NO if the form does
        not have the period; once per form and period, however many indicators the form has."""
        key = (form.pk, period.id)
        if key not in self.form_periods:
            has = form_has_period(form, period.id)
            self.form_periods[key] = form_lock_date(form, period.period) if has else NO
        return self.form_periods[key]

    def _lookup(self, record: Record, problem: Any) -> tuple | None:
        """The record's indicator, unit, period and forms, or None after naming the problem."""
        code = record.indicator
        indicators = self.indicators
        indicator = indicators.get(code) or indicators.get(code.strip().upper())
        period = self._period(record.period)
        unit = None
        if indicator is None:
            message = _('There is no indicator with code "%(code)s".')
            problem(record, "indicator", message % {"code": code})
        if period.__class__ is str:
            problem(record, "period", period)
        else:
            unit = self.units.get(record.unit, period.end)
            if unit is None:
                gone = self.units.gone_by(record.unit, period.end)
                if gone is not None:
                    # The entry screen's rule and words, for a unit gone by the period's end.
                    message = value_period_problem(
                        unit_name=gone[0], unit_valid_to=gone[1], period=period.period,
                        today=self.today,
                    )  # fmt: skip
                    problem(record, "unit", message)
                elif later := self.units.later(record.unit, period.end):
                    # A unit of today's boundaries for a period before it began: its figures
                    # belong to the units it took over, which the message names.
                    problem(record, "unit", self.units.too_early(later[0], period.id))
                else:
                    # Outside the scope reads like a missing unit, as everywhere else.
                    message = _("There is no unit with code %(code)s on %(date)s.")
                    day = f"{period.end:%d/%m/%Y}"
                    problem(record, "unit", message % {"code": record.unit, "date": day})
        if unit is not None and self.reader.names_units:
            # The reader knows which unit the person meant (a sheet's name): the code's unit
            # on the period's end must be that one.
            message = self.reader.unit_problem(record, unit, period, self.units)
            if message:
                if message is not True:  # True: refused, and said once already
                    problem(record, "unit", message)
                return None
        if indicator is None or unit is None:
            return None
        owners = self._owners(unit)
        if indicator.owner_id is not None and indicator.owner_id not in owners:
            message = _("The indicator %(code)s belongs to another province than %(unit)s.")
            problem(record, "indicator", message % {"code": indicator.code, "unit": unit[2]})
            return None
        only = self.only_form
        if only is not None and only.owner_id is not None and only.owner_id not in owners:
            problem(
                record, "unit", form_not_for_unit_message(form_code=only.code, unit_name=unit[2])
            )
            return None
        forms = self._forms(indicator.id, period, owners)
        if not forms:
            message = _('No form in use with %(code)s has the period "%(period)s".')
            problem(record, "period", message % {"code": indicator.code, "period": period.id})
            return None
        return indicator, unit, period, forms

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
                ) % {"period": period.id, "date": lock.strftime("%d/%m/%Y")}
                continue
            # An open form: an ordinary write, which leaves the reports it replaced approved.
            return None, bool(replaced), tuple(dict.fromkeys(replaced))
        if reason is None:
            return None, True, tuple(dict.fromkeys(replaced + history))
        return reason, closed, ()
