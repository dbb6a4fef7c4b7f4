from django.urls import path

from phongtrao.analytics import views, views_dashboards, views_recount
from phongtrao.analytics.pivot_views import PivotView

app_name = "analytics"
urlpatterns = [
    path(
        "entry-totals/<str:form_code>/<int:unit_pk>/<str:period>/",
        views.EntryTotalsView.as_view(),
        name="entry_totals",
    ),
    path(
        "entry/<str:form_code>/<int:unit_pk>/<str:period>/cell/<str:indicator_code>/",
        views.EntryCellView.as_view(),
        name="entry_cell",
    ),
    path("dashboard/<int:pk>/", views_dashboards.DashboardView.as_view(), name="dashboard"),
    path(
        "dashboard/<int:pk>/<str:table>.csv",
        views_dashboards.DashboardCsvView.as_view(),
        name="dashboard_csv",
    ),
    path("map/", views_dashboards.MapView.as_view(), name="country_map"),
    path("map.csv", views_dashboards.MapCsvView.as_view(), name="country_map_csv"),
    path("map/<int:pk>/", views_dashboards.MapView.as_view(), name="map"),
    path("map/<int:pk>.csv", views_dashboards.MapCsvView.as_view(), name="map_csv"),
    path("pivot/", PivotView.as_view(), name="pivot"),
    path("recount/", views_recount.RecountView.as_view(), name="recount"),
]
