from phongtrao.registries.models.pacts import (
    AuthorityLevel,
    Award,
    AwardForm,
    Channel,
    FieldMission,
    OutreachActivity,
    Pact,
    RecipientKind,
)
from phongtrao.registries.models.base import RegistryEntry, RegistryQuerySet
from phongtrao.registries.models.festivals import FestivalEvent, FestivalPhoto
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
]
