"""The catalogue's indicators as the registries count them, for one unit's own entries and a
period: the figures "Theo sổ" shows beside a unit's own cells and "Điền số liệu theo sổ" fills.

Own entries only (whose unit is exactly this one; for field deployments, whose key area is),
never the subtree's: a value entered for a unit is what that unit itself did, and the unit's
total adds the values of the units below it (DESIGN.md, "What a number means"). A commune
that counted its villages' entries into its own cells would count each village's festival
event twice in every total above it, once in the village's report and once in its own.
Registry figures therefore take part in roll-ups only through the cells they fill, never
directly. One query for any set of figures (a scalar subquery each). Deleted entries never count.

What is counted (the rules the user guide, docs/registries.md, explains):
- SCHEMES_NEW / _REPLICATED / _MAINTAINED: models whose year review has that status;
  SCHEMES_DAN_VAN_KHEO: "Dân vận khéo" models reviewed that year and not dissolved.
- SCHEME_POINTS: points at the unit started by the period's end, of models not dissolved by
  then (a point counts where the model runs, whoever keeps the model).
- Dated registries (festival events, pacts, commendations, outreach, field deployments, plans)
  count entries dated inside the period; field deployments count where officers went (the key
  area), not the unit that sent them.
- SECURITY_TEAMS / _MEMBERS: teams and members in office on the period's last day.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    Aggregate,
    Count,
    DateField,
    Exists,
    Expression,
    Field,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)

from phongtrao.catalog.periods import PeriodType, period_parse
from phongtrao.registries.models import (
    DAN_VAN_KHEO,
    Award,
    Channel,
    FestivalEvent,
    FieldMission,
    OutreachActivity,
    Pact,
    Plan,
    RecipientKind,
    ReviewStatus,
    SchemePoint,
    SchemeReview,
    SecurityTeam,
    TeamMember,
)
from phongtrao.units.models import Unit

SCHEME_CODES = (
    "SCHEMES_NEW", "SCHEMES_REPLICATED", "SCHEMES_MAINTAINED", "SCHEMES_DAN_VAN_KHEO",
    "SCHEME_POINTS", "SECURITY_TEAMS", "SECURITY_TEAM_MEMBERS",
)  # fmt: skip
DATED_CODES = (
    "FESTIVAL_EVENTS", "FESTIVAL_PARTICIPANTS", "FESTIVAL_GIFTS_VND", "PACTS_SIGNED",
    "AWARDED_COLLECTIVES", "AWARDED_INDIVIDUALS", "OUTREACH_SESSIONS", "OUTREACH_AUDIENCE",
    "NEWS_ITEMS", "BROADCASTS", "BANNERS_SLOGANS", "SEMINARS", "CULTURAL_SPORTS_EVENTS",
    "FIELD_OFFICERS_DEPLOYED", "PLANS_ISSUED",
)  # fmt: skip
DERIVED_CODES = frozenset(SCHEME_CODES + DATED_CODES)

# Outreach channels and the indicators their items add to.
IN_PERSON = (Channel.MEETING, Channel.SEMINAR, Channel.CULTURAL)
NEWS = (Channel.WEB_NEWS, Channel.SOCIAL)
BROADCAST = (Channel.TELEVISION, Channel.RADIO)


def _sum(field: str, **filters) -> Sum:
    return Sum(field, filter=Q(**filters) if filters else None)


# A code's figure: the rows it counts, the field naming their owner (one unit: at most one
# group) and the aggregate over them.
Source = tuple[QuerySet, str, Aggregate]


# The statement is built over `_Slot`s, not over a real unit, year and dates.
UnitRef = Unit | Expression
DateRef = date | Expression
YearRef = int | Expression


def _sources(
    *, unit: UnitRef, start: DateRef, end: DateRef, year: YearRef, yearly: bool
) -> dict[str, Source]:

    def dated(model, date_field: str, owner: str = "unit") -> QuerySet:
        return model.objects.alive().filter(**{owner: unit, f"{date_field}__range": (start, end)})

    festivals, outreach = dated(FestivalEvent, "held_on"), dated(OutreachActivity, "held_on")
    awards = dated(Award, "decision_date")
    sources: dict[str, Source] = {
        "FESTIVAL_EVENTS": (festivals, "unit", Count("pk")),
        "FESTIVAL_PARTICIPANTS": (festivals, "unit", Sum("participants")),
        "FESTIVAL_GIFTS_VND": (festivals, "unit", Sum("gifts_value_vnd")),
        "PACTS_SIGNED": (dated(Pact, "signed_on"), "unit", Count("pk")),
        "PLANS_ISSUED": (dated(Plan, "issued_on"), "unit", Count("pk")),
        "AWARDED_COLLECTIVES": (
            awards, "unit", Count("pk", filter=Q(recipient_kind=RecipientKind.COLLECTIVE))
        ),
        "AWARDED_INDIVIDUALS": (
            awards, "unit", Count("pk", filter=Q(recipient_kind=RecipientKind.INDIVIDUAL))
        ),
        "OUTREACH_SESSIONS": (outreach, "unit", _sum("items", channel__in=IN_PERSON)),
        "OUTREACH_AUDIENCE": (outreach, "unit", _sum("audience", channel__in=IN_PERSON)),
        "NEWS_ITEMS": (outreach, "unit", _sum("items", channel__in=NEWS)),
        "BROADCASTS": (outreach, "unit", _sum("items", channel__in=BROADCAST)),
        "BANNERS_SLOGANS": (outreach, "unit", _sum("items", channel=Channel.BANNERS)),
        "SEMINARS": (outreach, "unit", _sum("items", channel=Channel.SEMINAR)),
        "CULTURAL_SPORTS_EVENTS": (outreach, "unit", _sum("items", channel=Channel.CULTURAL)),
        "FIELD_OFFICERS_DEPLOYED": (
            dated(FieldMission, "started_on", "key_area"), "key_area", Sum("officer_visits")
        ),
    }  # fmt: skip
    if yearly:
        sources |= _yearly(unit=unit, year=year, end=end)
    return sources


def registry_indicator_values(
    *, unit: Unit, period: str, codes: Iterable[str] | None = None
) -> dict[str, Decimal]:
    """Every derived indicator (or those of `codes`) for the unit's own entries and the period;
    0 when nothing is kept.

    One query whatever is asked: each figure is a scalar subquery of one SELECT, so the entry
    screen pays one round trip for the whole form and the redraw of a saved cell counts that
    cell's registry only (none for a cell no registry counts). Year-based figures (models,
    security teams) exist for yearly periods only.
    """
    parsed = period_parse(period)
    alias = router.db_for_read(Unit)
    asked = None if codes is None else frozenset(codes)
    key = (alias, parsed.type == PeriodType.YEARLY, asked)
    if key not in _statements:
        _statements[key] = _statement(alias=alias, yearly=key[1], asked=asked)
    wanted, sql, params = _statements[key]
    if not wanted:
        return {}
    real = {"unit": unit.pk, "year": parsed.year, "start": parsed.start, "end": parsed.end}
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(sql, [_bound(p, real, connection) for p in params])
        row = cursor.fetchone()
    # SQLite sums decimals as floats: read by their shortest spelling.
    return {code: Decimal(str(value or 0)) for code, value in zip(wanted, row, strict=True)}


# The statement is the same for every unit and period of a kind; only its parameters change.
# Compiling 22 subqueries costs the ORM some 20 ms, the database under 2: it is compiled once
# per database, period kind and set of codes, with a `_Slot` where the unit, the year and the
# dates go, each then bound by its name. A slot is a parameter object of its own, never a
# value: no constant of the query can be taken for one, however equal.
_statements: dict[tuple, tuple[list[str], str, tuple]] = {}


class _Slot(Expression):
    """A named parameter of a statement compiled once, given its value on each execution."""

    def __init__(self, name: str, output_field: Field) -> None:
        super().__init__(output_field=output_field)
        self.name = name

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        return "%s", [self]


def _slots() -> dict[str, _Slot]:
    return {
        "unit": _Slot("unit", IntegerField()), "year": _Slot("year", IntegerField()),
        "start": _Slot("start", DateField()), "end": _Slot("end", DateField()),
    }  # fmt: skip


def _statement(*, alias: str, yearly: bool, asked: frozenset | None) -> tuple[list, str, tuple]:
    slot = _slots()
    sources = _sources(
        unit=slot["unit"], start=slot["start"], end=slot["end"], year=slot["year"], yearly=yearly
    )
    wanted = [code for code in sources if asked is None or code in asked]
    if not wanted:
        return [], "", ()
    figures = {}
    for code in wanted:
        rows, owner, aggregate = sources[code]
        figures[code] = Subquery(
            rows.order_by().values(owner).annotate(figure=aggregate).values("figure")
        )
    query = Unit.objects.filter(pk=slot["unit"]).order_by().values("pk").annotate(**figures)
    sql, params = query.values(*wanted).query.get_compiler(using=alias).as_sql()
    return wanted, sql, tuple(params)


def _bound(param: object, real: dict[str, object], connection: BaseDatabaseWrapper) -> object:
    """A slot's value for this execution, made ready for the database as its field would (a
    date is text for SQLite); any other parameter is a constant of the query, kept as it is."""
    if isinstance(param, _Slot):
        return param.output_field.get_db_prep_value(real[param.name], connection)
    return param


def _yearly(*, unit: UnitRef, year: YearRef, end: DateRef) -> dict[str, Source]:
    reviews = SchemeReview.objects.filter(
        scheme__deleted_at__isnull=True, scheme__unit=unit, year=year
    )
    dissolved = SchemeReview.objects.filter(
        scheme=OuterRef("scheme"), status=ReviewStatus.DISSOLVED, year__lte=year
    )
    points = SchemePoint.objects.filter(
        scheme__deleted_at__isnull=True, unit=unit, started_on__lte=end
    ).exclude(Exists(dissolved))
    in_office = Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=end)
    teams = SecurityTeam.objects.alive().filter(in_office, unit=unit, established_on__lte=end)
    members = TeamMember.objects.filter(
        Q(left_on__isnull=True) | Q(left_on__gt=end),
        Q(team__dissolved_on__isnull=True) | Q(team__dissolved_on__gt=end),
        team__deleted_at__isnull=True,
        team__unit=unit,
        team__established_on__lte=end,
        appointed_on__lte=end,
    )
    return {
        "SCHEMES_NEW": (reviews, "scheme__unit", Count("pk", filter=Q(status=ReviewStatus.NEW))),
        "SCHEMES_REPLICATED": (
            reviews, "scheme__unit", Count("pk", filter=Q(status=ReviewStatus.REPLICATED))
        ),
        "SCHEMES_MAINTAINED": (
            reviews, "scheme__unit", Count("pk", filter=Q(status=ReviewStatus.MAINTAINED))
        ),
        "SCHEMES_DAN_VAN_KHEO": (reviews, "scheme__unit", Count("pk", filter=(
            Q(scheme__scheme_type__code=DAN_VAN_KHEO) & ~Q(status=ReviewStatus.DISSOLVED)
        ))),
        "SCHEME_POINTS": (points, "unit", Count("pk")),
        "SECURITY_TEAMS": (teams, "unit", Count("pk")),
        "SECURITY_TEAM_MEMBERS": (members, "team__unit", Count("pk")),
    }  # fmt: skip
