from django.urls import path

from phongtrao.core import views

app_name = "core"
urlpatterns = [
    path("", views.AuditListView.as_view(), name="audit"),
]
