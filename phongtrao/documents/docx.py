"""Rendering a report into DOCX from a docxtpl template: the built-in one or a province's own.

Templates are rendered with StrictUndefined, so a field the template names but the report
does not have stops the rendering with its name, instead of leaving a silent blank.
"""

import io
import re
import zipfile
from pathlib import Path
from typing import IO, Any

import jinja2
from django.utils.translation import gettext as _
from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate

from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.documents.docx_builder import BUILTIN_TEMPLATE, builtin_template_build

_UNDEFINED = (
    re.compile(r"'([^']+)' is undefined"),
    re.compile(r"has no attribute '([^']+)'"),
    re.compile(r"has no element '?([^']+?)'?$"),
)


def builtin_template() -> Path:
    """The shipped template; built on the spot if a packaging step lost it."""
    return BUILTIN_TEMPLATE if BUILTIN_TEMPLATE.exists() else builtin_template_build()


def _environment() -> jinja2.Environment:
    return jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True)


def _missing_field(exc: jinja2.UndefinedError) -> str:
    for pattern in _UNDEFINED:
        match = pattern.search(str(exc.message or ""))
        if match:
            return match.group(1)
    return str(exc.message or "")


def template_error(exc: Exception) -> AppError:
    """The Vietnamese message an administrator sees for a template that does not render."""
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


def docx_render(*, context: dict[str, Any], template: Path | IO[bytes] | None = None) -> bytes:
    """The filled document as bytes; raises AppError(INVALID) naming what went wrong."""
    source = template if template is not None else builtin_template()
    try:
        document = DocxTemplate(source)
        document.render(context, jinja_env=_environment(), autoescape=True)
    except (jinja2.TemplateError, PackageNotFoundError, zipfile.BadZipFile, KeyError,
            ValueError) as exc:  # fmt: skip
        raise template_error(exc) from exc
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
