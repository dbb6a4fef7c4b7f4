from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    RESTORE = "restore", _("Restored")
    # Exports of personal data are logged (DESIGN.md, data and privacy rules).
    EXPORT = "export", _("Exported")


class AuditEvent(models.Model):
    """Who changed what, when: one row per create, change or delete made through a service."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=16, choices=AuditAction.choices)
    # No index of its own: the (content_type, object_id) index below starts with it.
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("object type"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=300)
    # The unit the object belongs to, so the audit is filtered by the same scope as the data.
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The unit's path when the event was recorded: the audit stays in its readers' scope even
    # after the unit itself is deleted (the foreign key then becomes empty).
    unit_path = models.CharField(_("unit path"), max_length=255, blank=True, db_index=True)
    changes = models.JSONField(_("changes"), default=dict)
    source = models.CharField(_("source"), max_length=32, default="web")
    # Where the change came from, when it can be opened (the report a figure was extracted from).
    link = models.CharField(_("source link"), max_length=300, blank=True, default="")
    # The object this one belongs to (a model's point, a team's member), so the owner's history
    # also lists the changes of its parts, deleted ones included.
    parent_type = models.ForeignKey(
        ContentType,
        verbose_name=_("parent object type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    parent_id = models.CharField(_("parent object id"), max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            # Partial: the many events that belong to no parent (every imported value) stay out.
            models.Index(
                fields=["parent_type", "parent_id"],
                condition=models.Q(parent_type__isnull=False),
                name="core_audit_parent_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action} {self.object_repr}"
