"""The demo registries: the figures Xã Bờ Y's data entry screen shows this year, and no doubles."""

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

pytestmark = pytest.mark.django_db

MODELS = (
    Award, FestivalEvent, FestivalPhoto, FieldMission, MemberGrading, OutreachActivity, Pact,
    Plan, PlanReport, Scheme, SchemePoint, SchemeReview, SecurityTeam, TeamGrading, TeamMember,
    AuditEvent,
)  # fmt: skip

# What registries/demo.py keeps for Xã Bờ Y in the current year (see its comments).
BO_Y_THIS_YEAR = {
    "SCHEMES_NEW": 2,
    "SCHEMES_REPLICATED": 1,
    "SCHEMES_MAINTAINED": 2,
    "SCHEMES_DAN_VAN_KHEO": 2,
    "SCHEME_POINTS": 7,
    "FESTIVAL_EVENTS": 3,
    "FESTIVAL_PARTICIPANTS": 850,
    "FESTIVAL_GIFTS_VND": 20_500_000,
    "PACTS_SIGNED": 2,
    "PLANS_ISSUED": 1,
    "AWARDED_COLLECTIVES": 2,
    "AWARDED_INDIVIDUALS": 3,
    "OUTREACH_SESSIONS": 7,
    "OUTREACH_AUDIENCE": 810,
    "NEWS_ITEMS": 16,
    "BROADCASTS": 24,
    "BANNERS_SLOGANS": 15,
    "SEMINARS": 2,
    "CULTURAL_SPORTS_EVENTS": 1,
    "FIELD_OFFICERS_DEPLOYED": 20,
    "SECURITY_TEAMS": 5,
    "SECURITY_TEAM_MEMBERS": 15,
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_the_demo_gives_bo_y_this_years_derived_figures(demo, bo_y):
    # given the demo, run once
    year = str(timezone.localdate().year)
    # when the registries' figures for Xã Bờ Y and this year are counted
    values = registry_indicator_values(unit=bo_y, period=year)
    # then they are exactly those of the demo's current year
    assert values == {code: Decimal(number) for code, number in BO_Y_THIS_YEAR.items()}


def test_the_old_commune_keeps_its_books_back_to_2019(demo, plei_kan):
    # when Thị trấn Plei Kần's figures of 2019 and 2024 are counted
    first = registry_indicator_values(unit=plei_kan, period="2019")
    last = registry_indicator_values(unit=plei_kan, period="2024")
    # then each year has its festival, pact and plan; the teams came in 2024
    pick = ("FESTIVAL_EVENTS", "PACTS_SIGNED", "PLANS_ISSUED", "SCHEMES_NEW", "SECURITY_TEAMS")
    assert [first[c] for c in pick] == [1, 1, 1, 1, 0]
    assert [last[c] for c in pick] == [1, 1, 1, 0, 3]


def test_a_second_run_creates_nothing(demo):
    # given every registry filled once, photos and files included
    before = _counts()
    assert before["FestivalPhoto"] > 0 and before["MemberGrading"] > 0
    # when the registries' demo runs again
    created = registries_demo_create()
    # then it adds nothing, not even an audit event
    assert created == 0
    assert _counts() == before
