"""The attached file of an entry (a pact's text, a plan), for the registries that keep one."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Attachment(models.Model):
    """A file kept under MEDIA_ROOT/registries, served only through a scoped view."""

    attachment = models.CharField(_("attached file"), max_length=300, blank=True, editable=False)
    attachment_name = models.CharField(
        _("attached file name"), max_length=200, blank=True, editable=False
    )

    # The audit shows the file's name, not where it is stored.
    audit_hidden = ("attachment",)

    class Meta:
        abstract = True
