"""Security teams: members and the yearly grading with its cap on "completed excellently".

The cap (Law of 2023 on forces protecting security at the grassroots and its circular): within
a commune, those graded "completed excellently" may be at most 20% of those graded "completed
well", counted separately for teams and for members, each year.
"""

from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.registries.models import (
    Grade,
    MemberGrading,
    SecurityTeam,
    TeamGrading,
    TeamMember,
)
from phongtrao.registries.services.base import child_delete, child_save, entry_lock
from phongtrao.units.models import Unit, UnitKind

EXCELLENT_SHARE_PERCENT = 20


def team_commune(team: SecurityTeam) -> Unit:
    """The commune a team belongs to: its own unit, or the commune above it."""
    unit = team.unit
    if unit.kind in (UnitKind.COMMUNE, UnitKind.PROVINCE):
        return unit
    return Unit.objects.filter(pk__in=unit.ancestor_ids, kind=UnitKind.COMMUNE).first() or unit


def _check_cap(*, model: type, team_path: str, commune: Unit, year: int, what: str) -> None:
    counts = model.objects.filter(
        **{
            f"{team_path}deleted_at__isnull": True,
            f"{team_path}unit__path__startswith": commune.path,
        },
        year=year,
    ).aggregate(
        excellent=Count("pk", filter=Q(grade=Grade.EXCELLENT)),
        good=Count("pk", filter=Q(grade=Grade.GOOD)),
    )
    excellent, good = counts["excellent"], counts["good"]
    if excellent * 100 > good * EXCELLENT_SHARE_PERCENT:
        allowed = good * EXCELLENT_SHARE_PERCENT // 100
        raise AppError(
            ErrorCode.INVALID,
            _(
                "In %(commune)s for %(year)d, %(what)s graded “completed excellently” may be at "
                "most 20%% of those graded “completed well” (%(good)d), that is %(allowed)d; "
                "this grading would make %(excellent)d."
            )
            % {
                "commune": commune.name, "year": year, "what": what, "good": good,
                "allowed": allowed, "excellent": excellent,
            },
        )  # fmt: skip


@transaction.atomic
def team_grade(
    *, actor: Any, team: SecurityTeam, year: int, grade: str, source: str = "web"
) -> TeamGrading:
    # Locking the commune's row serialises gradings there, so two at once cannot pass the cap.
    commune = team_commune(team)
    Unit.objects.select_for_update().filter(pk=commune.pk).first()
    team = entry_lock(team)
    grading = TeamGrading.objects.filter(team=team, year=year).first() or TeamGrading(
        team=team, year=year
    )
    grading.grade = grade
    child_save(actor=actor, entry=team, child=grading, source=source)
    _check_cap(model=TeamGrading, team_path="team__", commune=commune, year=year, what=_("teams"))
    return grading


@transaction.atomic
def member_grade(
    *, actor: Any, member: TeamMember, year: int, grade: str, source: str = "web"
) -> MemberGrading:
    team = member.team
    commune = team_commune(team)
    Unit.objects.select_for_update().filter(pk=commune.pk).first()
    grading = MemberGrading.objects.filter(member=member, year=year).first() or MemberGrading(
        member=member, year=year
    )
    grading.grade = grade
    child_save(actor=actor, entry=team, child=grading, source=source)
    _check_cap(
        model=MemberGrading, team_path="member__team__", commune=commune, year=year,
        what=_("members"),
    )  # fmt: skip
    return grading


@transaction.atomic
def team_member_save(
    *, actor: Any, team: SecurityTeam, member: TeamMember, source: str = "web"
) -> TeamMember:
    member.team = team
    return child_save(actor=actor, entry=team, child=member, source=source)


@transaction.atomic
def team_member_remove(*, actor: Any, member: TeamMember, source: str = "web") -> None:
    child_delete(actor=actor, entry=member.team, child=member, source=source)
