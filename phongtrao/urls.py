from django.urls import include, path

from phongtrao.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("phongtrao.accounts.urls")),
    path("units/", include("phongtrao.units.urls")),
    path("catalog/", include("phongtrao.catalog.urls")),
    path("reporting/", include("phongtrao.reporting.urls")),
    path("registries/", include("phongtrao.registries.urls")),
    path("extraction/", include("phongtrao.extraction.urls")),
    path("audit/", include("phongtrao.core.urls")),
    path("documents/", include("phongtrao.documents.urls")),
]
