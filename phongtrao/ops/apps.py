from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """The top floor: commands about the whole project (backup and restore, the demo, the
    benchmarks), which may import every app below and which no app imports."""

    name = "phongtrao.ops"
    label = "ops"
    verbose_name = _("Operations")
