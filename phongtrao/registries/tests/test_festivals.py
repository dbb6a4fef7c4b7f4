import io
from datetime import date

import pytest
from PIL import Image

from phongtrao.core.forms import VietnameseDecimalField, VietnameseIntegerField
from phongtrao.registries.forms import (
    EntryForm,
    FestivalEventForm,
    FieldMissionForm,
    OutreachForm,
)
from phongtrao.registries.models import FestivalEvent, is_year_field
from phongtrao.registries.registry import FESTIVALS
from phongtrao.registries.selectors import display_value
from phongtrao.registries.services.festivals import festival_photo_add
from phongtrao.registries.tests.base import RegistryTestBase

pytestmark = pytest.mark.django_db


class TestFestivalEvents(RegistryTestBase):
    registry = FESTIVALS
    search = "venue"
    changes = {"participants": 320}
    number_column = "Số người tham dự"
    related = "photos"

    def data(self, unit, area):
        return {
            "unit": unit, "held_on": date(2025, 8, 19), "venue": "Nhà văn hóa thôn Iệc",
            "participants": 250, "has_rally": True, "has_gifts": True, "gifts_value_vnd": 5_000_000,
        }  # fmt: skip

    def add_related(self, actor, entry, units):
        for unit in units:
            image = io.BytesIO()
            Image.new("RGB", (40, 30), (200, 30, 30)).save(image, "JPEG")
            festival_photo_add(
                actor=actor, event=entry, name="anh.jpg", content=image.getvalue(),
                caption=unit.name,
            )  # fmt: skip


def _festival_form(user, bo_y, **numbers):
    data = {"unit": bo_y.pk, "held_on": "2025-08-19", "venue": "Nhà văn hóa thôn Iệc", **numbers}
    return FestivalEventForm(data=data, user=user)


def test_a_registry_form_reads_numbers_as_the_entry_grid_does(make_user, bo_y):
    # given a festival with 1.200 participants and gifts worth 20.500.000 đồng
    clerk = make_user("boy_nhaplieu", units=(bo_y,))
    form = _festival_form(clerk, bo_y, participants="1.200", gifts_value_vnd="20.500.000")
    # when
    valid = form.is_valid()
    # then
    assert valid, form.errors
    assert (form.cleaned_data["participants"], form.cleaned_data["gifts_value_vnd"]) == (
        1200, 20500000,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("numbers", "errors"),
    [
        (
            {"participants": "1e5", "gifts_value_vnd": "0"},
            {"participants": ["“1e5” viết dạng số mũ; hãy viết đầy đủ con số."]},
        ),
        (
            {"participants": "1", "gifts_value_vnd": "2,5"},
            {"gifts_value_vnd": ["2,5 không phải là số nguyên."]},
        ),
    ],
)
def test_a_registry_form_refuses_bad_numbers_in_vietnamese(make_user, bo_y, numbers, errors):
    # given
    clerk = make_user("boy_nhaplieu", units=(bo_y,))
    form = _festival_form(clerk, bo_y, **numbers)
    # when / then
    assert (form.is_valid(), dict(form.errors)) == (False, errors)


def test_every_count_and_amount_of_the_registry_forms_reads_vietnamese_numbers(make_user, bo_y):
    # given
    clerk = make_user("boy_nhaplieu", units=(bo_y,))
    # when
    fields = {
        name: type(form(user=clerk).fields[name]).__name__
        for form, names in (
            (FestivalEventForm, ("participants", "gifts_value_vnd")),
            (OutreachForm, ("items", "audience")),
            (FieldMissionForm, ("officer_visits", "households_visited", "meetings_held")),
        )
        for name in names
    }
    # then
    assert fields == {
        "participants": VietnameseIntegerField.__name__,
        "gifts_value_vnd": VietnameseDecimalField.__name__,
        "items": VietnameseIntegerField.__name__,
        "audience": VietnameseIntegerField.__name__,
        "officer_visits": VietnameseIntegerField.__name__,
        "households_visited": VietnameseIntegerField.__name__,
        "meetings_held": VietnameseIntegerField.__name__,
    }


class _FestivalYearForm(EntryForm):
    class Meta:
        model = FestivalEvent
        fields = ["unit", "year", "participants"]


def test_a_year_is_typed_as_digits_and_shown_without_grouping_by_one_rule(make_user, bo_y):
    # given the one rule: which fields hold a year
    assert [is_year_field(n) for n in ("year", "founding_year", "participants", "yearly")] == [
        True, True, False, False,
    ]  # fmt: skip
    # when a registry form offers a year and a count
    form = _FestivalYearForm(user=make_user("boy_nhaplieu", units=(bo_y,)))
    fields = {name: type(form.fields[name]).__name__ for name in ("year", "participants")}
    # then the year is a plain number field, the count reads "1.200"; and pages show the year
    # "2026", the count "1.200"
    assert fields == {"year": "IntegerField", "participants": VietnameseIntegerField.__name__}
    event = FestivalEvent(unit=bo_y, year=2026, participants=1200)
    assert (display_value(event, "year"), display_value(event, "participants")) == (
        "2026", "1.200",
    )  # fmt: skip
