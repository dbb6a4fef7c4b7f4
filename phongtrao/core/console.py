"""What a command prints on standard error that is not an error."""

from collections.abc import Callable

from django.core.management.base import OutputWrapper


def _plain(text: str) -> str:
    return text


def progress_writer(stream: OutputWrapper) -> Callable[[str], None]:
    """Write progress lines to a command's stderr. Django colours stderr as errors in a
    terminal; progress is not one, so its lines keep the terminal's own colour."""

    def write(line: str) -> None:
        stream.write(line, style_func=_plain)

    return write
