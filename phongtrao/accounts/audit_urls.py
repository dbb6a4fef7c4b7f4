from django.urls import path

from phongtrao.accounts import audit_views as views

app_name = "audit"
urlpatterns = [
    path("", views.AuditListView.as_view(), name="events"),
    path(
        "<int:content_type_id>/<str:object_id>/",
        views.ObjectHistoryView.as_view(),
        name="object_history",
    ),
]
