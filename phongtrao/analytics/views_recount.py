"""The recount page: a national administrator asks for every total to be counted again and
follows the job (htmx polls the list while one waits or runs)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from phongtrao.analytics.models import ACTIVE_STATUSES
from phongtrao.analytics.selectors import recount_job_active, recount_jobs_recent
from phongtrao.analytics.services import recount_job_create, recount_jobs_recover
from phongtrao.core.jobs import jobs_recover_on_page
from phongtrao.core.mixins import RoleRequiredMixin
from phongtrao.core.roles import Role

SHOWN = 20


class RecountView(RoleRequiredMixin, View):
    # The whole database is recounted: a province administrator's rights stop at their province
    # (services.may_recount says the same for the service).
    required_role = Role.NATIONAL_ADMIN

    def get(self, request: HttpRequest) -> HttpResponse:
        jobs_recover_on_page(recount_jobs_recover)
        jobs = recount_jobs_recent(per_page=SHOWN)
        context = {
            "jobs": jobs,
            "busy": any(job.status in ACTIVE_STATUSES for job in jobs),
        }
        template = "analytics/_recount_jobs.html" if request.htmx else "analytics/recount.html"
        return render(request, template, context)

    def post(self, request: HttpRequest) -> HttpResponse:
        already = recount_job_active() is not None
        recount_job_create(actor=request.user)
        if already:
            messages.info(request, _("A recount is already waiting or running; here it is."))
        else:
            messages.success(request, _("The recount was asked for."))
        return redirect("analytics:recount")
