"""Device cookies (OWASP): a browser its owner logged in from is told apart from a stranger's.

Each successful login leaves a signed cookie naming the account and a random id. Guesses from
browsers without one are limited per account and per address; a browser with a valid one is
limited on its own, so a stranger's guesses never lock the owner out of their usual browser.
"""

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.core import signing
from django.http import HttpResponse

from phongtrao.accounts.selectors import login_key

_SALT = "phongtrao.accounts.device"
DEVICE_DAYS = 180


def device_cookie_name(username: str) -> str:
    # One cookie per account, so people sharing a computer each keep theirs.
    digest = hashlib.sha256(login_key(username).encode()).hexdigest()[:16]
    return f"phongtrao_device_{digest}"


def device_id(request: Any, username: str) -> str | None:
    """The id of this browser's valid device cookie for `username`, if it has one."""
    token = request.COOKIES.get(device_cookie_name(username)) if request is not None else None
    if not token:
        return None
    try:
        data = signing.loads(token, salt=_SALT, max_age=DEVICE_DAYS * 86400)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != login_key(username):
        return None
    return str(data.get("d") or "") or None


def device_cookie_set(response: HttpResponse, username: str) -> None:
    token = signing.dumps({"u": login_key(username), "d": secrets.token_urlsafe(16)}, salt=_SALT)
    response.set_cookie(
        device_cookie_name(username),
        token,
        max_age=DEVICE_DAYS * 86400,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
