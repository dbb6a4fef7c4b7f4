from django.urls import path

from phongtrao.analytics import views

app_name = "analytics"
urlpatterns = [
    path(
        "entry-totals/<str:form_code>/<int:unit_pk>/<str:period>/",
        views.EntryTotalsView.as_view(),
        name="entry_totals",
    ),
]
