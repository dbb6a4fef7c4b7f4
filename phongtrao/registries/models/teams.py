"""Security teams (Tổ bảo vệ an ninh, trật tự), their members and their yearly grading."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from phongtrao.core.models import TimestampedModel
from phongtrao.registries.models.base import YEAR_VALIDATORS, RegistryEntry


class TeamRole(models.TextChoices):
    LEADER = "leader", _("team leader (Tổ trưởng)")
    DEPUTY = "deputy", _("deputy leader (Tổ phó)")
    MEMBER = "member", _("member (Tổ viên)")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("completed excellently")
    GOOD = "good", _("completed well")
    COMPLETED = "completed", _("completed")
    NOT_COMPLETED = "not_completed", _("not completed")


class SecurityTeam(RegistryEntry):
    """`unit` is the commune; `areas` are the residential areas the team covers."""

    name = models.CharField(_("name"), max_length=200)
    areas = models.ManyToManyField(
        "units.Unit", verbose_name=_("residential areas covered"), related_name="+"
    )
    established_on = models.DateField(_("established on"))
    decision = models.CharField(_("decision"), max_length=120, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)

    search_fields = ("name", "decision")
    date_field = "established_on"

    class Meta:
        verbose_name = _("security team")
        verbose_name_plural = _("security teams")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.dissolved_on and self.established_on and self.dissolved_on < self.established_on:
            raise ValidationError(
                {"dissolved_on": _("A team cannot be dissolved before it was established.")}
            )


class TeamMember(TimestampedModel):
    """Personal data the law requires: name, role, appointment; nothing more."""

    team = models.ForeignKey(
        SecurityTeam, verbose_name=_("security team"), on_delete=models.CASCADE,
        related_name="members",
    )  # fmt: skip
    full_name = models.CharField(pgettext_lazy("person", "full name"), max_length=150)
    role = models.CharField(
        pgettext_lazy("team member", "role"), max_length=10, choices=TeamRole.choices
    )
    appointed_on = models.DateField(_("appointed on"))
    decision = models.CharField(_("appointment decision"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["role", "full_name", "pk"]

    def __str__(self) -> str:
        return self.full_name

    def clean(self) -> None:
        if self.left_on and self.appointed_on and self.left_on < self.appointed_on:
            raise ValidationError({"left_on": _("A member cannot leave before being appointed.")})


class TeamGrading(TimestampedModel):
    team = models.ForeignKey(
        SecurityTeam, verbose_name=_("security team"), on_delete=models.CASCADE,
        related_name="gradings",
    )  # fmt: skip
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    grade = models.CharField(_("grade"), max_length=16, choices=Grade.choices)

    class Meta:
        verbose_name = _("team grading")
        verbose_name_plural = _("team gradings")
        constraints = [models.UniqueConstraint(fields=["team", "year"], name="team_grading_unique")]

    def __str__(self) -> str:
        return f"{self.team} · {self.year}"


class MemberGrading(TimestampedModel):
    member = models.ForeignKey(
        TeamMember, verbose_name=_("team member"), on_delete=models.CASCADE,
        related_name="gradings",
    )  # fmt: skip
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    grade = models.CharField(_("grade"), max_length=16, choices=Grade.choices)

    class Meta:
        verbose_name = _("member grading")
        verbose_name_plural = _("member gradings")
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="member_grading_unique")
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.year}"
