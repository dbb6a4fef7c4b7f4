from django.urls import path

from phongtrao.reporting.views import completeness, entry, history, transfer

app_name = "reporting"
ENTRY = "entry/<str:form_code>/<int:unit_pk>/<str:period>/"
urlpatterns = [
    path("entry/", entry.EntryStartView.as_view(), name="entry_start"),
    path(ENTRY, entry.EntryView.as_view(), name="entry"),
    path(f"{ENTRY}cell/<str:indicator_code>/", entry.CellView.as_view(), name="cell"),
    path(f"{ENTRY}action/", entry.SubmissionActionView.as_view(), name="action"),
    path(f"{ENTRY}registries/", entry.DerivedFillView.as_view(), name="fill_derived"),
    path("import/", transfer.ImportView.as_view(), name="import"),
    path("import/confirm/", transfer.ImportConfirmView.as_view(), name="import_confirm"),
    path("import/jobs/<int:pk>/", transfer.ImportJobView.as_view(), name="import_job"),
    path("imports/<int:pk>/", history.ValueImportView.as_view(), name="value_import"),
    path("values/<int:pk>/history/", history.ValueHistoryView.as_view(), name="value_history"),
    path("export/", transfer.ExportView.as_view(), name="export"),
    path("import/history/", transfer.HistoryTemplateView.as_view(), name="history_template"),
    path("completeness/", completeness.CompletenessView.as_view(), name="completeness"),
    path(
        "completeness/approve/",
        completeness.ApproveManyView.as_view(),
        name="approve_many",
    ),
    path(
        "completeness/reopen/",
        completeness.ReopenSubtreeView.as_view(),
        name="reopen_subtree",
    ),
]
