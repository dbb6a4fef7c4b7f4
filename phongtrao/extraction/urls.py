from django.urls import path

from phongtrao.extraction import views

app_name = "extraction"
urlpatterns = [
    path("", views.DocumentListView.as_view(), name="list"),
    path("<int:pk>/", views.DocumentReviewView.as_view(), name="review"),
    path("<int:pk>/file/", views.DocumentFileView.as_view(), name="file"),
]
