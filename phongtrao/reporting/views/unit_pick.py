"""The unit tree picker of the GET forms that choose a unit (the entry screen's start, the
export, the workbook by year): what reporting/_unit_pick.html needs, and the choices a page
keeps while the user moves through the tree."""

from typing import Any

from django.http import HttpRequest

from phongtrao.reporting.forms import UnitPickForm
from phongtrao.units.selectors import unit_pick

# The picker's buttons: they move through the tree and redraw the page, never submit it.
PICKER_BUTTONS = ("go_to", "search", "page")


def picking(request: HttpRequest) -> bool:
    return any(name in request.GET for name in PICKER_BUTTONS)


def picker_context(request: HttpRequest) -> dict[str, Any]:
    """The context of reporting/_unit_pick.html for a GET form's page."""
    place = UnitPickForm(request.GET).place()
    return {
        "pick": unit_pick(user=request.user, **place),
        "chosen_unit": str(place["selected_pk"] or ""),
    }


def kept(request: HttpRequest, names: tuple[str, ...]) -> dict[str, str]:
    """The page's other choices, kept as they were while the picker redraws it."""
    return {name: request.GET[name] for name in names if request.GET.get(name)}
