from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    """Rolled-up figures to read: pivot tables, dashboards and the map, over reporting's one
    roll-up engine (reporting/rollup.py), which the entry screen and the reports use too."""

    name = "phongtrao.analytics"
    label = "analytics"
    verbose_name = _("Analytics")
