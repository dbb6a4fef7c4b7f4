"""The one way a view says a service's refusal on its own page."""

from phongtrao.core.errors import AppError
from phongtrao.core.middleware import HTTP_ERRORS


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
