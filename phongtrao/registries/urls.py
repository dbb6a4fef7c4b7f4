from django.urls import path

from phongtrao.registries.registry import REGISTRIES
from phongtrao.registries.views import entry_parts, generic, home

app_name = "registries"

urlpatterns = [
    path("", home.RegistryHomeView.as_view(), name="home"),
    path("photos/<int:pk>/<str:size>/", entry_parts.PhotoFileView.as_view(), name="photo"),
    path(
        "awards/<int:pk>/decision/",
        entry_parts.AwardDecisionView.as_view(),
        name="award_decision",
    ),
    path("scheme-types/", home.SchemeTypeListView.as_view(), name="scheme_types"),
    path("scheme-types/<int:pk>/", home.SchemeTypeEditView.as_view(), name="scheme_type_edit"),
]

for registry in REGISTRIES.values():
    slug = registry.slug
    urlpatterns += [
        path(f"{slug}/", generic.EntryListView.as_view(registry=registry), name=f"{slug}_list"),
        path(
            f"{slug}/add/", generic.EntryFormView.as_view(registry=registry), name=f"{slug}_create"
        ),
        path(
            f"{slug}/import/",
            generic.EntryImportView.as_view(registry=registry),
            name=f"{slug}_import",
        ),
        path(
            f"{slug}/export/",
            generic.EntryExportView.as_view(registry=registry),
            name=f"{slug}_export",
        ),
        path(
            f"{slug}/<int:pk>/",
            generic.EntryDetailView.as_view(registry=registry),
            name=f"{slug}_detail",
        ),
        path(
            f"{slug}/<int:pk>/edit/",
            generic.EntryFormView.as_view(registry=registry),
            name=f"{slug}_update",
        ),
        path(
            f"{slug}/<int:pk>/delete/",
            generic.EntryDeleteView.as_view(registry=registry),
            name=f"{slug}_delete",
        ),
        path(
            f"{slug}/<int:pk>/restore/",
            generic.EntryDeleteView.as_view(registry=registry, restore=True),
            name=f"{slug}_restore",
        ),
        path(
            f"{slug}/<int:pk>/action/<slug:action>/",
            entry_parts.EntryActionView.as_view(registry=registry),
            name=f"{slug}_action",
        ),
    ]
    if registry.model._meta.model_name in ("plan", "pact"):
        urlpatterns.append(
            path(
                f"{slug}/<int:pk>/file/",
                entry_parts.AttachmentFileView.as_view(registry=registry),
                name=f"{slug}_file",
            )
        )
