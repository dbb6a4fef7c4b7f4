from django.urls import path

from phongtrao.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.NotificationListView.as_view(), name="list"),
    path("<int:pk>/", views.NotificationOpenView.as_view(), name="open"),
    path("read-all/", views.NotificationReadAllView.as_view(), name="read_all"),
]
