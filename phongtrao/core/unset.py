"""`UNSET`: a service's "leave as it is" for an argument not given, distinct from None, which
clears a nullable field."""

import enum


class Unset(enum.Enum):
    UNSET = enum.auto()

    def __repr__(self) -> str:
        return "UNSET"


UNSET = Unset.UNSET
