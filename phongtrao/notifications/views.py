"""A user's notifications: the list, opening one (read, then its report), all marked read."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from phongtrao.core.mixins import RoleRequiredMixin
from phongtrao.core.text import format_number
from phongtrao.notifications.models import Notification
from phongtrao.notifications.selectors import notification_message, notifications_for
from phongtrao.notifications.services import notification_mark_read, notifications_mark_all_read

PER_PAGE = 20


class NotificationListView(RoleRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        page = Paginator(notifications_for(user=request.user), PER_PAGE).get_page(
            request.GET.get("page")
        )
        rows = [(n, notification_message(n)) for n in page]
        return render(request, "notifications/list.html", {"page": page, "rows": rows})


class NotificationOpenView(RoleRequiredMixin, View):
    """Opening a notification marks it read and goes to its report; another user's is a 404."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
        notification_mark_read(actor=request.user, notification=notification)
        if not url_has_allowed_host_and_scheme(notification.link, allowed_hosts=None):
            return redirect("notifications:list")
        return redirect(notification.link)


class NotificationReadAllView(RoleRequiredMixin, View):
    def post(self, request: HttpRequest) -> HttpResponse:
        count = notifications_mark_all_read(actor=request.user)
        messages.success(
            request,
            _("%(n)s notifications marked read.") % {"n": format_number(count)},
        )
        return redirect("notifications:list")
