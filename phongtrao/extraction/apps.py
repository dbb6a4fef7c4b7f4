from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExtractionConfig(AppConfig):
    name = "phongtrao.extraction"
    label = "extraction"
    verbose_name = _("Report extraction")
    # The menu entry in base.html; named here so this app's catalogue translates it.
    menu_label = _("Old reports")
