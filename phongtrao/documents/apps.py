from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class DocumentsConfig(AppConfig):
    name = "phongtrao.documents"
    label = "documents"
    verbose_name = pgettext_lazy("app", "Documents")
