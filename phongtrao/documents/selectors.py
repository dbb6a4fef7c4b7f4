"""Reads behind a report: the figures of a unit's subtree for a year and the year before.

Every total comes from analytics' roll-up engine, the one `phongtrao values get` prints, so a
report and the command can never disagree; a report reads one data state (by default the sent
and approved reports) and says which, with the coverage of the festival form.

Two figures are read from the registries directly, over the subtree, rather than from values:
the movement report's ratings of models and gradings of security teams (`registry_figures`),
which no catalogue indicator holds, and the festival event with the most participants
(`standout_festival_event`), an entry named in the text. Neither is a catalogue indicator, so
neither is counted a second time through the values that registries fill.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import ModuleType
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from phongtrao.analytics.rollup import rollup, rollup_roots
from phongtrao.analytics.selectors import Coverage, coverage
from phongtrao.analytics.states import DEFAULT_STATE, DataState
from phongtrao.catalog.models import Aggregation, Indicator, ReportForm
from phongtrao.catalog.periods import period_parse
from phongtrao.catalog.selectors import form_get, form_sections
from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.documents import wording, wording_movement
from phongtrao.documents.kinds import kind_spec
from phongtrao.documents.models import DocumentTemplate, ReportJob, ReportKind
from phongtrao.documents.narrative import Figures
from phongtrao.registries.selectors.counts import (
    festival_event_most_attended,
    review_rating_counts,
    team_grade_counts,
)
from phongtrao.reporting.selectors import Boundaries
from phongtrao.units.models import Unit, UnitKind
from phongtrao.units.selectors import unit_get

FESTIVAL_FORM = wording.ANNEX_FORM
# Every report says how many units its figures cover: of those that must report the festival
# form, the yearly report every commune and residential area files (both kinds' figures).
COVERAGE_FORM = FESTIVAL_FORM


@dataclass
class AnnexRow:
    number: int
    code: str
    name: str
    unit_of_measure: str
    value: Decimal | None
    previous: Decimal | None

    @property
    def difference(self) -> Decimal | None:
        """This year's figure less last year's; None unless both years have one, since a year
        without a figure is not zero ("+60" would read as an increase of 60)."""
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def compared(self) -> bool:
        """Whether the row has a figure to compare at all (one year or both)."""
        return self.value is not None or self.previous is not None


@dataclass
class AnnexSection:
    name: str
    rows: list[AnnexRow]


@dataclass
class ReportData:
    unit: Unit
    year: int
    boundaries: Boundaries
    figures: Figures
    annex: list[AnnexSection]
    kind: ReportKind = ReportKind.FESTIVAL
    state: DataState = DEFAULT_STATE
    # None only where the festival form does not exist.
    coverage: Coverage | None = None


def report_day(year: int, boundaries: Boundaries | str) -> Any:
    """The day a unit code is read on: the year's end (historical) or today (current)."""
    if Boundaries(boundaries) == Boundaries.HISTORICAL:
        return period_parse(str(year)).end
    return timezone.localdate()


def report_unit_get(
    *, code: str, year: int, boundaries: Boundaries | str, user: Any = None
) -> Unit:
    """The unit a report is about, looked up as `values get` does; out of scope is not found."""
    return unit_get(code=code, on=report_day(year, boundaries), user=user)


def _form_indicators(code: str) -> list[tuple[str, list[Indicator]]]:
    form = form_get(code=code)
    return [(s.name, [item.indicator for item in s.items.all()]) for s in form_sections(form=form)]


def _catalogue_indicators(words: ModuleType) -> list[tuple[str, list[Indicator]]]:
    """Every numeric indicator of the catalogue: the kind's groups first, then the others."""
    indicators = {i.code: i for i in Indicator.objects.order_by("code") if i.is_numeric}
    groups = []
    for name, codes in words.ANNEX_SECTIONS:
        found = [indicators.pop(code) for code in codes if code in indicators]
        if found:
            groups.append((name, found))
    if indicators:
        groups.append((words.ANNEX_OTHER, list(indicators.values())))
    return groups


def annex_indicators(kind: str = ReportKind.FESTIVAL) -> list[tuple[str, list[Indicator]]]:
    """The annex's groups of indicators: a reporting form's sections, or the whole catalogue."""
    words = kind_spec(kind).words
    if words.ANNEX_FORM:
        return _form_indicators(words.ANNEX_FORM)
    return _catalogue_indicators(words)


def _paths_within(unit: Unit, boundaries: Boundaries) -> list[str]:
    return [root.unit.path for root in rollup_roots([unit], boundaries)[unit.pk]]


def registry_figures(*, unit: Unit, year: int, boundaries: Boundaries) -> dict[str, Decimal | None]:
    """Models reviewed in the year by effectiveness, security teams by their year's grading.

    Counted in the registries of the unit's subtree (and, in today's boundaries, of the units
    merged into it); a group the registries hold nothing of is None ("no data"), not zero.
    """
    paths = _paths_within(unit, boundaries)
    found: dict[str, Decimal | None] = {}
    for counts, codes, code_of in (
        (
            review_rating_counts(paths=paths, year=year),
            wording_movement.RATINGS,
            wording_movement.rating,
        ),
        (
            team_grade_counts(paths=paths, year=year),
            wording_movement.GRADES,
            wording_movement.grade,
        ),
    ):
        for code in codes:
            found[code_of(code)] = Decimal(counts.get(code, 0)) if counts else None
    return found


