"""The same report as PDF: the context rendered to HTML, then laid out by WeasyPrint.

WeasyPrint needs no office suite on the server; Liberation Serif (Debian's fonts-liberation2)
stands in for Times New Roman with the same metrics, so lines break as they do in Word.
"""

from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from phongtrao.core.errors import AppError, ErrorCode


def pdf_html(*, context: dict[str, Any]) -> str:
    return render_to_string("documents/report_pdf.html", context)


def pdf_render(*, context: dict[str, Any]) -> bytes:
    try:
        from weasyprint import HTML  # slow to import: only when a PDF is asked for
    except (ImportError, OSError) as exc:
        # WeasyPrint loads Pango from the operating system; without it only the PDF is lost.
        raise AppError(
            ErrorCode.INVALID,
            _(
                "This server cannot write PDF files: the Pango library is missing (on "
                "Debian/Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0 "
                "fonts-liberation2). DOCX and XLSX still work."
            ),
        ) from exc
    return HTML(string=pdf_html(context=context)).write_pdf()
