from decimal import Decimal

import pytest

from phongtrao.catalog.models import Indicator
from phongtrao.documents import services
from phongtrao.reporting.models import DataValue, ValueState

# Two residential areas of Xã Bờ Y, three years. Totals for 2019: 1.240 maintained models
# (12 more than 2018), 85 replicated (3 fewer), 61 new (the same), 2.150 festival
# participants (150 more), 12,5 kg of explosives; "Dân vận khéo" is an explicit zero.
AREA_VALUES = {
    "2018": {
        "Thôn Một": {"SCHEMES_MAINTAINED": 700, "SCHEMES_REPLICATED": 50, "SCHEMES_NEW": 40,
                     "FESTIVAL_PARTICIPANTS": 1400},
        "Thôn Hai": {"SCHEMES_MAINTAINED": 528, "SCHEMES_REPLICATED": 38, "SCHEMES_NEW": 21,
                     "FESTIVAL_PARTICIPANTS": 600},
    },
    "2019": {
        "Thôn Một": {"SCHEMES_MAINTAINED": 700, "SCHEMES_REPLICATED": 50, "SCHEMES_NEW": 40,
                     "FESTIVAL_EVENTS": 1, "FESTIVAL_PARTICIPANTS": 1500,
                     "FESTIVAL_GIFTS_VND": 125000000, "PACTS_SIGNED": 300,
                     "AWARDED_COLLECTIVES": 45, "AWARDED_INDIVIDUALS": 120,
                     "OUTREACH_SESSIONS": 2150, "WEAPONS_SURRENDERED": 12,
                     "EXPLOSIVES_SURRENDERED_KG": Decimal("10"), "SCHEMES_DAN_VAN_KHEO": 0},
        "Thôn Hai": {"SCHEMES_MAINTAINED": 540, "SCHEMES_REPLICATED": 35, "SCHEMES_NEW": 21,
                     "FESTIVAL_EVENTS": 2, "FESTIVAL_PARTICIPANTS": 650, "PACTS_SIGNED": 12,
                     "EXPLOSIVES_SURRENDERED_KG": Decimal("2.5")},
    },
    "2020": {
        "Thôn Một": {"SCHEMES_MAINTAINED": 710, "FESTIVAL_PARTICIPANTS": 1600},
        "Thôn Hai": {"SCHEMES_MAINTAINED": 545, "FESTIVAL_PARTICIPANTS": 700},
    },
}  # fmt: skip


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def areas(make_area, bo_y):
    return {name: make_area(bo_y, name) for name in ("Thôn Một", "Thôn Hai")}


def area_values_store(areas: dict, by_period: dict) -> dict:
    """Store {period: {area name: {indicator code: number}}} as data values of the areas,
    as the approved reports a report is written from."""
    indicators = {i.code: i for i in Indicator.objects.all()}
    DataValue.objects.bulk_create(
        DataValue(
            indicator=indicators[code],
            unit=areas[area_name],
            period=period,
            value=str(number),
            number=Decimal(number),
            state=ValueState.APPROVED,
        )  # fmt: skip
        for period, by_area in by_period.items()
        for area_name, values in by_area.items()
        for code, number in values.items()
    )
    return areas


@pytest.fixture
def festival_values(areas):
    return area_values_store(areas, AREA_VALUES)


@pytest.fixture
def run_jobs_now(monkeypatch):
    """Jobs run at once in the request's thread: the test's transaction never commits."""
    monkeypatch.setattr(
        services, "report_job_start", lambda job_id: services.report_job_run(job_id=job_id)
    )
    monkeypatch.setattr(
        services.transaction, "on_commit", lambda func, using=None, robust=False: func()
    )
