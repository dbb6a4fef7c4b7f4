import io
from pathlib import Path

import pytest

from phongtrao.core.roles import Role

CORPUS = Path(__file__).resolve().parent / "corpus"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to a temporary folder, never into var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def clerk(make_user, bo_y):
    return make_user("boy_clerk", Role.DATA_ENTRY, (bo_y,))


@pytest.fixture
def approver(make_user, quang_ngai):
    return make_user("qn_approver", Role.APPROVER, (quang_ngai,))


def corpus_text(stem: str, *, raw: bool = False) -> str:
    """A corpus report as the reader gives it (NFC, cleaned), or as stored with `raw`."""
    from phongtrao.extraction.reading import read_path

    path = CORPUS / f"{stem}.txt"
    return path.read_text(encoding="utf-8") if raw else read_path(path)


def make_docx(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    """A Word file built in the test: paragraphs, then a table of the given rows."""
    from docx import Document

    document = Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                grid.cell(r, c).text = cell
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_pdf(text: str) -> bytes:
    """A PDF with a text layer, rendered by WeasyPrint in Liberation Serif."""
    from html import escape

    from weasyprint import HTML

    paragraphs = "".join(f"<p>{escape(line)}</p>" for line in text.splitlines() if line.strip())
    html = f'<html><body style="font-family: Liberation Serif">{paragraphs}</body></html>'
    return HTML(string=html).write_pdf()
