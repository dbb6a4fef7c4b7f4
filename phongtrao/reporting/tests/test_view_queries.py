"""The entry screen and a cell save run a fixed number of queries, whatever the subtree, the
totals above it and the size of the form."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from phongtrao.catalog.models import (
    Indicator,
    ReportForm,
    ReportFormItem,
    ReportFormSection,
    ReportFormUnitKind,
)
from phongtrao.reporting.models import DataValue
from phongtrao.units.models import UnitKind

pytestmark = pytest.mark.django_db


def _save(client, form, unit, value: str, version: str = "") -> int:
    url = reverse("reporting:cell", args=[form.code, unit.pk, "2024", "SCHEMES_NEW"])
    with CaptureQueriesContext(connection) as captured:
        assert client.post(url, {"value": value, "version": version}).status_code == 200
    return len(captured)


def test_a_cell_save_costs_the_same_queries_with_one_village_or_eight(
    client, form, bo_y, clerk, make_area
):
    # given Bờ Y with one village holding values, saved once to warm Django's caches
    client.force_login(clerk)
    indicators = list(Indicator.objects.filter(code__in=["SCHEMES_NEW", "SEMINARS"]))
    _save(client, form, bo_y, "1")
    villages = [make_area(bo_y, "Thôn 0")]

    def fill(village):
        for indicator in indicators:
            DataValue.objects.create(
                indicator=indicator, unit=village, period="2024", value="2", number=Decimal(2)
            )

    fill(villages[0])
    one = _save(client, form, bo_y, "3", "1")
    # when seven more villages hold values
    for n in range(1, 8):
        villages.append(make_area(bo_y, f"Thôn {n}"))
        fill(villages[-1])
    eight = _save(client, form, bo_y, "4", "2")
    # then the save costs the same, and the commune's total took it
    assert one == eight
    assert DataValue.objects.get(unit=bo_y).number == Decimal(4)


# A form of N indicators and one of 3N, each with a third counted by the registries ("Theo
# sổ"): the entry screen and a cell save must cost the same on both.
REGISTRY_CODES = [
    "SCHEMES_NEW", "FESTIVAL_EVENTS", "PACTS_SIGNED", "SECURITY_TEAMS", "OUTREACH_SESSIONS",
    "FIELD_OFFICERS_DEPLOYED",
]  # fmt: skip
TYPED_CODES = [
    "WEAPONS_SURRENDERED", "AMMUNITION_SURRENDERED", "EXPLOSIVES_SURRENDERED_KG",
    "SUPPORT_TOOLS_SURRENDERED", "OFFENDERS_SURRENDERED", "TIPS_RECEIVED",
    "COMMUNITY_EDUCATION_PERSONS", "REINTEGRATION_PERSONS", "SAFE_RESIDENTIAL_AREAS",
    "SAFE_COMMUNES", "SAFE_ORGANIZATIONS", "GRATITUDE_ACTIVITIES",
]  # fmt: skip
N = 6


def _form_of(code: str, codes: list[str]) -> ReportForm:
    form = ReportForm.objects.create(
        code=code, name=code, period_type="yearly", due_month=8, due_day=31,
        lock_days_after_end=None,
    )  # fmt: skip
    section = ReportFormSection.objects.create(form=form, name="Mục", order=1)
    for order, indicator in enumerate(Indicator.objects.filter(code__in=codes), start=1):
        ReportFormItem.objects.create(form=form, section=section, indicator=indicator, order=order)
    for kind in (UnitKind.PROVINCE, UnitKind.COMMUNE, UnitKind.RESIDENTIAL_AREA):
        ReportFormUnitKind.objects.create(form=form, kind=kind)
    return form


@pytest.fixture
def small_and_large(bo_y):
    """Forms of N and 3N indicators, every cell of both holding a value this year and the
    previous five (the outlier history), for Bờ Y."""
    small = _form_of("SMALL", REGISTRY_CODES[:2] + TYPED_CODES[:4])
    large = _form_of("LARGE", REGISTRY_CODES + TYPED_CODES)
    assert (small.items.count(), large.items.count()) == (N, 3 * N)
    for indicator in Indicator.objects.filter(code__in=REGISTRY_CODES + TYPED_CODES):
        for year in range(2019, 2025):
            DataValue.objects.create(
                indicator=indicator, unit=bo_y, period=str(year), value="5", number=Decimal(5)
            )
    return small, large


def _page(client, form, unit) -> int:
    url = reverse("reporting:entry", args=[form.code, unit.pk, "2024"])
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_entry_page_costs_the_same_queries_with_N_or_3N_indicators(
    client, bo_y, clerk, small_and_large, django_assert_num_queries
):
    # given forms of 6 and 18 indicators (2 and 6 counted by the registries), all filled
    small, large = small_and_large
    client.force_login(clerk)
    _page(client, small, bo_y)  # Django's own caches warmed
    # when each entry screen is drawn
    costs = (_page(client, small, bo_y), _page(client, large, bo_y))
    # then both cost the same: session, user, scope, unit, form, submission, unit kind, the
    # submission's check, items, values, history and ONE query for every registry figure
    assert costs == (12, 12)
    with django_assert_num_queries(12):
        client.get(reverse("reporting:entry", args=[large.code, bo_y.pk, "2024"]))


def _save_cell(client, form, unit, code: str, value: str, version: str) -> int:
    url = reverse("reporting:cell", args=[form.code, unit.pk, "2024", code])
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, {"value": value, "version": version})
    assert response.status_code == 200
    assert 'class="ok"' in response.content.decode()
    return len(captured)


# A cell the registries count reads its one figure (one query); a typed cell reads none.
@pytest.mark.parametrize(("code", "queries"), [("SCHEMES_NEW", 17), ("WEAPONS_SURRENDERED", 16)])
def test_a_cell_save_costs_the_same_queries_with_N_or_3N_indicators(
    client, bo_y, clerk, small_and_large, code, queries, django_assert_num_queries
):
    # given the two forms sharing a cell counted by the registries and one typed by hand
    small, large = small_and_large
    client.force_login(clerk)
    _save_cell(client, small, bo_y, "AMMUNITION_SURRENDERED", "7", "1")  # Django's caches warmed
    # when the same cell is saved from each form (an update of the value each time)
    costs = (
        _save_cell(client, small, bo_y, code, "6", "1"),
        _save_cell(client, large, bo_y, code, "7", "2"),
    )
    # then both cost the same: the redraw counts this cell's registry figure alone
    assert costs == (queries, queries)
    with django_assert_num_queries(queries):
        _save_cell(client, large, bo_y, code, "8", "3")
    assert DataValue.objects.get(indicator__code=code, unit=bo_y, period="2024").number == 8


def test_the_entry_page_is_kept_by_the_browser_only_and_asked_for_again_each_time(
    client, bo_y, clerk, small_and_large
):
    # when the entry screen is drawn
    client.force_login(clerk)
    response = client.get(reverse("reporting:entry", args=["SMALL", bo_y.pk, "2024"]))
    # then no shared cache keeps it and the browser revalidates it; scripts and styles are
    # static files, none inline
    html = response.content.decode()
    assert response["Cache-Control"] == "private, no-cache"
    assert "<script>" not in html and "<style" not in html
    assert '<script src="/static/phongtrao/app.js" defer></script>' in html
