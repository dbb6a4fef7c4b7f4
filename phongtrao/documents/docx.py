"""Rendering a report into DOCX from a docxtpl template: the built-in one or a province's own.

Templates are rendered with StrictUndefined, so a field the template names but the report
does not have stops the rendering with its name, instead of leaving a silent blank; and in the
sandbox of `documents/sandbox.py`, since a province's template is code run on the server.
"""

import io
import re
import zipfile
from pathlib import Path
from typing import IO, Any

import jinja2
import jinja2.sandbox
from django.utils.translation import gettext as _
from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate

from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.documents.docx_builder import BUILTIN_TEMPLATE, builtin_template_build
from phongtrao.documents.sandbox import ReportSandbox, TemplateRefused, TemplateTooLarge

_UNDEFINED = (
    re.compile(r"'([^']+)' is undefined"),
    re.compile(r"has no attribute '([^']+)'"),
    re.compile(r"has no element '?([^']+?)'?$"),
)


def builtin_template() -> Path:
    """The shipped template; built on the spot if a packaging step lost it."""
    return BUILTIN_TEMPLATE if BUILTIN_TEMPLATE.exists() else builtin_template_build()


def _missing_field(exc: jinja2.UndefinedError) -> str:
    for pattern in _UNDEFINED:
        match = pattern.search(str(exc.message or ""))
        if match:
            return match.group(1)
    return str(exc.message or "")


def template_error(exc: Exception) -> AppError:
    """The Vietnamese message an administrator sees for a template that does not render."""
    if isinstance(exc, TemplateRefused):
        return AppError(
            ErrorCode.INVALID,
            _(
                'The template uses "%(construct)s", which report templates may not use: it '
                "could reach the inside of the server. Remove it in Word, then upload the "
                "template again."
            )
            % {"construct": exc.construct},
        )
    if isinstance(exc, (TemplateTooLarge, RecursionError)):
        return AppError(
            ErrorCode.INVALID,
            _(
                "The template asks for too much work (loops, calls or texts far longer than a "
                "report needs). Shorten them in Word, then upload the template again."
            ),
        )
    if isinstance(exc, jinja2.sandbox.SecurityError):
        return AppError(
            ErrorCode.INVALID,
            _(
                "The template reaches an attribute, a function or a method outside the "
                "report's fields, which report templates may not do. Remove it in Word, then "
                "upload the template again."
            ),
        )
    if isinstance(exc, jinja2.UndefinedError):
        return AppError(
            ErrorCode.INVALID,
            _(
                'The template uses the field "%(field)s", which the report does not have. '
                "Correct or remove it in Word, then upload the template again."
            )
            % {"field": _missing_field(exc)},
        )
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return AppError(
            ErrorCode.INVALID,
            _("The template has a mistake in a field or a loop: %(reason)s")
            % {"reason": exc.message},
        )
    return AppError(
        ErrorCode.INVALID, _("The file is not a Word (.docx) template that can be filled in.")
    )


def docx_template_check(template: IO[bytes]) -> None:
    """Parse every field and loop of the body, headers and footers without running any of
    them; raises AppError(INVALID) naming the first construct a report may not use."""
    try:
        DocxTemplate(template).get_undeclared_template_variables(jinja_env=ReportSandbox())
    except (jinja2.TemplateError, PackageNotFoundError, zipfile.BadZipFile, KeyError,
            ValueError) as exc:  # fmt: skip
        raise template_error(exc) from exc
    finally:
        template.seek(0)


def docx_render(*, context: dict[str, Any], template: Path | IO[bytes] | None = None) -> bytes:
    """The filled document as bytes; raises AppError(INVALID) naming what went wrong."""
    source = template if template is not None else builtin_template()
    try:
        document = DocxTemplate(source)
        document.render(context, jinja_env=ReportSandbox(), autoescape=True)
    except (jinja2.TemplateError, PackageNotFoundError, zipfile.BadZipFile, KeyError,
            ValueError, RecursionError) as exc:  # fmt: skip
        raise template_error(exc) from exc
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
