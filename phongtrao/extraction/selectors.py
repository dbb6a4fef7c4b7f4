"""Reads: the unit a report names, its documents, and the values proposed for review."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from phongtrao.catalog.models import Indicator, ReportForm
from phongtrao.catalog.selectors import form_get, form_indicators
from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.text import search_key
from phongtrao.extraction.figures import Figure
from phongtrao.extraction.models import SourceDocument
from phongtrao.extraction.report_analysis import Analysis, UnitName, analyse
from phongtrao.reporting.models import DataValue
from phongtrao.units.models import LEGACY_END, REFORM_DATE, Unit, UnitKind
from phongtrao.units.scope import in_scope
from phongtrao.units.selectors import unit_get

FESTIVAL_FORM = "FESTIVAL"
KINDS = {
    "tỉnh": [UnitKind.PROVINCE],
    "thành phố": [UnitKind.PROVINCE, UnitKind.DISTRICT],
    "huyện": [UnitKind.DISTRICT],
    "quận": [UnitKind.DISTRICT],
    "thị xã": [UnitKind.DISTRICT],
}
# The kind of the body a text speaks for without naming it ("toàn tỉnh", "Công an huyện").
SPOKEN_KINDS = {
    "tỉnh": UnitKind.PROVINCE, "huyện": UnitKind.DISTRICT, "quận": UnitKind.DISTRICT,
    "thị xã": UnitKind.DISTRICT, "xã": UnitKind.COMMUNE, "phường": UnitKind.COMMUNE,
    "thị trấn": UnitKind.COMMUNE,
}  # fmt: skip
KIND_RANK = {UnitKind.PROVINCE: 0, UnitKind.DISTRICT: 1, UnitKind.COMMUNE: 2}


def lookup_dates(year: int | None) -> list[date]:
    """The days a report's unit names are looked up on: its year's end, and for 2025 also
    the eve of the reform, since reports of early 2025 still name the old units."""
    if year is None:
        return [timezone.localdate()]
    days = [date(year, 12, 31)]
    if year == REFORM_DATE.year:
        days.append(LEGACY_END)
    return days


def _candidates(name: UnitName, on: date) -> list[Unit]:
    [found] = _places(named=[name], bare=[], on=on)
    return found


def _places(*, named: list[UnitName], bare: list[str], on: date) -> list[list[Unit]]:
    """The units in force on `on` each place may be, in one query whatever the number of
    places: first those named with their type ("huyện Tuy Phước"), then the administrative
    units of a name written without it ("Thái Nguyên", "Tam Kỳ")."""
    typed = [
        (search_key(f"{n.type} {n.name}"), KINDS.get(n.type, [UnitKind.COMMUNE])) for n in named
    ]
    bare_keys = [search_key(name) for name in bare]
    if not typed and not bare_keys:
        return []
    # A unit's search key is its name and then its code: "huyen tuy phuoc 540".
    wanted = Q(pk__in=[])
    for key, kinds in typed:
        wanted |= Q(kind__in=kinds, search_key__startswith=f"{key} ")
    for key in bare_keys:
        wanted |= Q(kind__in=list(KIND_RANK), search_key__contains=f" {key} ")
    found = list(Unit.objects.valid_on(on).filter(wanted).select_related("parent"))
    places = [
        [u for u in found if u.kind in kinds and u.search_key.startswith(f"{key} ")
         and search_key(u.name) == key]
        for key, kinds in typed
    ]  # fmt: skip
    places += [
        [u for u in found if u.kind in KIND_RANK and f" {key} " in u.search_key
         and search_key(u.short_name) == key]
        for key in bare_keys
    ]  # fmt: skip
    return places


def unit_resolve(*, analysis: Analysis) -> Unit | None:
    """The unit in force in the report's year that the report names; None when unsure.

    Communes share names across provinces ("Xã Cẩm Thành"); the other units the report
    names (its district, its province, the place line) tell them apart, and a tie is no answer.
    A report of a past year drawn up in today's boundaries ("Xã Bờ Y" of 2019, as Phong Trào
    writes it) names a unit of today: one is taken only when one of its parents is named too.
    """
    if analysis.unit is None:
        return unit_of_places(analysis=analysis)
    named = {u.key for u in analysis.named_units}
    for day in lookup_dates(analysis.year):
        if candidates := _candidates(analysis.unit, day):
            return _chosen(candidates, named, parent_required=False)
    if candidates := _candidates(analysis.unit, timezone.localdate()):
        return _chosen(candidates, named, parent_required=True)
    return None


def unit_of_places(*, analysis: Analysis) -> Unit | None:
    """The unit of a text that names no body of its own, from the places it names.

    A text speaking for a body it leaves unnamed ("Công an tỉnh …, toàn tỉnh đã …") speaks for
    the one unit of that kind holding most of the places it names ("xã An Thủy (huyện Lệ Thủy)",
    "gồm Tam Kỳ, Thăng Bình …"): at least two, more than half of those found, and no tie. A
    text that does not say which kind, naming one place without its type ("Tại Thái Nguyên,
    …"), speaks for that place at its highest level (the province, not the city of its name).
    """
    kind = SPOKEN_KINDS.get(analysis.speaks_for or "")
    for day in lookup_dates(analysis.year):
        places = _places(named=analysis.named_units, bare=analysis.places, on=day)
        places = [p for p in places if p]
        if not places:
            continue
        if kind is None:
            unit = _highest_of_one_place(places, named=bool(analysis.named_units))
        else:
            unit = _holding_most(places, kind)
        if unit:
            return unit
    return None


def _highest_of_one_place(places: list[list[Unit]], *, named: bool) -> Unit | None:
    if named or len(places) != 1:
        return None
    top = min(KIND_RANK[u.kind] for u in places[0])
    highest = [u for u in places[0] if KIND_RANK[u.kind] == top]
    return highest[0] if len(highest) == 1 else None


def _holding_most(places: list[list[Unit]], kind: str) -> Unit | None:
    ancestors = {
        u.pk: u
        for u in Unit.objects.filter(
            pk__in={a for candidates in places for c in candidates for a in c.ancestor_ids},
            kind=kind,
        )
    }
    holders: dict[int, Unit] = {}
    votes: Counter[int] = Counter()
    for candidates in places:
        held = {c.pk: c for c in candidates if c.kind == kind}
        held |= {a: ancestors[a] for c in candidates for a in c.ancestor_ids if a in ancestors}
        holders |= held
        votes.update(held.keys())
    if not votes:
        return None
    (best, count), *rest = votes.most_common(2) + [(None, 0)]
    if count < 2 or count * 2 <= len(places) or rest[0][1] == count:
        return None
    return holders[best]


def _chosen(candidates: list[Unit], named: set[str], *, parent_required: bool) -> Unit | None:
    """The one candidate whose parents the report names most; None on a tie or, when
    several candidates (or `parent_required`) call for a parent, when none is named."""
    if len(candidates) == 1 and not parent_required:
        return candidates[0]
    ancestors = {
        u.pk: search_key(u.short_name)
        for u in Unit.objects.filter(pk__in={a for c in candidates for a in c.ancestor_ids})
    }
    scores = {c.pk: sum(ancestors.get(a) in named for a in c.ancestor_ids) for c in candidates}
    best = max(scores.values())
    winners = [c for c in candidates if scores[c.pk] == best]
    return winners[0] if best and len(winners) == 1 else None


def document_readings(*, document: SourceDocument) -> dict[str, Decimal]:
    """What the extractor reads in the document for each indicator of the festival form."""
    proposals = value_proposals(analysis=analyse(document.text), form=festival_form())
    return {p.indicator.code: p.value for p in proposals}


def festival_form() -> ReportForm:
    return form_get(code=FESTIVAL_FORM)


def unit_check_reports_form(*, unit: Unit, form: ReportForm) -> None:
    """AppError(INVALID) unless the unit's kind files the form: values saved for any other unit
    would sit where no report ever reads them."""
    if unit.kind not in {k.kind for k in form.unit_kinds.all()}:
        raise AppError(
            ErrorCode.INVALID,
            _("%(unit)s does not report this form; choose a province, commune or grassroots unit.")
            % {"unit": unit.name},
        )


def review_unit_get(*, code: str, year: int, user: Any) -> Unit:
    """The unit the code names at the end of the year, in the user's scope, that files the
    festival form; AppError saying why not."""
    unit = unit_get(code=code, on=date(year, 12, 31), user=user)
    unit_check_reports_form(unit=unit, form=festival_form())
    return unit


def form_units_for(*, user: Any, on: date, form: ReportForm) -> QuerySet[Unit]:
    """Units the user may save the form for on a day (for the unit choice on review)."""
    kinds = [k.kind for k in form.unit_kinds.all()]
    return (
        Unit.objects.valid_on(on)
        .filter(kind__in=kinds)
        .visible_to(user)
        .order_by("depth", "name")[:500]
    )


def unit_in_scope(*, user: Any, unit: Unit | None) -> Unit | None:
    return unit if unit is not None and in_scope(user, unit) else None


def document_list(*, user: Any) -> QuerySet[SourceDocument]:
    return SourceDocument.objects.visible_to(user).select_related("unit", "uploaded_by")


@dataclass
class Proposal:
    """One indicator's value proposed for review, with the figures it was read from."""

    indicator: Indicator
    value: Decimal
    figures: list[Figure]
    alternatives: list[Decimal] = field(default_factory=list)
    current: DataValue | None = None


def value_proposals(*, analysis: Analysis, form: ReportForm) -> list[Proposal]:
    """One proposal per indicator, in the form's order.

    Figures of one sentence that share an indicator are parts of it ("1.200 băng rôn, 350
    khẩu hiệu") and are added up; the same figure repeated later is one value; different
    figures in different sentences are shown as alternatives for the person to choose.
    """
    indicators = {i.code: i for i in form_indicators(form=form)}
    by_code: dict[str, list[Figure]] = {}
    for figure in analysis.values:
        if figure.indicator in indicators:
            by_code.setdefault(figure.indicator, []).append(figure)
    proposals = []
    for code, indicator in indicators.items():
        figures = by_code.get(code)
        if not figures:
            continue
        sentences: dict[int, Decimal] = {}
        for figure in figures:
            sentences[figure.sentence] = sentences.get(figure.sentence, Decimal(0)) + figure.value
        values = list(dict.fromkeys(sentences.values()))
        proposals.append(Proposal(indicator, values[0], figures, values[1:]))
    return proposals


def current_values(*, unit: Unit, period: str, codes: list[str]) -> dict[str, DataValue]:
    rows = DataValue.objects.filter(unit=unit, period=period, indicator__code__in=codes)
    return {v.indicator.code: v for v in rows.select_related("indicator")}


@dataclass(frozen=True)
class Segment:
    text: str
    indicator: str = ""
    unmatched: bool = False


def text_segments(*, analysis: Analysis) -> list[Segment]:
    """The text cut into plain runs and figures, for highlighting; overlaps are trimmed."""
    marks = [(f, f.indicator or "") for f in analysis.values] + [
        (f, "") for f in analysis.unmatched
    ]
    segments, cursor, text = [], 0, analysis.text
    for figure, code in sorted(marks, key=lambda m: m[0].start):
        start = max(figure.start, cursor)
        if figure.end <= start:
            continue
        if start > cursor:
            segments.append(Segment(text[cursor:start]))
        segments.append(Segment(text[start : figure.end], code, unmatched=not code))
        cursor = figure.end
    if cursor < len(text):
        segments.append(Segment(text[cursor:]))
    return segments
