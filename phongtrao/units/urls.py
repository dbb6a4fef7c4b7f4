from django.urls import path

from phongtrao.units import views

app_name = "units"
urlpatterns = [
    path("", views.UnitBrowseView.as_view(), name="browse"),
    path("<int:pk>/", views.UnitDetailView.as_view(), name="detail"),
]
