"""The totals the entry screen shows under a unit's own cells (`analytics:entry_totals`)."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from phongtrao.analytics.selectors import entry_totals
from phongtrao.catalog.models import (
    Indicator,
    ReportForm,
    ReportFormItem,
    ReportFormSection,
    ReportFormUnitKind,
)
from phongtrao.core.roles import Role
from phongtrao.reporting.models import DataValue, ValueState
from phongtrao.units.models import UnitKind

pytestmark = pytest.mark.django_db
PERIOD = "2025"
ALL_NUMERIC = [
    "FESTIVAL_EVENTS", "FESTIVAL_PARTICIPANTS", "FESTIVAL_GIFTS_VND", "PACTS_SIGNED",
    "OUTREACH_SESSIONS", "SCHEMES_NEW", "SCHEMES_MAINTAINED", "EXPLOSIVES_SURRENDERED_KG",
]  # fmt: skip


def _form(codes: list[str], code: str = "TEST_TOTALS") -> ReportForm:
    """A yearly form for communes and residential areas that never locks by date."""
    form = ReportForm.objects.create(
        code=code, name="Biểu thử", period_type="yearly", due_month=8, due_day=31,
        lock_days_after_end=None,
    )  # fmt: skip
    section = ReportFormSection.objects.create(form=form, name="Ngày hội", order=1)
    for order, indicator in enumerate(Indicator.objects.filter(code__in=codes), start=1):
        ReportFormItem.objects.create(form=form, section=section, indicator=indicator, order=order)
    for kind in (UnitKind.COMMUNE, UnitKind.RESIDENTIAL_AREA):
        ReportFormUnitKind.objects.create(form=form, kind=kind)
    return form


def _put(code: str, unit, number, state: str = ValueState.DRAFT) -> None:
    DataValue.objects.create(
        indicator=Indicator.objects.get(code=code), unit=unit, period=PERIOD,
        value=str(number), number=Decimal(number), state=state,
    )  # fmt: skip


@pytest.fixture
def boy_client(client, make_user, bo_y):
    client.force_login(make_user("boy_xem", Role.VIEWER, (bo_y,)))
    return client


def _url(form: ReportForm, unit) -> str:
    return reverse("analytics:entry_totals", args=[form.code, unit.pk, PERIOD])


def _shown(html: str) -> dict[str, str]:
    """The text of each cell's total in the fragment, by indicator code."""
    found = re.findall(
        r'<span [^>]*id="total-([A-Z_]+)"[^>]*hx-swap-oob="true">([^<]*)</span>', html
    )
    return dict(found)


def test_each_total_adds_the_units_own_value_and_everything_below_drafts_included(
    boy_client, bo_y, make_area
):
    # given Bờ Y's own draft of 3 festival events and 1.000 people, a village's submitted 2
    # events and another village's approved 1.250 people; no pact anywhere
    form = _form(["FESTIVAL_EVENTS", "FESTIVAL_PARTICIPANTS", "PACTS_SIGNED"])
    one, two = make_area(bo_y, "Thôn Một"), make_area(bo_y, "Thôn Hai")
    _put("FESTIVAL_EVENTS", bo_y, 3)
    _put("FESTIVAL_PARTICIPANTS", bo_y, 1000)
    _put("FESTIVAL_EVENTS", one, 2, ValueState.SUBMITTED)
    _put("FESTIVAL_PARTICIPANTS", two, 1250, ValueState.APPROVED)
    # when the entry screen asks for the totals
    response = boy_client.get(_url(form, bo_y))
    # then each cell says it is the unit's own and gives the subtree's total, drafts included
    assert response.status_code == 200
    assert _shown(response.content.decode()) == {
        "FESTIVAL_EVENTS": "Số liệu của riêng đơn vị; tổng cả đơn vị trực thuộc: 5",
        "FESTIVAL_PARTICIPANTS": "Số liệu của riêng đơn vị; tổng cả đơn vị trực thuộc: 2.250",
        "PACTS_SIGNED": "Số liệu của riêng đơn vị; tổng cả đơn vị trực thuộc: chưa có",
    }


def test_a_text_indicator_has_no_total(bo_y):
    # given a form with a number and a text indicator
    text = Indicator.objects.create(code="TEST_NOTE", name="Ghi chú", value_type="text")
    form = _form(["FESTIVAL_EVENTS", "TEST_NOTE"])
    assert text in [item.indicator for item in form.items.all()]
    _put("FESTIVAL_EVENTS", bo_y, 4)
    # when
    totals = entry_totals(form=form, unit=bo_y, period=PERIOD)
    # then only the number is totalled
    assert [(t.indicator.code, t.total) for t in totals] == [("FESTIVAL_EVENTS", Decimal(4))]


