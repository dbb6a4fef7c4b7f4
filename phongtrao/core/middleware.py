import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from phongtrao.core.errors import AppError, ErrorCode


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Vietnamese unless the user chose another language with the switch in the footer.

    Django's own middleware follows the browser's Accept-Language, and many office computers
    run an English browser; the officials using them still read and file in Vietnamese.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


# Session keys of the times a session's user logged in and was last seen (seconds since 1970).
SESSION_LOGIN_AT = "phongtrao_login_at"
SESSION_SEEN_AT = "phongtrao_seen_at"
# The last-seen time is written at most this often, not at every request.
SEEN_EVERY_SECONDS = 60


def session_started(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    """At login, even into a session kept from before it (Django keeps the data of a session
    whose user logs in again)."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_LOGIN_AT] = request.session[SESSION_SEEN_AT] = time.time()


class SessionTimeoutMiddleware:
    """Logs the user out SESSION_HOURS after their login, or after SESSION_IDLE_MINUTES without
    a request: office computers are shared, and left on. LoginRequiredMiddleware, after it,
    then sends them to the login page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            login_at = session.setdefault(SESSION_LOGIN_AT, now)
            seen_at = session.get(SESSION_SEEN_AT, now)
            if (
                now - login_at > settings.SESSION_HOURS * 3600
                or now - seen_at > settings.SESSION_IDLE_MINUTES * 60
            ):
                logout(request)
            elif SESSION_SEEN_AT not in session or now - seen_at >= SEEN_EVERY_SECONDS:
                session[SESSION_SEEN_AT] = now
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response (Django 5.2 has no
    CSP of its own). The policies are settings: CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


# Refusals that answer as an HTTP error wherever a view lets them through. Out of scope answers
# exactly like missing, so nothing tells a user that an object beyond their units exists.
HTTP_ERRORS: dict[str, type[Exception]] = {
    ErrorCode.NOT_FOUND: Http404,
    ErrorCode.OUT_OF_SCOPE: Http404,
    ErrorCode.FORBIDDEN: PermissionDenied,
}


class AppErrorMiddleware:
    """Maps a service's refusal that a view did not handle to 404 or 403, once for every view.

    Raised here, the Http404 or PermissionDenied gets Django's own answer (handler404,
    handler403) as if the view had raised it. Other codes are left to fail as before: a view
    that can say them on its page catches them (`core.mixins.RefusalMixin`).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, AppError) and exception.code in HTTP_ERRORS:
            raise HTTP_ERRORS[exception.code](exception.message) from exception
