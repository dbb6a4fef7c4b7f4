"""One application error type; `code` is stable for scripts and the API, `message` is for people."""

from dataclasses import dataclass, field


@dataclass
class AppError(Exception):
    code: str
    message: str
    details: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return self.message


class ErrorCode:
    NOT_FOUND = "not_found"
    OUT_OF_SCOPE = "out_of_scope"
    INVALID = "invalid"
    CONFLICT = "conflict"
    FORBIDDEN = "forbidden"
    THROTTLED = "throttled"
    # The server cannot do it now for want of something of its own (a full disk).
    UNAVAILABLE = "unavailable"
