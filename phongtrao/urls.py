from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from phongtrao.analytics import views_dashboards

urlpatterns = [
    # The home page: what to do now, over the dashboard of the user's unit.
    path("", views_dashboards.home, name="home"),
    # Choosing the language must work on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("accounts/", include("phongtrao.accounts.urls")),
    path("units/", include("phongtrao.units.urls")),
    path("catalog/", include("phongtrao.catalog.urls")),
    path("reporting/", include("phongtrao.reporting.urls")),
    path("registries/", include("phongtrao.registries.urls")),
    path("extraction/", include("phongtrao.extraction.urls")),
    path("audit/", include("phongtrao.accounts.audit_urls")),
    path("documents/", include("phongtrao.documents.urls")),
    path("analytics/", include("phongtrao.analytics.urls")),
    path("notifications/", include("phongtrao.notifications.urls")),
]

handler500 = "phongtrao.core.errorpages.server_error"
