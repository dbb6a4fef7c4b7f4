from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    VIEWER = "viewer", _("Viewer")
    DATA_ENTRY = "data_entry", _("Data entry")
    APPROVER = "approver", _("Approver")
    ADMIN = "admin", _("Administrator")


# Each role can do everything the roles before it can.
ROLE_RANK = {role: rank for rank, role in enumerate(Role.values)}


class User(AbstractUser):
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

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def has_role(self, role: str) -> bool:
        if self.is_superuser:
            return True
        return ROLE_RANK.get(self.role, -1) >= ROLE_RANK[role]


class LoginFailure(models.Model):
    """Failed logins, counted per user name to slow down password guessing."""

    username = models.CharField(_("user name"), max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("failed login")
        verbose_name_plural = _("failed logins")

    def __str__(self) -> str:
        return f"{self.username} {self.at:%d/%m/%Y %H:%M}"
