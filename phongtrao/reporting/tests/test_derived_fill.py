"""Filling the entry screen's cells from the unit's registries (`derived_values_fill`)."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from phongtrao.core.errors import AppError
from phongtrao.core.models import AuditEvent
from phongtrao.registries.models import FestivalEvent
from phongtrao.reporting.models import DataValue, Submission, SubmissionStatus, ValueSource
from phongtrao.reporting.services import data_value_save, derived_values_fill

pytestmark = pytest.mark.django_db


@pytest.fixture
def festivals(bo_y, make_area):
    """Two festival events of 2024: one of Xã Bờ Y itself (950 people), one of a village below
    it (200 people), which is the village's own and never the commune's."""
    village = make_area(bo_y)
    for unit, day, people in ((bo_y, date(2024, 8, 19), 950), (village, date(2024, 8, 18), 200)):
        FestivalEvent.objects.create(
            unit=unit, year=2024, held_on=day, venue="Nhà văn hóa", participants=people
        )


def _stored(form, unit, period="2024") -> dict[str, tuple[str, str]]:
    rows = DataValue.objects.filter(unit=unit, period=period).values_list(
        "indicator__code", "value", "source"
    )
    return {code: (value, source) for code, value, source in rows}


def test_empty_cells_are_filled_with_the_registries_figures(form, bo_y, clerk, festivals):
    # when the clerk fills the form from the registries
    changed = derived_values_fill(actor=clerk, form=form, unit=bo_y, period="2024")
    # then the two festival cells hold the commune's own event, marked as filled from the
    # registries, without the village's; the scheme cells, counted as 0 by empty registries,
    # stay empty
    assert changed == 2
    assert _stored(form, bo_y) == {
        "FESTIVAL_EVENTS": ("1", ValueSource.REGISTRY),
        "FESTIVAL_PARTICIPANTS": ("950", ValueSource.REGISTRY),
    }


def test_each_filled_cell_is_audited_as_the_clerks_change(form, bo_y, clerk, festivals):
    # when
    derived_values_fill(actor=clerk, form=form, unit=bo_y, period="2024")
    # then
    value = DataValue.objects.get(unit=bo_y, period="2024", indicator__code="FESTIVAL_EVENTS")
    event = AuditEvent.objects.get(object_id=str(value.pk), content_type__model="datavalue")
    assert (event.action, event.actor, event.source, event.changes["value"]) == (
        "create", clerk, "registry", [None, "1"],
    )  # fmt: skip


def test_a_typed_figure_is_kept_and_a_filled_one_follows_the_registries(
    form, indicators, bo_y, clerk, festivals
):
    # given a participants figure typed by hand, and the events filled from the registries
    data_value_save(
        actor=clerk, form=form, unit=bo_y, period="2024", indicator=indicators[
            "FESTIVAL_PARTICIPANTS"], raw_value="1.000", expected_version=None,
    )  # fmt: skip
    derived_values_fill(actor=clerk, form=form, unit=bo_y, period="2024")
    # when a second event of the commune is added and the form is filled again
    FestivalEvent.objects.create(
        unit=bo_y, year=2024, held_on=date(2024, 9, 2), venue="Sân bóng", participants=50
    )
    changed = derived_values_fill(actor=clerk, form=form, unit=bo_y, period="2024")
    # then the filled cell follows the registries and the typed one is untouched
    assert changed == 1
    assert _stored(form, bo_y) == {
        "FESTIVAL_EVENTS": ("2", ValueSource.REGISTRY),
        "FESTIVAL_PARTICIPANTS": ("1000", ValueSource.WEB),
    }


def test_an_approved_report_refuses_the_fill_and_nothing_changes(form, bo_y, clerk, festivals):
    # given the report approved
    Submission.objects.create(form=form, unit=bo_y, period="2024", status=SubmissionStatus.APPROVED)
    before = (DataValue.objects.count(), AuditEvent.objects.count())
    # when
    with pytest.raises(AppError) as error:
        derived_values_fill(actor=clerk, form=form, unit=bo_y, period="2024")
    # then
    assert error.value.message == "Báo cáo này ở trạng thái đã duyệt; không thể sửa số liệu nữa."
    assert (DataValue.objects.count(), AuditEvent.objects.count()) == before


def test_the_entry_screen_offers_the_fill_and_says_how_many_cells_changed(
    client, form, bo_y, clerk, festivals
):
    # given the clerk on the entry screen of a unit whose registries count something
    client.force_login(clerk)
    entry = reverse("reporting:entry", args=[form.code, bo_y.pk, "2024"])
    fill = reverse("reporting:fill_derived", args=[form.code, bo_y.pk, "2024"])
    assert f'action="{fill}"' in client.get(entry).content.decode()
    # when the button is pressed
    response = client.post(fill, follow=True)
    # then the screen comes back with the message and the filled cells
    assert response.redirect_chain == [(entry, 302)]
    assert [str(m) for m in response.context["messages"]] == ["Đã điền 2 ô theo sổ."]
    cells = {c.indicator.code: c for s in response.context["sections"] for c in s.cells}
    assert (cells["FESTIVAL_EVENTS"].value.number, cells["FESTIVAL_EVENTS"].derived) == (
        Decimal(1), Decimal(1),
    )  # fmt: skip


def test_a_viewer_cannot_fill(client, form, bo_y, make_user, festivals):
    from phongtrao.core.roles import Role

    # given a viewer of the commune
    client.force_login(make_user("boy_viewer", Role.VIEWER, (bo_y,)))
    fill = reverse("reporting:fill_derived", args=[form.code, bo_y.pk, "2024"])
    # when
    response = client.post(fill)
    # then refused, and nothing stored
    assert response.status_code == 403
    assert DataValue.objects.count() == 0
