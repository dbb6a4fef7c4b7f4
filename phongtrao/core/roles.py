"""The roles a user may hold, ranked: each can do everything the roles before it can.

Kept on the ground floor, not with the users in accounts, because every floor checks them
(units' own screens and services need "data entry" too) and nothing here needs a user: a check
asks `user.has_role(...)`, which accounts' User answers from this ranking.
"""

from django.db import models
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    # A context of their own: "Data entry" is also the menu entry, translated differently.
    VIEWER = "viewer", pgettext_lazy("role", "Viewer")
    DATA_ENTRY = "data_entry", pgettext_lazy("role", "Data entry")
    APPROVER = "approver", pgettext_lazy("role", "Approver")
    ADMIN = "admin", pgettext_lazy("role", "Administrator")
    # Owns the national catalogue (indicators, forms, rules) that every province reports on.
    NATIONAL_ADMIN = "national_admin", pgettext_lazy("role", "National administrator")


# Each role can do everything the roles before it can.
ROLE_RANK = {role: rank for rank, role in enumerate(Role.values)}