def standout_festival_event(
    *, unit: Unit, year: int, boundaries: Boundaries
) -> tuple[str, str, date, int] | None:
    """The year's festival event with the most participants in the unit's registries."""
    event = festival_event_most_attended(paths=_paths_within(unit, boundaries), year=year)
    if event is None:
        return None
    return event.venue, event.unit.name, event.held_on, event.participants


def report_data(
    *,
    unit: Unit,
    year: int,
    boundaries: Boundaries | str,
    kind: str = ReportKind.FESTIVAL,
    state: DataState | str = DEFAULT_STATE,
) -> ReportData:
    """Every annex indicator of the kind for the year and the year before, and standouts."""
    boundaries, state = Boundaries(boundaries), DataState(state)
    spec = kind_spec(kind)
    values: dict[str, Decimal | None] = {}
    previous: dict[str, Decimal | None] = {}
    annex, number = [], 0
    groups = annex_indicators(kind)
    totals = rollup(
        indicators=[i for _name, indicators in groups for i in indicators if i.is_numeric],
        units=[unit], periods=[str(year), str(year - 1)], boundaries=boundaries, state=state,
    )  # fmt: skip
    for section_name, indicators in groups:
        rows = []
        for indicator in indicators:
            if not indicator.is_numeric:
                continue
            number += 1
            now, before = (totals.get((indicator.pk, unit.pk, str(y))) for y in (year, year - 1))
            values[indicator.code], previous[indicator.code] = now, before
            rows.append(
                AnnexRow(number, indicator.code, indicator.name, indicator.unit_of_measure,
                         now, before)
            )  # fmt: skip
        annex.append(AnnexSection(section_name, rows))
    if spec.registry_figures:
        values |= registry_figures(unit=unit, year=year, boundaries=boundaries)
        previous |= registry_figures(unit=unit, year=year - 1, boundaries=boundaries)
    standouts = {
        code: found
        for code in spec.words.STANDOUTS
        if code in values and (found := child_standout(unit=unit, year=year, code=code,
                                                        boundaries=boundaries, state=state))
    }  # fmt: skip
    figures = Figures(year=year, values=values, previous=previous, standouts=standouts,
                      festival_event=standout_festival_event(unit=unit, year=year,
                                                             boundaries=boundaries))  # fmt: skip
    covered = report_coverage(unit=unit, year=year, boundaries=boundaries, state=state)
    return ReportData(unit, year, boundaries, figures, annex, ReportKind(kind), state, covered)


def report_coverage(
    *, unit: Unit, year: int, boundaries: Boundaries, state: DataState
) -> Coverage | None:
    """How many of the units that must report the festival form the report's figures cover."""
    form = ReportForm.objects.filter(code=COVERAGE_FORM).first()
    if form is None:
        return None
    return coverage(form=form, unit=unit, period=str(year), state=state, boundaries=boundaries)


def _children(unit: Unit, year: int, boundaries: Boundaries) -> list[Unit]:
    day = report_day(year, boundaries)
    return list(Unit.objects.valid_on(day).filter(parent=unit).order_by("name"))


def child_standout(
    *,
    unit: Unit,
    year: int,
    code: str,
    boundaries: Boundaries,
    state: DataState | str = DEFAULT_STATE,
) -> tuple[str, Decimal] | None:
    """The child unit with the highest total of a summed indicator, and that total, read by
    the roll-up engine like every other total (in today's boundaries with what each child
    took over)."""
    indicator = Indicator.objects.filter(code=code, aggregation=Aggregation.SUM).first()
    children = _children(unit, year, boundaries)
    if indicator is None or len(children) < 2:
        return None
    totals = rollup(
        indicators=[indicator], units=children, periods=[str(year)], boundaries=boundaries,
        state=state,
    )  # fmt: skip
    found = {child: totals[key] for child in children
             if (key := (indicator.pk, child.pk, str(year))) in totals}  # fmt: skip
    if not found:
        return None
    best = max(found, key=lambda child: (found[child], child.name))
    return best.name, found[best]


def province_of(unit: Unit) -> Unit | None:
    if unit.kind == UnitKind.PROVINCE:
        return unit
    return Unit.objects.filter(pk__in=unit.ancestor_ids, kind=UnitKind.PROVINCE).first()


def template_for(*, unit: Unit, kind: str = ReportKind.FESTIVAL) -> DocumentTemplate | None:
    """The template of this kind uploaded for the unit's province, when there is one."""
    province = province_of(unit)
    if province is None:
        return None
    return DocumentTemplate.objects.filter(unit=province, kind=kind).first()


def template_list(*, user: Any) -> QuerySet[DocumentTemplate]:
    return DocumentTemplate.objects.visible_to(user).select_related("unit", "uploaded_by")


def job_list(*, user: Any, limit: int = 10) -> QuerySet[ReportJob]:
    qs = ReportJob.objects.visible_to(user).filter(created_by=user)
    return qs.select_related("unit").order_by("-created_at")[:limit]


def jobs_recent(*, status: str | None = None, page: int = 1, per_page: int = 50) -> list[ReportJob]:
    """Every report job, newest first, one page of them: for the administrator's `jobs`."""
    qs = ReportJob.objects.select_related("unit").order_by("-created_at", "-pk")
    if status:
        qs = qs.filter(status=status)
    start = (max(page, 1) - 1) * per_page
    return list(qs[start : start + per_page])


def job_get(*, pk: int, user: Any) -> ReportJob:
    job = ReportJob.objects.visible_to(user).select_related("unit").filter(pk=pk).first()
    if job is None:
        raise AppError(ErrorCode.NOT_FOUND, _("There is no such report."))
    return job
