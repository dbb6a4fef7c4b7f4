"""The audit pages: every change in the reader's units, and the history of one object."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.generic import ListView

from phongtrao.accounts.audit_forms import AuditFilterForm
from phongtrao.accounts.audit_selectors import (
    audit_change_rows,
    audit_events,
    audit_object_events,
    audit_object_visible,
    audit_related_names,
    content_type_label,
)
from phongtrao.core.mixins import RoleRequiredMixin
from phongtrao.core.models import AuditEvent


class AuditRowsMixin:
    """Each event of the page with its changed fields ready to show."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        events = list(context["object_list"])
        names = audit_related_names(events)
        context["rows"] = [(e, audit_change_rows(e, names)) for e in events]
        return context


class AuditListView(RoleRequiredMixin, AuditRowsMixin, ListView):
    paginate_by = 50
    template_name = "accounts/audit_list.html"

    def get_queryset(self):
        self.filter_form = AuditFilterForm(self.request.GET or None, user=self.request.user)
        if not self.filter_form.is_bound:
            return audit_events(user=self.request.user)
        if not self.filter_form.is_valid():
            return AuditEvent.objects.none()
        data = self.filter_form.cleaned_data
        return audit_events(
            user=self.request.user,
            actor_query=data["actor"],
            unit=data["unit"],
            content_type=data["content_type"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            action=data["action"],
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(filter_form=self.filter_form, **kwargs)


class ObjectHistoryView(RoleRequiredMixin, AuditRowsMixin, ListView):
    """Every event of one object the user may read; none readable answers like none at all."""

    paginate_by = 50
    allow_empty = False
    template_name = "accounts/audit_object_history.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # A model whose past is kept partly outside the audit (a data value: its imports) names
        # the page that shows all of it; links from the audit list then lead there.
        try:  # the content types' cache: no query once warm
            model = ContentType.objects.get_for_id(kwargs["content_type_id"]).model_class()
        except ContentType.DoesNotExist:
            model = None
        history_url_name = getattr(model, "history_url_name", None)
        object_id = kwargs["object_id"]
        # Only while the object exists: a deleted one's last events are the audit's alone.
        # Out of the reader's scope it is not followed: a redirect would tell it exists.
        if (
            history_url_name
            and object_id.isdigit()
            and audit_object_visible(user=request.user, model=model, pk=int(object_id))
        ):
            return redirect(history_url_name, int(object_id))
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return audit_object_events(
            user=self.request.user,
            content_type_id=self.kwargs["content_type_id"],
            object_id=self.kwargs["object_id"],
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # Named as it is now, whichever page is shown, by its own latest event, not a part's.
        own = self.object_list.filter(
            content_type_id=self.kwargs["content_type_id"], object_id=self.kwargs["object_id"]
        )
        latest = own.first() or self.object_list.first()
        context["latest"] = latest
        context["type_label"] = content_type_label(latest.content_type)
        # The changes of its parts name the part they were made to.
        context["show_parts"] = any(event.parent_id for event, _changes in context["rows"])
        return context
