"""The same report as PDF: the context rendered to HTML, then laid out by WeasyPrint.

WeasyPrint needs no office suite on the server; Liberation Serif (Debian's fonts-liberation2)
stands in for Times New Roman with the same metrics, so lines break as they do in Word.
"""

from typing import Any

from django.template.loader import render_to_string


def pdf_html(*, context: dict[str, Any]) -> str:
    return render_to_string("documents/report_pdf.html", context)


def pdf_render(*, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # slow to import: only when a PDF is asked for

    return HTML(string=pdf_html(context=context)).write_pdf()