@pytest.mark.parametrize(("codes", "areas"), [(ALL_NUMERIC[:1], 1), (ALL_NUMERIC, 6)])
def test_the_fragment_runs_the_same_queries_whatever_the_form_and_the_subtree(
    boy_client, bo_y, make_area, django_assert_num_queries, codes, areas
):
    # given a form of one indicator and a village, or of eight indicators and six villages, each
    # with a value of every indicator
    form = _form(codes)
    for n in range(areas):
        area = make_area(bo_y, f"Thôn {n}")
        for code in codes:
            _put(code, area, n + 1)
    boy_client.get(_url(form, bo_y))  # the session is read once, outside the count
    # when / then: session and user (2), the scope's roots (1), unit (1), form (1), the
    # form's indicators (1), and the roll-up: the unit's own values and its row of totals (2)
    with django_assert_num_queries(8):
        response = boy_client.get(_url(form, bo_y))
    assert len(_shown(response.content.decode())) == len(codes)


def test_a_unit_outside_the_users_scope_is_not_found(boy_client, cam_thanh):
    # given a form for communes
    form = _form(["FESTIVAL_EVENTS"])
    # when a user of Bờ Y asks for Cẩm Thành's totals
    response = boy_client.get(_url(form, cam_thanh))
    # then it answers as a missing page, with nothing of Cẩm Thành
    assert response.status_code == 404


def test_a_period_the_form_does_not_have_is_not_found(boy_client, bo_y):
    # given a yearly form
    form = _form(["FESTIVAL_EVENTS"])
    # when a month is asked for
    response = boy_client.get(
        reverse("analytics:entry_totals", args=[form.code, bo_y.pk, "202508"])
    )
    # then
    assert response.status_code == 404


def test_the_entry_screen_loads_the_totals_and_its_cells_save_through_analytics(
    client, make_user, bo_y
):
    # given Bờ Y's clerk
    form = _form(["FESTIVAL_EVENTS"])
    client.force_login(make_user("boy_nhap", Role.DATA_ENTRY, (bo_y,)))
    # when the entry screen is opened
    page = client.get(reverse("reporting:entry", args=[form.code, bo_y.pk, PERIOD]))
    html = page.content.decode()
    # then it loads the totals once, with the page, and each cell saves through the save that
    # answers with the cell's total
    assert (
        f'<div id="entry-totals" hx-get="{_url(form, bo_y)}" '
        'hx-trigger="load" hx-swap="none" hx-sync="this:replace"></div>'
    ) in html
    assert '<span class="cell-total muted" id="total-FESTIVAL_EVENTS"></span>' in html
    cell_url = reverse("analytics:entry_cell", args=[form.code, bo_y.pk, PERIOD, "FESTIVAL_EVENTS"])
    assert f'hx-post="{cell_url}"' in html
    assert (
        "Mỗi ô là số liệu của riêng đơn vị. Tổng ghi dưới ô cộng số liệu của mọi đơn vị trực "
        "thuộc, mỗi số một lần; tổng tính mọi số liệu đã nhập, kể cả bản nháp."
    ) in html


def _cell_url(form: ReportForm, unit, code: str) -> str:
    return reverse("analytics:entry_cell", args=[form.code, unit.pk, PERIOD, code])


def _cell_total(html: str) -> str:
    """The text of the total inside a redrawn cell: never an out-of-band piece, and marked as
    drawn by a save (app.js keeps it over an older totals answer)."""
    found = re.findall(
        r'<span class="cell-total muted" id="total-[A-Z_]+" data-saved>([^<]*)</span>', html
    )
    assert len(found) == 1, html
    return found[0]


def test_a_saved_cell_answers_with_its_new_total(client, make_user, bo_y, make_area):
    # given a village's 2 festival events below Bờ Y, and Bờ Y's clerk
    form = _form(["FESTIVAL_EVENTS", "PACTS_SIGNED"])
    _put("FESTIVAL_EVENTS", make_area(bo_y, "Thôn Một"), 2)
    client.force_login(make_user("boy_nhap", Role.DATA_ENTRY, (bo_y,)))
    # when Bờ Y saves its own 3 events
    response = client.post(_cell_url(form, bo_y, "FESTIVAL_EVENTS"), {"value": "3"})
    # then the answer is the saved cell with the total under it counting both, and no other
    # cell's total
    html = response.content.decode()
    assert (response.status_code, 'class="ok"' in html) == (200, True)
    assert _cell_total(html) == "Số liệu của riêng đơn vị; tổng cả đơn vị trực thuộc: 5"
    assert "hx-swap-oob" not in html
    assert DataValue.objects.get(unit=bo_y).number == Decimal(3)


