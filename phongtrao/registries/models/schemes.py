"""Community safety models (mô hình), the places they run (điểm) and their yearly review."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from phongtrao.core.models import TimestampedModel
from phongtrao.registries.models.base import YEAR_VALIDATORS, RegistryEntry

# The type whose schemes SCHEMES_DAN_VAN_KHEO counts; its code is fixed by the seed migration.
DAN_VAN_KHEO = "dan_van_kheo"


class SchemeType(TimestampedModel):
    """The editable taxonomy of models; `code` is stable, the name is what people read."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("model type")
        verbose_name_plural = _("model types")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class SchemeField(models.TextChoices):
    SECURITY = "security", _("security and order")
    CRIME = "crime", _("crime prevention")
    DRUGS = "drugs", _("drug prevention")
    FIRE = "fire", _("fire prevention and fighting")
    TRAFFIC = "traffic", _("traffic safety")
    MEDIATION = "mediation", _("mediation")
    OTHER = "other", _("other")


class SchemeLevel(models.TextChoices):
    COMMUNE = "commune", _("commune")
    PROVINCE = "province", _("province")


class Scheme(RegistryEntry):
    name = models.CharField(_("name"), max_length=300)
    scheme_type = models.ForeignKey(
        SchemeType,
        verbose_name=pgettext_lazy("registry entry", "type"),
        on_delete=models.PROTECT,
        related_name="schemes",
    )
    field = models.CharField(
        pgettext_lazy("domain", "field"),
        max_length=20,
        choices=SchemeField.choices,
        default=SchemeField.SECURITY,
    )
    level = models.CharField(
        _("level"), max_length=10, choices=SchemeLevel.choices, default=SchemeLevel.COMMUNE
    )
    founded_on = models.DateField(_("founded on"))
    description = models.TextField(_("description"), blank=True)

    search_fields = ("name", "description")
    date_field = "founded_on"

    class Meta:
        verbose_name = _("model")
        verbose_name_plural = _("models")
        ordering = ["-year", "name", "pk"]
        indexes = [models.Index(fields=["year", "deleted_at"])]

    def __str__(self) -> str:
        return self.name


class SchemePoint(TimestampedModel):
    """A place where a model runs; a point started in a later year makes that year "replicated"."""

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("model"), on_delete=models.CASCADE, related_name="points"
    )
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("place"), on_delete=models.PROTECT, related_name="+"
    )
    started_on = models.DateField(_("started on"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("model point")
        verbose_name_plural = _("model points")
        ordering = ["started_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "unit"], name="scheme_point_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} · {self.unit}"

    def clean(self) -> None:
        if self.scheme_id and self.started_on and self.started_on < self.scheme.founded_on:
            raise ValidationError(
                {"started_on": _("A point cannot start before the model was founded.")}
            )


class ReviewStatus(models.TextChoices):
    MAINTAINED = "maintained", _("maintained")
    REPLICATED = "replicated", _("replicated")
    NEW = "new", _("newly built")
    DISSOLVED = "dissolved", _("dissolved")


class Rating(models.TextChoices):
    GOOD = "good", _("good")
    FAIR = "fair", _("fair")
    AVERAGE = "average", _("average")
    POOR = "poor", _("poor")


class SchemeReview(TimestampedModel):
    scheme = models.ForeignKey(
        Scheme, verbose_name=_("model"), on_delete=models.CASCADE, related_name="reviews"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    status = models.CharField(_("status"), max_length=12, choices=ReviewStatus.choices)
    rating = models.CharField(_("effectiveness"), max_length=10, choices=Rating.choices, blank=True)
    comment = models.TextField(pgettext_lazy("review", "comment"), blank=True)

    class Meta:
        verbose_name = _("model year review")
        verbose_name_plural = _("model year reviews")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "year"], name="scheme_review_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} · {self.year}"

    def clean(self) -> None:
        if self.scheme_id and self.year and self.year < self.scheme.founded_on.year:
            raise ValidationError({"year": _("The model did not exist yet in that year.")})
        new = self.scheme_id and self.status == ReviewStatus.NEW and self.year
        if new and self.year != self.scheme.founded_on.year:  # noqa: SIM102
            raise ValidationError(
                {"status": _("A model is newly built only in the year it was founded.")}
            )
