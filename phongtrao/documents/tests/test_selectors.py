"""What the reports read: the registries' most attended festival event."""

from datetime import date

import pytest
from django.utils import timezone

from phongtrao.documents.selectors import standout_festival_event
from phongtrao.registries.models import FestivalEvent

pytestmark = pytest.mark.django_db


def _event(unit, day, people, venue="Nhà văn hóa"):
    return FestivalEvent.objects.create(
        unit=unit, year=day.year, held_on=day, venue=venue, participants=people
    )


def test_the_most_attended_event_of_the_subtree_and_year_is_chosen(bo_y, make_area, cam_thanh):
    # given events in Bờ Y, in one of its villages, in another commune, and in another year
    village = make_area(bo_y, "Thôn Đăk Răng")
    _event(bo_y, date(2024, 8, 19), 300)
    _event(village, date(2024, 8, 18), 450, venue="Sân thôn Đăk Răng")
    _event(cam_thanh, date(2024, 8, 19), 900)
    _event(bo_y, date(2023, 8, 19), 800)
    # when
    found = standout_festival_event(unit=bo_y, year=2024, boundaries="current")
    # then the village's, the biggest of Bờ Y's own subtree that year
    assert found == ("Sân thôn Đăk Răng", "Thôn Đăk Răng", date(2024, 8, 18), 450)


def test_a_deleted_event_is_not_named(bo_y):
    # given the biggest event deleted
    big = _event(bo_y, date(2024, 8, 19), 900)
    _event(bo_y, date(2024, 8, 20), 100, venue="Trường học")
    FestivalEvent.objects.filter(pk=big.pk).update(deleted_at=timezone.now())
    # when
    found = standout_festival_event(unit=bo_y, year=2024, boundaries="current")
    # then
    assert found == ("Trường học", "Xã Bờ Y", date(2024, 8, 20), 100)


def test_in_todays_boundaries_the_old_communes_events_count(bo_y, plei_kan):
    # given an event of 2019 kept in the books of Thị trấn Plei Kần, now part of Xã Bờ Y
    _event(plei_kan, date(2019, 8, 19), 500)
    # when Bờ Y's 2019 report is written in today's boundaries, and Plei Kần's in its own
    today = standout_festival_event(unit=bo_y, year=2019, boundaries="current")
    then = standout_festival_event(unit=plei_kan, year=2019, boundaries="historical")
    # then both name it
    assert today == then == ("Nhà văn hóa", "Thị trấn Plei Kần", date(2019, 8, 19), 500)
