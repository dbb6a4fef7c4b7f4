from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from phongtrao.core.roles import ROLE_RANK, Role


class User(AbstractUser):
    # Vietnamese names are written whole ("Nguyễn Văn An"); splitting them into first and last
    # names does not fit, so the whole name lives here and first/last names stay unused.
    full_name = models.CharField(pgettext_lazy("person", "full name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.VIEWER)
    units = models.ManyToManyField(
        "units.Unit",
        verbose_name=_("units"),
        blank=True,
        related_name="users",
        help_text=_("The user sees and changes these units and everything below them."),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    position = models.CharField(_("position"), max_length=120, blank=True)
    # Diacritic-free user name and full name, so "nguyen van an" finds "Nguyễn Văn An" on
    # SQLite and PostgreSQL alike; kept up to date by the services.
    search_key = models.CharField(
        _("search key"), max_length=400, blank=True, db_index=True, editable=False
    )

    # Django's own label, "superuser status", reads "Trạng thái superuser" in its catalogue.
    audit_labels = {"is_superuser": _("rights over the whole country")}

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name()

    def has_role(self, role: str) -> bool:
        if self.is_superuser:
            return True
        return ROLE_RANK.get(self.role, -1) >= ROLE_RANK[role]

    @property
    def administers(self) -> bool:
        """For the menu: an administrator or anyone above (templates cannot call has_role)."""
        return self.has_role(Role.ADMIN)


class LoginCounter(models.Model):
    """Login attempts under one key within its current window.

    A key is an address, a user name tried from browsers unknown to its owner, or one browser
    its owner logged in from (a device cookie). The count is raised by one UPDATE before the
    password is checked, so parallel attempts each see a count of their own.
    """

    key = models.CharField(_("key"), max_length=200, unique=True)
    # The account the key limits (empty for an address), so an unlock finds its keys.
    username = models.CharField(_("user name"), max_length=150, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    window_start = models.DateTimeField(_("window start"), db_index=True)

    class Meta:
        verbose_name = _("login counter")
        verbose_name_plural = _("login counters")

    def __str__(self) -> str:
        return f"{self.key} {self.attempts}"
