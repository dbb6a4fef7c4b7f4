"""Each derived indicator equals a direct count of the unit's own entries in its registry.

The data spread over Xã Bờ Y, two residential areas below it (whose entries are theirs, not the
commune's), Phường Cẩm Thành, another year, a dissolved model and a deleted entry in every
registry, so every boundary of the count is crossed.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Q, Sum

from phongtrao.catalog.periods import PeriodType, period_parse
from phongtrao.registries import services
from phongtrao.registries.models import (
    Award,
    FestivalEvent,
    FieldMission,
    OutreachActivity,
    Pact,
    Plan,
    ReviewStatus,
    SchemePoint,
    SchemeReview,
    SchemeType,
    SecurityTeam,
    TeamMember,
)
from phongtrao.registries.selectors.indicators import (
    DATED_CODES,
    IN_PERSON,
    SCHEME_CODES,
    _bound,
    _Slot,
    _sources,
    _statement,
    registry_indicator_values,
)
from phongtrao.registries.services.schemes import (
    scheme_create,
    scheme_point_add,
    scheme_review_set,
)
from phongtrao.registries.services.teams import team_member_save
from phongtrao.units.models import Unit

pytestmark = pytest.mark.django_db
YEAR = 2025


@pytest.fixture
def world(bo_y, cam_thanh, make_area):
    iec, le = make_area(bo_y, "Thôn Iệc"), make_area(bo_y, "Làng Le")
    other = make_area(cam_thanh, "Tổ dân phố 1")
    camera = SchemeType.objects.get(code="camera_an_ninh")
    dvk = SchemeType.objects.get(code="dan_van_kheo")
    for unit, kind, day in [
        (iec, camera, date(2025, 3, 1)), (le, dvk, date(2025, 4, 1)),
        (bo_y, camera, date(2023, 1, 1)),
        (other, camera, date(2025, 5, 1)), (le, camera, date(2024, 6, 1)),
    ]:  # fmt: skip
        scheme = scheme_create(
            actor=None,
            data={"unit": unit, "name": f"Mô hình {unit.name} {day.year}", "scheme_type": kind,
                  "founded_on": day},
            points=[(unit, day)],
        )  # fmt: skip
        if day.year == 2023:
            scheme_review_set(actor=None, scheme=scheme, year=YEAR, status=ReviewStatus.MAINTAINED)
        if day.year == 2024:
            scheme_point_add(actor=None, scheme=scheme, unit=iec, started_on=date(2025, 2, 1))
    gone = scheme_create(
        actor=None,
        data={"unit": iec, "name": "Đã xóa", "scheme_type": dvk, "founded_on": date(2025, 1, 5)},
        points=[(iec, date(2025, 1, 5))],
    )
    services.entry_delete(actor=None, entry=gone)
    dissolved = scheme_create(
        actor=None,
        data={"unit": le, "name": "Đã giải thể", "scheme_type": camera,
              "founded_on": date(2024, 2, 1)},
        points=[(le, date(2024, 2, 1)), (iec, date(2024, 3, 1))],
    )  # fmt: skip
    scheme_review_set(actor=None, scheme=dissolved, year=YEAR, status=ReviewStatus.DISSOLVED)
    # One deleted entry in each dated registry, inside the subtree and the year.
    deleted = [
        (FestivalEvent, {"unit": iec, "held_on": date(2025, 8, 19), "venue": "Xóa",
                         "participants": 999}),
        (Pact, {"unit": le, "signed_on": date(2025, 2, 2), "partner_names": "Xóa",
                "content": "Xóa"}),
        (Award, {"unit": bo_y, "form": "commendation", "authority": "UBND",
                 "authority_level": "commune", "decision_number": "9/QĐ",
                 "decision_date": date(2025, 8, 21), "recipient_kind": "individual",
                 "recipient_name": "Xóa", "achievement": "Xóa"}),
        (OutreachActivity, {"unit": iec, "channel": "meeting", "held_on": date(2025, 6, 2),
                            "items": 50, "audience": 5000, "topic": "Xóa"}),
        (FieldMission, {"unit": bo_y, "key_area": iec, "started_on": date(2025, 5, 9),
                        "ended_on": date(2025, 5, 9), "officer_visits": 40, "activities": "Xóa"}),
        (Plan, {"unit": bo_y, "number": "9/KH", "issued_on": date(2025, 3, 3), "title": "Xóa"}),
        (SecurityTeam, {"unit": bo_y, "name": "Tổ đã xóa", "areas": [iec],
                        "established_on": date(2025, 8, 1)}),
    ]  # fmt: skip
    for model, data in deleted:
        entry = services.entry_create(actor=None, model=model, data=data)
        services.entry_delete(actor=None, entry=entry)
    for unit, day in [(bo_y, date(2025, 1, 10)), (iec, date(2025, 7, 1)), (bo_y, date(2024, 7, 1)),
                      (other, date(2025, 7, 1))]:  # fmt: skip
        services.entry_create(
            actor=None, model=Plan,
            data={"unit": unit, "number": f"{day.month}/KH", "issued_on": day,
                  "title": "Kế hoạch tổ chức Ngày hội"},
        )  # fmt: skip
    for unit, day, people, gifts in [
        (iec, date(2025, 8, 19), 200, 3_000_000), (bo_y, date(2025, 8, 18), 500, 10_000_000),
        (bo_y, date(2024, 8, 19), 400, 1), (other, date(2025, 8, 19), 300, 7),
    ]:  # fmt: skip
        services.entry_create(
            actor=None, model=FestivalEvent,
            data={"unit": unit, "held_on": day, "venue": "Sân", "participants": people,
                  "gifts_value_vnd": gifts},
        )  # fmt: skip
    for unit, day in [(bo_y, date(2025, 8, 19)), (le, date(2025, 1, 2)), (other, date(2025, 3, 3))]:
        services.entry_create(
            actor=None, model=Pact,
            data={"unit": unit, "signed_on": day, "partner_names": "Hội Nông dân",
                  "content": "Giao ước"},
        )  # fmt: skip
    for unit, kind, name, owner in [
        (bo_y, "individual", "Nguyễn Văn A", None), (iec, "collective", "", iec),
        (bo_y, "collective", "Hội Phụ nữ", None), (other, "individual", "Trần B", None),
    ]:  # fmt: skip
        services.entry_create(
            actor=None, model=Award,
            data={"unit": unit, "form": "commendation", "authority": "UBND", "authority_level":
                  "commune", "decision_number": "1/QĐ", "decision_date": date(2025, 8, 20),
                  "recipient_kind": kind, "recipient_name": name, "recipient_unit": owner,
                  "achievement": "Tốt"},
        )  # fmt: skip
    for unit, channel, items, audience in [
        (iec, "meeting", 3, 120), (le, "seminar", 1, 40), (bo_y, "web_news", 5, 0),
        (bo_y, "radio", 7, 0), (le, "banners", 12, 0), (bo_y, "social", 2, 0),
        (other, "meeting", 9, 900), (le, "cultural", 2, 300),
    ]:  # fmt: skip
        services.entry_create(
            actor=None, model=OutreachActivity,
            data={"unit": unit, "channel": channel, "held_on": date(2025, 6, 1), "items": items,
                  "audience": audience, "topic": "Tuyên truyền"},
        )  # fmt: skip
    for sender, area, visits in [(bo_y, iec, 4), (bo_y, le, 3), (cam_thanh, other, 8)]:
        services.entry_create(
            actor=None, model=FieldMission,
            data={"unit": sender, "key_area": area, "started_on": date(2025, 5, 1),
                  "ended_on": date(2025, 5, 3), "officer_visits": visits,
                  "activities": "Xuống địa bàn"},
        )  # fmt: skip
    for unit, area, start, end in [
        (bo_y, iec, date(2025, 8, 1), None), (bo_y, le, date(2025, 8, 1), date(2025, 10, 1)),
        (cam_thanh, other, date(2025, 8, 1), None),
    ]:  # fmt: skip
        team = services.entry_create(
            actor=None, model=SecurityTeam,
            data={"unit": unit, "name": f"Tổ {area.name}", "areas": [area],
                  "established_on": start, "dissolved_on": end},
        )  # fmt: skip
        for name, left in [("Tổ trưởng", None), ("Tổ viên", None), ("Đã nghỉ", date(2025, 9, 1))]:
            team_member_save(
                actor=None, team=team,
                member=TeamMember(full_name=name, role="member", appointed_on=start, left_on=left),
            )  # fmt: skip
    return bo_y


def _in(bo_y, owner="unit"):
    """Entries of the unit itself, not of the units below it."""
    return Q(**{owner: bo_y})


def _direct(bo_y) -> dict[str, int]:
    """The same figures, counted the plain way, one registry at a time."""
    y = Q(year=YEAR)
    reviews = SchemeReview.objects.filter(_in(bo_y, "scheme__unit"), y, scheme__deleted_at=None)
    festivals = FestivalEvent.objects.alive().filter(_in(bo_y), y)
    outreach = OutreachActivity.objects.alive().filter(_in(bo_y), y)
    awards = Award.objects.alive().filter(_in(bo_y), y)
    end = date(YEAR, 12, 31)

    def total(qs, field):
        return qs.aggregate(v=Sum(field))["v"] or 0

    return {
        "SCHEMES_NEW": reviews.filter(status="new").count(),
        "SCHEMES_REPLICATED": reviews.filter(status="replicated").count(),
        "SCHEMES_MAINTAINED": reviews.filter(status="maintained").count(),
        "SCHEMES_DAN_VAN_KHEO": reviews.filter(scheme__scheme_type__code="dan_van_kheo")
        .exclude(status="dissolved")
        .count(),
        "SCHEME_POINTS": SchemePoint.objects.filter(
            _in(bo_y), scheme__deleted_at=None, started_on__lte=end
        )
        .exclude(scheme__reviews__status="dissolved", scheme__reviews__year__lte=YEAR)
        .count(),
        "FESTIVAL_EVENTS": festivals.count(),
        "FESTIVAL_PARTICIPANTS": total(festivals, "participants"),
        "FESTIVAL_GIFTS_VND": total(festivals, "gifts_value_vnd"),
        "PACTS_SIGNED": Pact.objects.alive().filter(_in(bo_y), y).count(),
        "AWARDED_COLLECTIVES": awards.filter(recipient_kind="collective").count(),
        "AWARDED_INDIVIDUALS": awards.filter(recipient_kind="individual").count(),
        "OUTREACH_SESSIONS": total(outreach.filter(channel__in=IN_PERSON), "items"),
        "OUTREACH_AUDIENCE": total(outreach.filter(channel__in=IN_PERSON), "audience"),
        "NEWS_ITEMS": total(outreach.filter(channel__in=["web_news", "social"]), "items"),
        "BROADCASTS": total(outreach.filter(channel__in=["television", "radio"]), "items"),
        "BANNERS_SLOGANS": total(outreach.filter(channel="banners"), "items"),
        "FIELD_OFFICERS_DEPLOYED": total(
            FieldMission.objects.alive().filter(_in(bo_y, "key_area"), y), "officer_visits"
        ),
        "SECURITY_TEAMS": SecurityTeam.objects.alive()
        .filter(_in(bo_y), established_on__lte=end)
        .exclude(dissolved_on__lte=end)
        .count(),
        "PLANS_ISSUED": Plan.objects.alive().filter(_in(bo_y), y).count(),
        "SEMINARS": total(outreach.filter(channel="seminar"), "items"),
        "CULTURAL_SPORTS_EVENTS": total(outreach.filter(channel="cultural"), "items"),
        "SECURITY_TEAM_MEMBERS": TeamMember.objects.filter(
            _in(bo_y, "team__unit"),
            team__deleted_at=None,
            team__dissolved_on=None,
            left_on=None,
        ).count(),
    }


# What the registries hold below Xã Bờ Y in the year, every entry once (the commune's total).
SUBTREE = {
    "SCHEMES_NEW": 2, "SCHEMES_REPLICATED": 1, "SCHEMES_MAINTAINED": 1, "SCHEMES_DAN_VAN_KHEO": 1,
    "SCHEME_POINTS": 5, "FESTIVAL_EVENTS": 2, "FESTIVAL_PARTICIPANTS": 700,
    "FESTIVAL_GIFTS_VND": 13_000_000, "PACTS_SIGNED": 2, "AWARDED_COLLECTIVES": 2,
    "AWARDED_INDIVIDUALS": 1, "OUTREACH_SESSIONS": 6, "OUTREACH_AUDIENCE": 460, "NEWS_ITEMS": 7,
    "BROADCASTS": 7, "BANNERS_SLOGANS": 12, "FIELD_OFFICERS_DEPLOYED": 7, "SECURITY_TEAMS": 1,
    "SECURITY_TEAM_MEMBERS": 2, "PLANS_ISSUED": 2, "SEMINARS": 1, "CULTURAL_SPORTS_EVENTS": 2,
}  # fmt: skip
# Each unit's own entries: the commune's own, and each village's own (zeros left out).
OWN = {
    "Xã Bờ Y": {
        "SCHEMES_MAINTAINED": 1, "SCHEME_POINTS": 1, "FESTIVAL_EVENTS": 1,
        "FESTIVAL_PARTICIPANTS": 500, "FESTIVAL_GIFTS_VND": 10_000_000, "PACTS_SIGNED": 1,
        "AWARDED_COLLECTIVES": 1, "AWARDED_INDIVIDUALS": 1, "NEWS_ITEMS": 7, "BROADCASTS": 7,
        "SECURITY_TEAMS": 1, "SECURITY_TEAM_MEMBERS": 2, "PLANS_ISSUED": 1,
    },
    "Thôn Iệc": {
        "SCHEMES_NEW": 1, "SCHEME_POINTS": 2, "FESTIVAL_EVENTS": 1, "FESTIVAL_PARTICIPANTS": 200,
        "FESTIVAL_GIFTS_VND": 3_000_000, "AWARDED_COLLECTIVES": 1, "OUTREACH_SESSIONS": 3,
        "OUTREACH_AUDIENCE": 120, "FIELD_OFFICERS_DEPLOYED": 4, "PLANS_ISSUED": 1,
    },
    "Làng Le": {
        "SCHEMES_NEW": 1, "SCHEMES_REPLICATED": 1, "SCHEMES_DAN_VAN_KHEO": 1, "SCHEME_POINTS": 2,
        "PACTS_SIGNED": 1, "OUTREACH_SESSIONS": 3, "OUTREACH_AUDIENCE": 340, "BANNERS_SLOGANS": 12,
        "SEMINARS": 1, "CULTURAL_SPORTS_EVENTS": 2, "FIELD_OFFICERS_DEPLOYED": 3,
    },
}  # fmt: skip


def _units(world) -> dict[str, Unit]:
    return {"Xã Bờ Y": world, **{u.name: u for u in Unit.objects.filter(parent=world)}}


@pytest.mark.parametrize("code", sorted(SUBTREE))
def test_each_indicator_equals_a_direct_count_of_each_units_own_entries(world, code):
    # when each unit's figures are counted
    units = _units(world)
    derived = {name: registry_indicator_values(unit=units[name], period=str(YEAR)) for name in OWN}
    # then each unit's figure is a direct count of its own entries only
    for name, expected in OWN.items():
        own = Decimal(expected.get(code, 0))
        assert (name, derived[name][code]) == (name, Decimal(_direct(units[name])[code]))
        assert (name, derived[name][code]) == (name, own)


def test_the_commune_counts_none_of_its_villages_entries(world):
    # when the commune's figures are counted
    derived = registry_indicator_values(unit=world, period=str(YEAR))
    # then the village's festival event (200 people) and its field deployments are not in them
    assert (derived["FESTIVAL_EVENTS"], derived["FESTIVAL_PARTICIPANTS"]) == (1, 500)
    assert derived["FIELD_OFFICERS_DEPLOYED"] == 0


def test_the_own_figures_of_a_subtree_hold_each_entry_exactly_once(world):
    # when the own figures of the commune and its two villages are added up
    units = _units(world)
    added = {code: Decimal(0) for code in SUBTREE}
    for name in OWN:
        for code, number in registry_indicator_values(unit=units[name], period=str(YEAR)).items():
            added[code] += number
    # then they make the subtree's registries, every entry once
    assert added == {code: Decimal(number) for code, number in SUBTREE.items()}


def test_all_indicators_take_one_query(world, django_assert_num_queries):
    # when every figure is counted, then it is one statement (a scalar subquery per figure)
    with django_assert_num_queries(1):
        derived = registry_indicator_values(unit=world, period=str(YEAR))
    assert len(derived) == 22


def test_the_figures_asked_for_are_counted_alone_and_the_same(world, django_assert_num_queries):
    # given the commune's figures counted all at once
    everything = registry_indicator_values(unit=world, period=str(YEAR))
    # when only two are asked for, then one query counts exactly those two, with the same values
    with django_assert_num_queries(1):
        two = registry_indicator_values(
            unit=world, period=str(YEAR), codes=["FESTIVAL_PARTICIPANTS", "SCHEMES_NEW"]
        )
    assert two == {
        "FESTIVAL_PARTICIPANTS": everything["FESTIVAL_PARTICIPANTS"],
        "SCHEMES_NEW": everything["SCHEMES_NEW"],
    }
    assert two["FESTIVAL_PARTICIPANTS"] == Decimal(500)


def test_a_code_no_registry_counts_costs_no_query(world, django_assert_num_queries):
    # when only indicators no registry counts are asked for, then nothing is read
    with django_assert_num_queries(0):
        assert (
            registry_indicator_values(unit=world, period=str(YEAR), codes=["TIPS_RECEIVED"]) == {}
        )


def test_a_residential_area_counts_only_itself(world):
    # given
    iec = Unit.objects.get(parent=world, name="Thôn Iệc")
    # when
    derived = registry_indicator_values(unit=iec, period=str(YEAR))
    # then
    assert (derived["FESTIVAL_EVENTS"], derived["FESTIVAL_PARTICIPANTS"]) == (1, 200)
    assert derived["FIELD_OFFICERS_DEPLOYED"] == 4


def test_a_month_counts_the_dated_registries_only_and_a_year_everything(world):
    # when a month and then the year are counted (each with its own statement, made once)
    month = registry_indicator_values(unit=world, period=f"{YEAR}08")
    year = registry_indicator_values(unit=world, period=str(YEAR))
    # then the month has no year-based figure (models, security teams), the year has them all
    assert sorted(month) == sorted(DATED_CODES)
    assert sorted(year) == sorted(DATED_CODES + SCHEME_CODES)


def _built_for(unit: Unit, period: str) -> dict[str, Decimal]:
    """The figures of the same definitions built for this very unit and period (no statement
    compiled once and bound again), one aggregate each."""
    parsed = period_parse(period)
    sources = _sources(
        unit=unit, start=parsed.start, end=parsed.end, year=parsed.year,
        yearly=parsed.type == PeriodType.YEARLY,
    )  # fmt: skip
    return {
        code: Decimal(rows.aggregate(figure=aggregate)["figure"] or 0)
        for code, (rows, _owner, aggregate) in sources.items()
    }


def test_the_statement_compiled_once_binds_each_unit_and_period_where_it_belongs(world):
    # given the commune and its villages, and periods of every kind whose dates tell apart a
    # start from an end and one year from another (a unit, a year or a date bound in the wrong
    # place would count other entries)
    units = _units(world)
    periods = ["2025", "2024", "2025Q3", "202508", "202501", "202412"]
    # when the figures come from the one statement per kind of period, bound for each
    bound = {(n, p): registry_indicator_values(unit=u, period=p) for n, u in units.items()
             for p in periods}  # fmt: skip
    # then each is what the same definitions built for that unit and period count
    assert bound == {(n, p): _built_for(u, p) for n, u in units.items() for p in periods}
    # and the data does tell them apart: Bờ Y's festival in August 2025, its plan of January
    # 2025, its festival of 2024 in the year only
    participants = {p: bound["Xã Bờ Y", p]["FESTIVAL_PARTICIPANTS"] for p in periods}
    assert participants == {"2025": 500, "2024": 400, "2025Q3": 500, "202508": 500,
                            "202501": 0, "202412": 0}  # fmt: skip
    plans = {p: bound["Xã Bờ Y", p]["PLANS_ISSUED"] for p in periods}
    assert plans == {"2025": 1, "2024": 1, "2025Q3": 0, "202508": 0, "202501": 1, "202412": 0}


def test_a_constant_of_the_statement_equal_to_a_real_value_is_kept():
    # given the statement of a year, whose slots are the unit, the year and the period's dates
    _wanted, _sql, params = _statement(alias="default", yearly=True, asked=None)
    assert {p.name for p in params if isinstance(p, _Slot)} == {"unit", "year", "start", "end"}
    # when a constant that equals the real year is bound, and a slot of the year
    real = {"unit": 7, "year": 2025, "start": date(2025, 1, 1), "end": date(2025, 12, 31)}
    year_slot = next(p for p in params if isinstance(p, _Slot) and p.name == "year")
    # then only the slot takes the real value
    assert (_bound(2025, real, connection), _bound(year_slot, real, connection)) == (2025, 2025)
    assert _bound(1901, real, connection) == 1901
