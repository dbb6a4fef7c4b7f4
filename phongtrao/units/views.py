from django.views.generic import DetailView, ListView

from phongtrao.accounts.mixins import ScopedQuerysetMixin
from phongtrao.units.models import Unit


class UnitBrowseView(ScopedQuerysetMixin, ListView):
    model = Unit
    paginate_by = 50
    template_name = "units/unit_browse.html"

    def get_queryset(self):
        return super().get_queryset().filter(depth=0).select_related("parent")


class UnitDetailView(ScopedQuerysetMixin, DetailView):
    model = Unit
    template_name = "units/unit_detail.html"
