"""The pages shown when a request fails: 503 while the database is away, 500 for anything else.

Both are rendered without the request's context processors and extend nothing: the database
may be the very thing that failed, and the user, the session and the menu all come from it.
"""

import sys

from django.db import (
    DatabaseError,
    DataError,
    IntegrityError,
    InterfaceError,
    NotSupportedError,
    ProgrammingError,
)
from django.http import HttpRequest, HttpResponse
from django.template import loader

# A dropped connection or a restarting database server is back within seconds; a browser or
# a proxy that honours Retry-After waits this long before trying again.
RETRY_AFTER_SECONDS = 30
# These say the query or the data was wrong, a bug to fix rather than a server to wait for.
_NOT_TRANSIENT = (DataError, IntegrityError, NotSupportedError, ProgrammingError)


def database_unavailable(exc: BaseException | None) -> bool:
    # InterfaceError (a closed connection) is not a DatabaseError in the DB-API's tree.
    return isinstance(exc, (DatabaseError, InterfaceError)) and not isinstance(exc, _NOT_TRANSIENT)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: Django calls it inside its `except` block, so the error is at hand."""
    if database_unavailable(sys.exc_info()[1]):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse(loader.render_to_string("500.html"), status=500)
