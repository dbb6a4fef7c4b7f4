"""What an imported record names: its indicator, unit, period and the forms that hold it,
read against a catalogue loaded once per import and units loaded once per chunk, with the
problems of the entry screen's words when one of them is missing, gone or another province's.
`validate.Validator` builds on it with the rules a value's write must pass.
"""

from datetime import date
from typing import Any, NamedTuple

from django.utils.translation import gettext as _

from phongtrao.catalog.models import Indicator, ReportForm, ReportFormItem, ReportFormUnitKind
from phongtrao.catalog.ownership import can_read, owners_for_path, province_successors
from phongtrao.catalog.periods import Period, period_parse
from phongtrao.catalog.selectors import (
    form_has_period,
    form_lock_date,
    form_not_for_unit_message,
)
from phongtrao.core.errors import AppError
from phongtrao.reporting.services import value_period_problem
from phongtrao.reporting.transfer.formats import Reader, Record, unusable
from phongtrao.reporting.transfer.units import UnitCache
from phongtrao.units.scope import scope_paths

NO = "no"  # a form that does not have the period


class PeriodInfo(NamedTuple):
    id: str
    end: date
    period: Period


class RecordResolver:
    """An import's catalogue and units, and the lookup of each record in them."""

    def __init__(self, *, reader: Reader, actor: Any, today: date) -> None:
        self.reader = reader
        self.today = today
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
