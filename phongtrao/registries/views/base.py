"""The base of every registry page, below both the generic pages and the registry-specific ones
(which the generic detail page includes), so neither module imports the other."""

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from django.views import View

from phongtrao.core.mixins import RefusalMixin, RoleRequiredMixin
from phongtrao.registries import selectors
from phongtrao.registries.registry import Registry


def url_name(registry: Registry, action: str) -> str:
    return f"registries:{registry.slug}_{action}"


class RegistryView(RefusalMixin, RoleRequiredMixin, View):
    registry: Registry = None  # set by as_view(registry=…)

    def base_context(self, **extra: Any) -> dict[str, Any]:
        return {"registry": self.registry, "urls": _urls(self.registry), **extra}

    def get_entry(self, pk: int, *, deleted_ok: bool = False):
        model = self.registry.model
        try:
            return selectors.entry_get(
                registry=self.registry, user=self.request.user, pk=pk, deleted_ok=deleted_ok
            )
        except model.DoesNotExist:
            raise Http404(_("The entry was not found.")) from None


def _urls(registry: Registry) -> dict[str, str]:
    return {a: url_name(registry, a) for a in ("list", "detail", "create", "update", "delete",
                                                "restore", "import", "export")}  # fmt: skip
