from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.generic import ListView

from phongtrao.accounts.mixins import RoleRequiredMixin
from phongtrao.accounts.scope import scope_q
from phongtrao.core.models import AuditEvent


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


class AuditListView(RoleRequiredMixin, ListView):
    model = AuditEvent
    paginate_by = 50
    template_name = "core/audit_list.html"

    def get_queryset(self):
        return AuditEvent.objects.filter(scope_q(self.request.user, "unit__path")).select_related(
            "actor", "content_type", "unit"
        )
