"""What every spreadsheet import and export shares: problems found in a file, and formula
neutralising for every spreadsheet and CSV the application writes.

A text cell starting with one of FORMULA_START is run by a spreadsheet as a formula (OWASP,
CSV injection): a name such as "=HYPERLINK(…)" typed by one commune would then run on every
computer that opens an export. Every text cell, headers included, goes through `neutralise`;
the import takes the apostrophe off again with `unneutralise`, so an export imports back
unchanged.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
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


@dataclass(slots=True)
class Problem:
    """One thing wrong in an imported file, said where the person filling it can find it.

    `row` is the file's row (0: the file as a whole, 1: its header), or the record's position
    in a file without rows (JSON); problems are listed in its order. `where` is the place as
    the file's reader names it ("Dòng 3", "dataValues[3]"), for the imports that print one line
    per problem: "Dòng 3, cột comment: …".
    """

    row: int
    column: str
    message: str
    where: str = ""

    def __str__(self) -> str:
        return f"{self.where}, {self.column}: {self.message}"


@dataclass
class ImportCheck:
    """A file checked whole before anything is written: its rows and every problem at once."""

    rows: list[Any] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)
