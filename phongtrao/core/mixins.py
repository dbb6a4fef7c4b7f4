"""View mixins: the one place where views apply the user's scope and role.

Every view that shows or changes unit data uses `ScopedQuerysetMixin`, so an object outside
the user's units answers 404 exactly like a missing one. Views without an object that need a
role use `RoleRequiredMixin` and answer 403.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.roles import Role


class RoleRequiredMixin:
    required_role: str = Role.VIEWER

    def dispatch(self, request, *args: Any, **kwargs: Any):
        if not request.user.is_authenticated or not request.user.has_role(self.required_role):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ScopedQuerysetMixin(RoleRequiredMixin):
    """`get_queryset()` is narrowed to the user's scope; the model's queryset must be scoped."""

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)


def raise_for_app_error(exc: AppError) -> None:
    """Turn a service's refusal into the HTTP answer that hides what is out of scope."""
    if exc.code in (ErrorCode.NOT_FOUND, ErrorCode.OUT_OF_SCOPE):
        raise Http404(exc.message) from exc
    if exc.code == ErrorCode.FORBIDDEN:
        raise PermissionDenied(exc.message) from exc
