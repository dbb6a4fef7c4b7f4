"""HTML drawn in Python where a template loop was too slow (core/renderers.py, the analytics
tables): the escaping of Django's templates, without the lazy-string wrapper Django's own
`conditional_escape` goes through on every call (a page of a thousand cells calls it thousands
of times)."""

import html
from typing import Any


def escaped(value: Any) -> str:
    """What `{{ value }}` prints: safe strings as they are, anything else escaped."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))
