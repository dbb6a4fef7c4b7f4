from django.urls import path

from phongtrao.core import views

app_name = "core"
urlpatterns = [
    path("", views.AuditListView.as_view(), name="audit"),
    path(
        "<int:content_type_id>/<str:object_id>/",
        views.ObjectHistoryView.as_view(),
        name="object_history",
    ),
]
