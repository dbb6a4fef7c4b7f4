"""A value's history and the page of one import's changes."""

from typing import Any

from django.http import Http404
from django.views.generic import ListView

from phongtrao.core.mixins import RoleRequiredMixin
from phongtrao.reporting.history import value_history, value_import_changes, value_import_get


class ValueHistoryView(RoleRequiredMixin, ListView):
    """Who changed the value, when, by hand or by which import; newest first."""

    paginate_by = 50
    template_name = "reporting/value_history.html"

    def get_queryset(self) -> list:
        self.value, entries = value_history(user=self.request.user, value_id=self.kwargs["pk"])
        if self.value is None:
            raise Http404
        return entries

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["value"] = self.value
        context["rows"] = context["object_list"]
        return context


class ValueImportView(RoleRequiredMixin, ListView):
    """One import: who, when, which file, the counts, and each value it created or changed."""

    paginate_by = 50
    template_name = "reporting/value_import.html"

    def get_queryset(self):
        self.record = value_import_get(user=self.request.user, pk=self.kwargs["pk"])
        if self.record is None:
            raise Http404
        return value_import_changes(user=self.request.user, value_import=self.record)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(record=self.record, **kwargs)
