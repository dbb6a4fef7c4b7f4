"""Formula neutralising for every spreadsheet and CSV the application writes.

A text cell starting with one of FORMULA_START is run by a spreadsheet as a formula (OWASP,
CSV injection): a name such as "=HYPERLINK(…)" typed by one commune would then run on every
computer that opens an export. Every text cell, headers included, goes through `neutralise`;
the import takes the apostrophe off again with `unneutralise`, so an export imports back
unchanged.
"""

from collections.abc import Iterable
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Text a spreadsheet would run, prefixed with an apostrophe; anything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def neutralise_row(values: Iterable[Any]) -> list[Any]:
    return [neutralise(value) for value in values]


def unneutralise(text: str) -> str:
    """Undo `neutralise`, so a file we exported imports back unchanged."""
    return text[1:] if text[:1] == "'" and text[1:2] in FORMULA_START and text[1:2] else text
