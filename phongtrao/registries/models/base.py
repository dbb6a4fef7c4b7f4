"""What every registry entry shares: its unit, its year, a search key and a soft delete.

A deleted entry keeps its row (`deleted_at`, `deleted_by`) so the audit can still name it and an
administrator can undo the deletion; every read that counts or lists goes through `.alive()`.
"""

from datetime import date
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from phongtrao.catalog.periods import MAX_YEAR, MIN_YEAR
from phongtrao.core.models import TimestampedModel
from phongtrao.core.text import search_key
from phongtrao.units.scope import ScopedQuerySet

YEAR_VALIDATORS = [MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]


def is_year_field(name: str) -> bool:
    """A year is a name, not a quantity: shown "2026", never "2.026", and typed as digits, not
    read as a Vietnamese number; the forms and the pages ask this one rule."""
    return name == "year" or name.endswith("_year")


class RegistryQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"

    def alive(self) -> "RegistryQuerySet":
        return self.filter(deleted_at__isnull=True)

    def deleted(self) -> "RegistryQuerySet":
        return self.filter(deleted_at__isnull=False)


class RegistryEntry(TimestampedModel):
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS, db_index=True)
    search_key = models.CharField(_("search key"), max_length=600, editable=False, blank=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deleted by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = RegistryQuerySet.as_manager()

    # Fields whose text search finds the entry (the unit's name is always added).
    search_fields: tuple[str, ...] = ()
    # The date the year follows, when the entry has one: people type a date, not a year too.
    date_field: str | None = None

    class Meta:
        abstract = True

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def refresh_derived(self) -> None:
        """Year from the date and the search key; services call it before full_clean."""
        if self.date_field:
            day: date | None = getattr(self, self.date_field)
            if day is not None:
                self.year = day.year
        parts: list[Any] = [getattr(self, name, "") for name in self.search_fields]
        if self.unit_id:
            parts.append(self.unit.name)
        self.search_key = search_key(" ".join(str(p) for p in parts if p))[:600]

    def clean_links(self, links: dict[str, list[Any]]) -> None:
        """Rules on many-to-many links, which full_clean cannot see (they are set after the
        save). `links` holds every many-to-many field with the values the entry will have; the
        services, the forms and the import call it and it raises ValidationError by field."""
