"""Analytics pages and fragments; thin: validate, call one selector, render."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.views import View

from phongtrao.analytics.selectors import entry_total, entry_totals
from phongtrao.catalog.models import Indicator
from phongtrao.core.mixins import RoleRequiredMixin
from phongtrao.reporting.views.entry import CellView, entry_objects
from phongtrao.units.models import Unit


class EntryTotalsView(RoleRequiredMixin, View):
    """The totals the entry screen shows under each of the unit's own cells (an htmx fragment:
    reporting draws the screen, but totals over a subtree are analytics', a floor above it).
    Scoped as the entry screen is: a unit outside the user's units is a 404."""

    def get(self, request: HttpRequest, form_code: str, unit_pk: int, period: str) -> HttpResponse:
        form, unit = entry_objects(request, form_code, unit_pk, period)
        totals = entry_totals(form=form, unit=unit, period=period)
        response = render(request, "analytics/_entry_totals.html", {"totals": totals})
        # Asked again on every visit to the screen, mostly unchanged: the browser keeps it (never
        # a shared cache: it is the user's) and asks with its ETag, answered 304 without a body.
        patch_cache_control(response, private=True, no_cache=True)
        set_response_etag(response)
        return get_conditional_response(request, etag=response["ETag"], response=response)


class EntryCellView(CellView):
    """The entry screen's cell save: reporting's save and redraw, with the total under the cell
    in the same answer, so a typed figure costs one request and not a second for its total.
    Only that cell's total is drawn again: the others change only with the units below, and
    are counted afresh on the next visit to the screen."""

    template_name = "analytics/_entry_cell.html"

    def cell_context(self, *, unit: Unit, period: str, indicator: Indicator) -> dict:
        return {"total": entry_total(indicator=indicator, unit=unit, period=period)}
