"""Administrative and grassroots units, and how the 2025 reform passed them on.

The hierarchy is a materialised path of ids ("12/345/6789/"), chosen over a closure table
because the tree is shallow (province > district > commune > residential area), a unit row
never changes parent (a unit that moves is a new row with its own validity interval), and a
prefix match on an indexed column gives "descendants of X" in one query on SQLite and
PostgreSQL alike, while "ancestors of X" are the ids already written in X's path.
"""

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from phongtrao.core.models import TimestampedModel
from phongtrao.units.scope import ScopedQuerySet

REFORM_DATE = date(2025, 7, 1)
LEGACY_END = date(2025, 6, 30)


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("province")
    DISTRICT = "district", _("district")
    COMMUNE = "commune", _("commune")
    RESIDENTIAL_AREA = "residential_area", _("residential area")
    AGENCY = "agency", _("agency")
    ENTERPRISE = "enterprise", _("enterprise")
    SCHOOL = "school", _("school")
    POLICE_UNIT = "police_unit", _("police unit")


ADMINISTRATIVE_KINDS = (UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE)
GRASSROOTS_KINDS = (
    UnitKind.RESIDENTIAL_AREA,
    UnitKind.AGENCY,
    UnitKind.ENTERPRISE,
    UnitKind.SCHOOL,
    UnitKind.POLICE_UNIT,
)
KIND_ORDER = [k.value for k in UnitKind]


def valid_on(day: date, prefix: str = "") -> Q:
    """Units in force on `day`; `prefix` reaches them through a relation ("unit__")."""
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


def in_force(valid_from: date | None, valid_to: date | None, day: date) -> bool:
    """`valid_on` in Python, for dates read without their unit (a grouped count)."""
    return (valid_from is None or valid_from <= day) and (valid_to is None or valid_to >= day)


class UnitQuerySet(ScopedQuerySet):
    scope_path_field = "path"

    def valid_on(self, day: date) -> "UnitQuerySet":
        return self.filter(valid_on(day))

    def descendants_of(self, unit: "Unit", *, include_self: bool = False) -> "UnitQuerySet":
        qs = self.filter(path__startswith=unit.path)
        return qs if include_self else qs.exclude(pk=unit.pk)


class Unit(TimestampedModel):
    code = models.CharField(_("code"), max_length=20, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices, db_index=True)
    # The Vietnamese type as officials write it: Tỉnh, Thành phố, Huyện, Xã, Phường, Đặc khu, Thôn …
    type_name = models.CharField(_("type"), max_length=40, blank=True)
    name = models.CharField(_("full name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("path"), max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    search_key = models.CharField(_("search key"), max_length=400, db_index=True, editable=False)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "kind", "valid_from"],
                condition=Q(valid_from__isnull=False),
                name="unit_code_kind_valid_from_unique",
            ),
            models.UniqueConstraint(
                fields=["code", "kind"],
                condition=Q(valid_from__isnull=True),
                name="unit_code_kind_open_start_unique",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_interval",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_valid_on(self, day: date) -> bool:
        return in_force(self.valid_from, self.valid_to, day)

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.split("/") if part][:-1]


class UnitSuccession(models.Model):
    """An old unit handed over, whole or in part, to a new one on `effective_on`."""

    predecessor = models.ForeignKey(
        Unit, verbose_name=_("old unit"), on_delete=models.CASCADE, related_name="successions"
    )
    successor = models.ForeignKey(
        Unit, verbose_name=_("new unit"), on_delete=models.CASCADE, related_name="predecessions"
    )
    # The part of the old unit that went to this successor; 1 when it went whole.
    share = models.DecimalField(_("share"), max_digits=5, decimal_places=4, default=1)
    is_default = models.BooleanField(_("default successor"), default=True)
    effective_on = models.DateField(_("effective on"), default=REFORM_DATE)

    class Meta:
        verbose_name = _("unit succession")
        verbose_name_plural = _("unit successions")
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="unit_succession_unique"
            ),
            models.CheckConstraint(
                condition=Q(share__gt=0) & Q(share__lte=1), name="unit_succession_share_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"
