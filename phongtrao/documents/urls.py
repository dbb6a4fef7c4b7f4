from django.urls import path

from phongtrao.documents import views

app_name = "documents"
urlpatterns = [
    path("", views.ReportView.as_view(), name="report"),
    path("preview/", views.PreviewView.as_view(), name="preview"),
    path("jobs/<int:pk>/", views.JobView.as_view(), name="job"),
    path("jobs/<int:pk>/download/", views.JobDownloadView.as_view(), name="job_download"),
    path("templates/", views.TemplateListView.as_view(), name="templates"),
    path("templates/built-in/", views.BuiltinTemplateView.as_view(), name="template_builtin"),
    path(
        "templates/<int:pk>/download/",
        views.TemplateDownloadView.as_view(),
        name="template_download",
    ),
    path("templates/<int:pk>/delete/", views.TemplateDeleteView.as_view(), name="template_delete"),
]
