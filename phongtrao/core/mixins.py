"""View mixins: the one place where views apply the user's scope and role, and say a refusal.

Every view that shows or changes unit data uses `ScopedQuerysetMixin`, so an object outside
the user's units answers 404 exactly like a missing one. Views without an object that need a
role use `RoleRequiredMixin` and answer 403. Application errors otherwise reach
`AppErrorMiddleware`; `RefusalMixin` is for the pages that explain a refusal themselves.
"""

from typing import Any

from django.core.exceptions import PermissionDenied

from phongtrao.core.errors import AppError
from phongtrao.core.middleware import HTTP_ERRORS
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


class RefusalMixin:
    """For pages that show a refusal beside the form or in a message rather than as an error page.

    Missing, out of scope and forbidden still go on to `AppErrorMiddleware` (404, 404, 403), so
    a page never hints that an object out of scope exists; `shown_codes` names those of them a
    page says itself (a forbidden change is explained where the user asked for it).
    """

    shown_codes: frozenset[str] = frozenset()

    def refusal_message(self, exc: AppError) -> str:
        """The message to show; raises the error again when it answers as an HTTP error."""
        if exc.code in HTTP_ERRORS and exc.code not in self.shown_codes:
            raise exc
        return exc.message
