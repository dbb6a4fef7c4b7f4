"""The demo registries: the figures Xã Bờ Y's data entry screen shows this year (its own
entries), and no doubles."""

from decimal import Decimal

import pytest
from django.utils import timezone

from phongtrao.core.models import AuditEvent
from phongtrao.registries.demo import registries_demo_create
from phongtrao.registries.models import (
    Award,
    FestivalEvent,
    FestivalPhoto,
    FieldMission,
    MemberGrading,
    OutreachActivity,
    Pact,
    Plan,
    PlanReport,
    Scheme,
    SchemePoint,
    SchemeReview,
    SecurityTeam,
    TeamGrading,
    TeamMember,
)
from phongtrao.registries.selectors.indicators import registry_indicator_values
from phongtrao.units.models import Unit

pytestmark = pytest.mark.django_db

MODELS = (
    Award, FestivalEvent, FestivalPhoto, FieldMission, MemberGrading, OutreachActivity, Pact,
    Plan, PlanReport, Scheme, SchemePoint, SchemeReview, SecurityTeam, TeamGrading, TeamMember,
    AuditEvent,
)  # fmt: skip

# What registries/demo.py keeps for Xã Bờ Y itself in the current year (see its comments): the
# models it runs and their reviews, its commendations, outreach and security teams. Its festival
# events, the points where its models run and the field deployments are its villages' own, and
# its pacts and plans those of Công an xã Bờ Y: they are counted there, never here too.
BO_Y_THIS_YEAR = {
    "SCHEMES_NEW": 2,
    "SCHEMES_REPLICATED": 1,
    "SCHEMES_MAINTAINED": 2,
    "SCHEMES_DAN_VAN_KHEO": 2,
    "SCHEME_POINTS": 0,
    "FESTIVAL_EVENTS": 0,
    "FESTIVAL_PARTICIPANTS": 0,
    "FESTIVAL_GIFTS_VND": 0,
    "PACTS_SIGNED": 0,
    "PLANS_ISSUED": 0,
    "AWARDED_COLLECTIVES": 2,
    "AWARDED_INDIVIDUALS": 3,
    "OUTREACH_SESSIONS": 7,
    "OUTREACH_AUDIENCE": 810,
    "NEWS_ITEMS": 16,
    "BROADCASTS": 24,
    "BANNERS_SLOGANS": 15,
    "SEMINARS": 2,
    "CULTURAL_SPORTS_EVENTS": 1,
    "FIELD_OFFICERS_DEPLOYED": 0,
    "SECURITY_TEAMS": 5,
    "SECURITY_TEAM_MEMBERS": 15,
}
# The festival events of the current year, each in the own figures of the village that held it.
VILLAGE_FESTIVALS = {
    "Tổ dân phố 1": (1, 280, 8_000_000),
    "Thôn Iệc": (1, 320, 12_500_000),
    "Làng Le": (1, 250, 0),
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_the_demo_gives_bo_y_this_years_own_derived_figures(demo, bo_y):
    # given the demo, run once
    year = str(timezone.localdate().year)
    # when the registries' figures for Xã Bờ Y and this year are counted
    values = registry_indicator_values(unit=bo_y, period=year)
    # then they are exactly its own entries of the demo's current year
    assert values == {code: Decimal(number) for code, number in BO_Y_THIS_YEAR.items()}


def test_the_demo_festival_events_are_the_villages_own(demo, bo_y):
    # given the demo, run once
    year = str(timezone.localdate().year)
    codes = ("FESTIVAL_EVENTS", "FESTIVAL_PARTICIPANTS", "FESTIVAL_GIFTS_VND")
    # when each unit below Xã Bờ Y has its figures counted
    found = {}
    for unit in Unit.objects.filter(parent=bo_y):
        values = registry_indicator_values(unit=unit, period=year)
        if values["FESTIVAL_EVENTS"]:
            found[unit.name] = tuple(values[code] for code in codes)
    # then the year's three festival events are in the figures of the villages that held them
    assert found == VILLAGE_FESTIVALS


def test_the_old_commune_keeps_its_books_back_to_2019(demo, plei_kan):
    # when Thị trấn Plei Kần's figures of 2019 and 2024 are counted
    first = registry_indicator_values(unit=plei_kan, period="2019")
    last = registry_indicator_values(unit=plei_kan, period="2024")
    # then each year has its pact and plan; the teams came in 2024; the festival was held by
    # one of its residential areas each year, so it is theirs, not the town's
    pick = ("FESTIVAL_EVENTS", "PACTS_SIGNED", "PLANS_ISSUED", "SCHEMES_NEW", "SECURITY_TEAMS")
    assert [first[c] for c in pick] == [0, 1, 1, 1, 0]
    assert [last[c] for c in pick] == [0, 1, 1, 0, 3]


def test_a_second_run_creates_nothing(demo):
    # given every registry filled once, photos and files included
    before = _counts()
    assert before["FestivalPhoto"] > 0 and before["MemberGrading"] > 0
    # when the registries' demo runs again
    created = registries_demo_create()
    # then it adds nothing, not even an audit event
    assert created == 0
    assert _counts() == before
