from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "phongtrao.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from phongtrao.core.middleware import session_started

        # Every way of logging in (the login page, tests' force_login) starts the working day.
        user_logged_in.connect(session_started, dispatch_uid="phongtrao.session_started")
