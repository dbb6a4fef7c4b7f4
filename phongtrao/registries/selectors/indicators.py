"""The catalogue's indicators as the registries count them, for one unit's own entries and a
period: the figures "Theo sổ" shows beside a unit's own cells and "Điền số liệu theo sổ" fills.

Own entries only (whose unit is exactly this one; for field deployments, whose key area is),
never the subtree's: a value entered for a unit is what that unit itself did, and the unit's
total adds the values of the units below it (DESIGN.md, "What a number means"). A commune
that counted its villages' entries into its own cells would count each village's festival
event twice in every total above it, once in the village's report and once in its own.
Registry figures therefore take part in roll-ups only through the cells they fill, never
directly. One aggregate query per registry (ten in all). Deleted entries never count.

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

from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce

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


def _sum(field: str, **filters) -> Coalesce:
    condition = Q(**filters) if filters else None
    return Coalesce(Sum(field, filter=condition), 0)


def registry_indicator_values(*, unit: Unit, period: str) -> dict[str, Decimal]:
    """Every derived indicator for the unit's own entries and the period; 0 when nothing is kept.

    Year-based figures (models, security teams) exist for yearly periods only.
    """
    parsed = period_parse(period)
    start, end = parsed.start, parsed.end
    values: dict[str, int] = {}

    def dated(model, date_field: str, owner: str = "unit"):
        return model.objects.alive().filter(**{owner: unit, f"{date_field}__range": (start, end)})

    values |= dated(FestivalEvent, "held_on").aggregate(
        FESTIVAL_EVENTS=Count("pk"),
        FESTIVAL_PARTICIPANTS=_sum("participants"),
        FESTIVAL_GIFTS_VND=Coalesce(Sum("gifts_value_vnd"), Value(Decimal(0))),
    )
    values["PACTS_SIGNED"] = dated(Pact, "signed_on").count()
    values["PLANS_ISSUED"] = dated(Plan, "issued_on").count()
    values |= dated(Award, "decision_date").aggregate(
        AWARDED_COLLECTIVES=Count("pk", filter=Q(recipient_kind=RecipientKind.COLLECTIVE)),
        AWARDED_INDIVIDUALS=Count("pk", filter=Q(recipient_kind=RecipientKind.INDIVIDUAL)),
    )
    values |= dated(OutreachActivity, "held_on").aggregate(
        OUTREACH_SESSIONS=_sum("items", channel__in=IN_PERSON),
        OUTREACH_AUDIENCE=_sum("audience", channel__in=IN_PERSON),
        NEWS_ITEMS=_sum("items", channel__in=NEWS),
        BROADCASTS=_sum("items", channel__in=BROADCAST),
        BANNERS_SLOGANS=_sum("items", channel=Channel.BANNERS),
        SEMINARS=_sum("items", channel=Channel.SEMINAR),
        CULTURAL_SPORTS_EVENTS=_sum("items", channel=Channel.CULTURAL),
    )
    values |= dated(FieldMission, "started_on", "key_area").aggregate(
        FIELD_OFFICERS_DEPLOYED=_sum("officer_visits")
    )
    if parsed.type == PeriodType.YEARLY:
        values |= _yearly(unit=unit, year=parsed.year, end=end)
    return {code: Decimal(value or 0) for code, value in values.items()}


def _yearly(*, unit: Unit, year: int, end) -> dict[str, int]:
    values = SchemeReview.objects.filter(
        scheme__deleted_at__isnull=True, scheme__unit=unit, year=year
    ).aggregate(
        SCHEMES_NEW=Count("pk", filter=Q(status=ReviewStatus.NEW)),
        SCHEMES_REPLICATED=Count("pk", filter=Q(status=ReviewStatus.REPLICATED)),
        SCHEMES_MAINTAINED=Count("pk", filter=Q(status=ReviewStatus.MAINTAINED)),
        SCHEMES_DAN_VAN_KHEO=Count(
            "pk",
            filter=Q(scheme__scheme_type__code=DAN_VAN_KHEO) & ~Q(status=ReviewStatus.DISSOLVED),
        ),
    )
    dissolved = SchemeReview.objects.filter(
        scheme=OuterRef("scheme"), status=ReviewStatus.DISSOLVED, year__lte=year
    )
    values["SCHEME_POINTS"] = (
        SchemePoint.objects.filter(scheme__deleted_at__isnull=True, unit=unit, started_on__lte=end)
        .exclude(Exists(dissolved))
        .count()
    )
    in_office = Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=end)
    values["SECURITY_TEAMS"] = (
        SecurityTeam.objects.alive().filter(in_office, unit=unit, established_on__lte=end).count()
    )
    values["SECURITY_TEAM_MEMBERS"] = TeamMember.objects.filter(
        Q(left_on__isnull=True) | Q(left_on__gt=end),
        Q(team__dissolved_on__isnull=True) | Q(team__dissolved_on__gt=end),
        team__deleted_at__isnull=True,
        team__unit=unit,
        team__established_on__lte=end,
        appointed_on__lte=end,
    ).count()
    return values
