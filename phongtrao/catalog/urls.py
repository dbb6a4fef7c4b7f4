from django.urls import path

from phongtrao.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.IndicatorListView.as_view(), name="indicator_list"),
    path("indicators/new/", views.IndicatorCreateView.as_view(), name="indicator_create"),
    path("indicators/<str:code>/edit/", views.IndicatorUpdateView.as_view(), name="indicator_edit"),
    path("forms/", views.FormListView.as_view(), name="form_list"),
    path("forms/new/", views.FormCreateView.as_view(), name="form_create"),
    path("forms/<str:code>/", views.FormDetailView.as_view(), name="form_detail"),
    path("forms/<str:code>/edit/", views.FormUpdateView.as_view(), name="form_edit"),
    path("forms/<str:code>/sections/", views.FormSectionsView.as_view(), name="form_sections"),
    path("forms/<str:code>/items/", views.FormItemsView.as_view(), name="form_items"),
    path("forms/<str:code>/rules/new/", views.RuleCreateView.as_view(), name="rule_create"),
    path("rules/", views.RuleListView.as_view(), name="rule_list"),
    path("rules/<int:pk>/edit/", views.RuleUpdateView.as_view(), name="rule_edit"),
    path("rules/<int:pk>/delete/", views.RuleDeleteView.as_view(), name="rule_delete"),
]