def test_a_refused_cell_keeps_its_total(client, make_user, bo_y):
    # given Bờ Y's 4 events, saved by someone else after the clerk opened the screen
    form = _form(["FESTIVAL_EVENTS"])
    _put("FESTIVAL_EVENTS", bo_y, 4)
    client.force_login(make_user("boy_nhap", Role.DATA_ENTRY, (bo_y,)))
    # when the clerk saves 7 over the empty cell they saw
    response = client.post(_cell_url(form, bo_y, "FESTIVAL_EVENTS"), {"value": "7"})
    # then the cell is refused, the total under it still shows, and nothing changed
    html = response.content.decode()
    assert 'class="conflict"' in html
    assert _cell_total(html) == "Số liệu của riêng đơn vị; tổng cả đơn vị trực thuộc: 4"
    assert [v.number for v in DataValue.objects.filter(unit=bo_y)] == [Decimal(4)]


def test_a_saved_text_cell_has_no_total(client, make_user, bo_y):
    # given a form with a text indicator
    Indicator.objects.create(code="TEST_NOTE", name="Ghi chú", value_type="text")
    form = _form(["TEST_NOTE"])
    client.force_login(make_user("boy_nhap", Role.DATA_ENTRY, (bo_y,)))
    # when a note is saved
    response = client.post(_cell_url(form, bo_y, "TEST_NOTE"), {"value": "Đã họp"})
    # then the cell is saved and has no total under it
    html = response.content.decode()
    assert 'class="ok"' in html
    assert "cell-total" not in html


# The first code is the cell saved: FESTIVAL_EVENTS is counted by the registries ("Theo sổ",
# one query to redraw its figure), WEAPONS_SURRENDERED is typed by hand.
@pytest.mark.parametrize(
    ("codes", "areas", "queries"),
    [
        (ALL_NUMERIC[:1], 1, 19),
        (ALL_NUMERIC, 6, 19),
        (["WEAPONS_SURRENDERED"], 1, 18),
        (["WEAPONS_SURRENDERED", *ALL_NUMERIC], 6, 18),
    ],
)
def test_a_saved_cell_with_its_total_runs_the_same_queries_whatever_the_form_and_subtree(
    client, make_user, bo_y, make_area, django_assert_num_queries, codes, areas, queries
):
    # given a form of one indicator and a village, or of eight or nine and six villages, every
    # cell holding a value
    form = _form(codes)
    for n in range(areas):
        area = make_area(bo_y, f"Thôn {n}")
        for code in codes:
            _put(code, area, n + 1)
    client.force_login(make_user("boy_nhap", Role.DATA_ENTRY, (bo_y,)))
    client.post(_cell_url(form, bo_y, codes[0]), {"value": "1"})  # Django's caches warmed
    # when the cell is saved again: reporting's save and redraw (17 for a cell the registries
    # count, 16 for a typed one, as reporting/tests/test_view_queries.py counts them), and the
    # roll-up of its one total: the unit's own value and its row of totals (2)
    with django_assert_num_queries(queries):
        response = client.post(_cell_url(form, bo_y, codes[0]), {"value": "2", "version": "1"})
    # then
    assert _cell_total(response.content.decode()) == (
        f"Số liệu của riêng đơn vị; tổng cả đơn vị trực thuộc: {2 + sum(range(1, areas + 1))}"
    )


def test_unchanged_totals_are_answered_304_without_a_body_and_changed_ones_in_full(
    boy_client, bo_y
):
    # given the totals fragment fetched once, with its ETag
    form = _form(["FESTIVAL_EVENTS"])
    _put("FESTIVAL_EVENTS", bo_y, 4)
    first = boy_client.get(_url(form, bo_y))
    assert (first.status_code, first["Cache-Control"]) == (200, "private, no-cache")
    # when it is asked again with that ETag and nothing changed
    again = boy_client.get(_url(form, bo_y), headers={"if-none-match": first["ETag"]})
    # then it is not sent again
    assert (again.status_code, again.content) == (304, b"")
    # when a value changes, then the same ETag gets the new totals
    DataValue.objects.filter(unit=bo_y).update(number=Decimal(9), value="9")
    changed = boy_client.get(_url(form, bo_y), headers={"if-none-match": first["ETag"]})
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    assert _shown(changed.content.decode()) == {
        "FESTIVAL_EVENTS": "Số liệu của riêng đơn vị; tổng cả đơn vị trực thuộc: 9"
    }
