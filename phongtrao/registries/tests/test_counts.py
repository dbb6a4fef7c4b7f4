"""What the narrative reports count in the registries, over the subtrees of given paths."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from phongtrao.registries.models import (
    FestivalEvent,
    Grade,
    Rating,
    ReviewStatus,
    Scheme,
    SchemeReview,
    SchemeType,
    SecurityTeam,
    TeamGrading,
)
from phongtrao.registries.selectors import display_value
from phongtrao.registries.selectors.counts import (
    festival_event_most_attended,
    review_rating_counts,
    team_grade_counts,
)

pytestmark = pytest.mark.django_db


def _scheme(unit, n: int) -> Scheme:
    return Scheme.objects.create(
        unit=unit, year=2019, name=f"Mô hình {n}", founded_on=date(2019, 1, 1),
        scheme_type=SchemeType.objects.get(code="camera_an_ninh"),
    )  # fmt: skip


def test_reviews_are_counted_by_rating_without_dissolved_unrated_or_deleted(
    make_area, bo_y, cam_thanh
):
    # given in Bờ Y's subtree: two good, one fair, one dissolved, one unrated, one deleted,
    # and a good one in another commune
    village = make_area(bo_y, "Thôn Một")
    reviews = [(village, ReviewStatus.MAINTAINED, Rating.GOOD),
               (bo_y, ReviewStatus.NEW, Rating.GOOD), (bo_y, ReviewStatus.MAINTAINED, Rating.FAIR),
               (bo_y, ReviewStatus.DISSOLVED, Rating.POOR), (bo_y, ReviewStatus.MAINTAINED, ""),
               (bo_y, ReviewStatus.MAINTAINED, Rating.GOOD),
               (cam_thanh, ReviewStatus.MAINTAINED, Rating.GOOD)]  # fmt: skip
    for n, (unit, status, rating) in enumerate(reviews):
        SchemeReview.objects.create(
            scheme=_scheme(unit, n), year=2020, status=status, rating=rating
        )
    Scheme.objects.filter(name="Mô hình 5").update(deleted_at=timezone.now())
    # when / then
    counts = review_rating_counts(paths=[bo_y.path], year=2020)
    assert counts == {Rating.GOOD: 2, Rating.FAIR: 1}
    assert review_rating_counts(paths=[bo_y.path], year=2019) == {}


def test_teams_are_counted_by_the_grade_of_the_year(bo_y, cam_thanh):
    for n, (unit, grade) in enumerate(
        [
            (bo_y, Grade.EXCELLENT),
            (bo_y, Grade.EXCELLENT),
            (bo_y, Grade.GOOD),
            (cam_thanh, Grade.GOOD),
        ]
    ):
        team = SecurityTeam.objects.create(
            unit=unit, year=2019, name=f"Tổ {n}", established_on=date(2018, 1, 1)
        )
        TeamGrading.objects.create(team=team, year=2020, grade=grade)
    assert team_grade_counts(paths=[bo_y.path], year=2020) == {Grade.EXCELLENT: 2, Grade.GOOD: 1}
    assert team_grade_counts(paths=[bo_y.path, cam_thanh.path], year=2020) == {
        Grade.EXCELLENT: 2,
        Grade.GOOD: 2,
    }


def test_the_most_attended_event_under_any_of_the_paths(bo_y, plei_kan):
    FestivalEvent.objects.create(
        unit=bo_y, year=2019, held_on=date(2019, 8, 19), venue="Xã", participants=300
    )
    old = FestivalEvent.objects.create(
        unit=plei_kan, year=2019, held_on=date(2019, 8, 18), venue="Thị trấn", participants=500
    )
    assert festival_event_most_attended(paths=[bo_y.path, plei_kan.path], year=2019) == old
    assert festival_event_most_attended(paths=[bo_y.path], year=2019).participants == 300
    assert festival_event_most_attended(paths=[bo_y.path], year=2020) is None


def test_the_registries_figure_of_a_cell_is_grouped_the_vietnamese_way():
    # given a cell whose registries count 20.500.000 đồng of gifts
    cell = SimpleNamespace(
        derived=Decimal(20500000), derived_mismatch=False, indicator=SimpleNamespace(code="X")
    )
    # when
    html = render_to_string("registries/_derived.html", {"cell": cell})
    # then not "Theo sổ: 20500000"
    assert "Theo sổ: <strong>20.500.000</strong>" in html


def test_a_year_is_shown_without_grouping_and_a_count_with_it(bo_y):
    # given a festival of 2026 with 1.200 participants
    event = FestivalEvent(
        unit=bo_y, year=2026, held_on=date(2026, 8, 19), venue="Sân", participants=1200
    )
    # when / then
    assert (display_value(event, "year"), display_value(event, "participants")) == (
        "2026", "1.200",
    )  # fmt: skip
