from phongtrao.registries.models.awards import AuthorityLevel, Award, AwardForm, RecipientKind
from phongtrao.registries.models.base import RegistryEntry, RegistryQuerySet, is_year_field
from phongtrao.registries.models.festivals import FestivalEvent, FestivalPhoto
from phongtrao.registries.models.field_missions import FieldMission
from phongtrao.registries.models.outreach import Channel, OutreachActivity
from phongtrao.registries.models.pacts import Pact
from phongtrao.registries.models.plans import Plan, PlanReport
from phongtrao.registries.models.schemes import (
    DAN_VAN_KHEO,
    Rating,
    ReviewStatus,
    Scheme,
    SchemeField,
    SchemeLevel,
    SchemePoint,
    SchemeReview,
    SchemeType,
)
from phongtrao.registries.models.submissions import FormSubmission
from phongtrao.registries.models.teams import (
    Grade,
    MemberGrading,
    SecurityTeam,
    TeamGrading,
    TeamMember,
    TeamRole,
)

__all__ = [
    "DAN_VAN_KHEO",
    "AuthorityLevel",
    "Award",
    "AwardForm",
    "Channel",
    "FestivalEvent",
    "FestivalPhoto",
    "FieldMission",
    "FormSubmission",
    "Grade",
    "MemberGrading",
    "OutreachActivity",
    "Pact",
    "Plan",
    "PlanReport",
    "Rating",
    "RecipientKind",
    "RegistryEntry",
    "RegistryQuerySet",
    "ReviewStatus",
    "Scheme",
    "SchemeField",
    "SchemeLevel",
    "SchemePoint",
    "SchemeReview",
    "SchemeType",
    "SecurityTeam",
    "TeamGrading",
    "TeamMember",
    "TeamRole",
    "is_year_field",
]
