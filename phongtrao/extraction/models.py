"""Source documents kept for the record, and which saved values came from which document.

The link is a model of its own rather than only a note in the value's comment: it survives
later edits of the comment, answers "what did this document bring in" in one query, and keeps
the figure as read beside the value the person saved. The comment still names the document,
so the value's history on the entry screen shows where it came from.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from phongtrao.units.scope import scope_q


class SourceDocumentQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> "SourceDocumentQuerySet":
        """Documents of units in the user's scope, and their own not yet given a unit."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(scope_q(user, "unit__path") | Q(unit__isnull=True, uploaded_by=user))


class SourceDocument(models.Model):
    file = models.FileField(_("file"), upload_to="extraction/%Y/%m/")
    name = models.CharField(_("file name"), max_length=255)
    text = models.TextField(_("text as read"))
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    period = models.CharField(_("period"), max_length=8, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    saved_at = models.DateTimeField(_("values saved at"), null=True, blank=True)

    objects = SourceDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("source document")
        verbose_name_plural = _("source documents")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.name


class ExtractedValue(models.Model):
    """One value saved from a document: the figure as read and the value kept."""

    document = models.ForeignKey(
        SourceDocument, verbose_name=_("document"), on_delete=models.CASCADE,
        related_name="extracted_values",
    )  # fmt: skip
    data_value = models.ForeignKey(
        "reporting.DataValue", verbose_name=_("data value"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    indicator = models.ForeignKey(
        "catalog.Indicator", verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("period"), max_length=8)
    value = models.DecimalField(_("value"), max_digits=24, decimal_places=6)
    # What the extractor read for this indicator in the document; empty when it read nothing
    # for it (a value the person added). Differs from `value` when the person corrected it.
    read_value = models.DecimalField(
        _("value as read"), max_digits=24, decimal_places=6, null=True, blank=True
    )
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("saved by"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    saved_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    class Meta:
        verbose_name = _("extracted value")
        verbose_name_plural = _("extracted values")
        ordering = ["document", "indicator__code"]

    def __str__(self) -> str:
        return f"{self.document_id}: {self.indicator_id} = {self.value}"
