"""What a number means (DESIGN.md): a value entered for a unit is what that unit itself did, and
a total counts every own value below it exactly once, registry-filled cells included.

Registry figures take part in totals only through the cells they fill: "Điền số liệu theo sổ"
fills a unit's own cells from its own entries, so a village's festival event reaches the
province once, through the village's report, and never a second time through its commune's.
"""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from phongtrao.analytics.rollup import own_values, unit_total
from phongtrao.catalog.models import (
    Indicator,
    ReportForm,
    ReportFormItem,
    ReportFormSection,
    ReportFormUnitKind,
)
from phongtrao.core.roles import Role
from phongtrao.registries import services as registries
from phongtrao.registries.models import FestivalEvent
from phongtrao.reporting import workflow
from phongtrao.reporting.models import DataValue, Submission, ValueSource
from phongtrao.reporting.services import data_value_save, derived_values_fill
from phongtrao.units.models import UnitKind

pytestmark = pytest.mark.django_db
PERIOD = "2025"
CODES = ("FESTIVAL_EVENTS", "FESTIVAL_PARTICIPANTS")


@pytest.fixture
def festival_form(db) -> ReportForm:
    """The festival figures on a yearly form that never locks by date, so the test does not age."""
    form = ReportForm.objects.create(
        code="TEST_FESTIVAL", name="Ngày hội", period_type="yearly", due_month=8, due_day=31,
        lock_days_after_end=None,
    )  # fmt: skip
    section = ReportFormSection.objects.create(form=form, name="Ngày hội", order=1)
    for order, code in enumerate(CODES, start=1):
        ReportFormItem.objects.create(
            form=form, section=section, indicator=Indicator.objects.get(code=code), order=order
        )
    for kind in (UnitKind.PROVINCE, UnitKind.COMMUNE, UnitKind.RESIDENTIAL_AREA):
        ReportFormUnitKind.objects.create(form=form, kind=kind)
    return form


def _festival(unit, people: int) -> None:
    registries.entry_create(
        actor=None, model=FestivalEvent,
        data={"unit": unit, "held_on": date(2025, 8, 19), "venue": f"Nhà văn hóa {unit.name}",
              "participants": people},
    )  # fmt: skip


def _report(clerk, form, unit, figures: dict[str, int]) -> None:
    """Type the unit's own figures (none: leave what is there) and send the report."""
    for code, number in figures.items():
        data_value_save(
            actor=clerk, form=form, unit=unit, period=PERIOD,
            indicator=Indicator.objects.get(code=code), raw_value=str(number),
            expected_version=None,
        )  # fmt: skip
    submission = workflow.submission_open(actor=clerk, form=form, unit=unit, period=PERIOD)
    workflow.submission_submit(actor=clerk, submission=submission, expected_version=1)


def _values_get(code: str, unit_code: str) -> str:
    out = io.StringIO()
    call_command(
        "values", "get", "--indicator", code, "--unit", unit_code, "--period", PERIOD, stdout=out
    )
    return out.getvalue().strip()


def test_the_province_total_counts_every_own_value_below_it_exactly_once(
    festival_form, bo_y, quang_ngai, make_area, make_user
):
    # given Xã Bờ Y and two of its villages; the registries hold two festival events of 2025,
    # one held by the commune itself (500 people) and one by Thôn Một (200 people)
    clerk = make_user("boy_clerk", Role.DATA_ENTRY, (bo_y,))
    mot, hai = make_area(bo_y, "Thôn Một"), make_area(bo_y, "Thôn Hai")
    _festival(bo_y, 500)
    _festival(mot, 200)
    # and the villages report their own festival events: Thôn Một its one, Thôn Hai two
    _report(clerk, festival_form, mot, {"FESTIVAL_EVENTS": 1, "FESTIVAL_PARTICIPANTS": 200})
    _report(clerk, festival_form, hai, {"FESTIVAL_EVENTS": 2, "FESTIVAL_PARTICIPANTS": 300})

    # when the commune fills its cells from its registries ("Điền số liệu theo sổ") and sends
    filled = derived_values_fill(actor=clerk, form=festival_form, unit=bo_y, period=PERIOD)
    _report(clerk, festival_form, bo_y, {})

    # then the commune's cells hold its own event only, not Thôn Một's (which made them 2 events
    # and 700 people before, counted again above the commune through Thôn Một's report)
    indicators = list(Indicator.objects.filter(code__in=CODES).order_by("code"))
    own = own_values(indicators=indicators, units=[bo_y], periods=[PERIOD])
    assert filled == 2
    assert {i.code: own[(i.pk, bo_y.pk, PERIOD)] for i in indicators} == {
        "FESTIVAL_EVENTS": Decimal(1),
        "FESTIVAL_PARTICIPANTS": Decimal(500),
    }
    sources = DataValue.objects.filter(unit=bo_y, period=PERIOD).values_list("source", flat=True)
    assert set(sources) == {ValueSource.REGISTRY}
    # and the province's total is every own value below it, each once: 1 + 1 + 2 events,
    # 500 + 200 + 300 people (double counting gave 5 events and 1.200 people)
    totals = {i.code: unit_total(indicator=i, unit=quang_ngai, period=PERIOD) for i in indicators}
    assert totals == {"FESTIVAL_EVENTS": Decimal(4), "FESTIVAL_PARTICIPANTS": Decimal(1000)}
    assert (_values_get("FESTIVAL_EVENTS", "51"), _values_get("FESTIVAL_PARTICIPANTS", "51")) == (
        "4", "1000",
    )  # fmt: skip
    # and the reports the total is made of are the three sent ones
    assert Submission.objects.filter(form=festival_form, status="submitted").count() == 3
