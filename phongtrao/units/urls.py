from django.urls import path

from phongtrao.units import views

app_name = "units"
urlpatterns = [
    path("", views.UnitBrowseView.as_view(), name="browse"),
    path("import-template/", views.import_template, name="import_template"),
    path("<int:pk>/", views.UnitDetailView.as_view(), name="detail"),
    path("<int:pk>/children/", views.UnitChildrenView.as_view(), name="children"),
    path("<int:pk>/add/", views.UnitCreateView.as_view(), name="create"),
    path("<int:pk>/edit/", views.UnitUpdateView.as_view(), name="update"),
    path("<int:pk>/delete/", views.UnitDeleteView.as_view(), name="delete"),
    path("<int:pk>/import/", views.UnitImportView.as_view(), name="import"),
]
