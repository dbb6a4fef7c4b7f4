"""The demo's password, published in the README and printed by `phongtrao demo`."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DEMO_PASSWORD = "PhongTrao@2026"


class NotDemoPasswordValidator:
    """Refuses the demo password to anyone setting a password, demo or not: it is public."""

    def validate(self, password: str, user: Any = None) -> None:
        if password == DEMO_PASSWORD:
            raise ValidationError(
                _("This is the demo password, known to everyone. Choose another."),
                code="password_is_demo",
            )

    def get_help_text(self) -> str:
        return _("Your password cannot be the demo password.")
