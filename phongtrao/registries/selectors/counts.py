"""The registries counted for a narrative report: reviews by rating, teams by grade, and the
year's best-attended festival event, over the subtrees of the given materialised paths.

The caller gives the paths (a unit's own, or in today's boundaries also its predecessors'),
so the registries need not know how reporting rolls a unit up. Deleted entries never count.
"""

from django.db.models import Count, Q

from phongtrao.registries.models import FestivalEvent, ReviewStatus, SchemeReview, TeamGrading


def _under(paths: list[str], field: str) -> Q:
    within = Q()
    for path in paths:
        within |= Q(**{f"{field}__startswith": path})
    return within


def review_rating_counts(*, paths: list[str], year: int) -> dict[str, int]:
    """Models reviewed in the year, by rating; unrated and dissolved ones are left out."""
    rows = (
        SchemeReview.objects.filter(
            _under(paths, "scheme__unit__path"), year=year, scheme__deleted_at__isnull=True
        )
        .exclude(rating="")
        .exclude(status=ReviewStatus.DISSOLVED)
        .values("rating")
        .annotate(n=Count("pk"))
    )
    return {row["rating"]: row["n"] for row in rows}


def team_grade_counts(*, paths: list[str], year: int) -> dict[str, int]:
    """Security teams by the grade of their year's grading."""
    rows = (
        TeamGrading.objects.filter(
            _under(paths, "team__unit__path"), year=year, team__deleted_at__isnull=True
        )
        .values("grade")
        .annotate(n=Count("pk"))
    )
    return {row["grade"]: row["n"] for row in rows}


def festival_event_most_attended(*, paths: list[str], year: int) -> FestivalEvent | None:
    """The year's festival event with the most participants; the earliest of equals."""
    return (
        FestivalEvent.objects.alive()
        .filter(_under(paths, "unit__path"), held_on__year=year)
        .filter(participants__gt=0)
        .select_related("unit")
        .order_by("-participants", "held_on", "pk")
        .first()
    )
