"""Reading a report into plain NFC text: .txt, .docx (paragraphs and tables) and .pdf.

Text copied from web pages brings leftovers (image paths, "Loading...", view counters, photo
captions, share buttons); they are dropped line by line, because a caption repeats or bends
the article's figures and a counter is a number of nothing.
"""

import io
import logging
import re
from pathlib import Path

from django.utils.translation import gettext as _

from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.text import nfc

SUFFIXES = (".txt", ".docx", ".pdf")
_LEFTOVER_LINE = re.compile(
    r"^\s*(?:"
    r".*\.(?:jpe?g|png|gif|webp|svg|bmp)(?:\?\S*)?\s*$"  # an image file or its address
    r"|loading\.*|đang tải\.*"
    r"|đi tới nguồn bài viết.*|xem thêm:?.*|tin liên quan:?.*|bình luận.*|chia sẻ.*|in bài viết"
    r"|(?:lượt xem|số lượt xem|lượt đọc)\s*:?\s*[\d.]+|[\d.]+\s*(?:lượt xem|lượt đọc|views?)"
    r"|\(?ảnh\s*(?:minh họa|minh hoạ)?\s*:.*|ảnh minh h[oọ]ạ?.*"
    r"|(?:facebook|twitter|zalo|tweet|email|print)(?:\s+\w+)?"
    r"|nguồn\s*:.*|tác giả\s*:.*"
    r")\s*$",
    re.IGNORECASE,
)
# A caption at the end of a line of its own: "Lãnh đạo tỉnh trao Bằng khen … (Ảnh: CAT)".
_CAPTION = re.compile(r"\((?:ảnh|ảnh minh họa|nguồn)\s*:[^)]*\)\s*$", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0\u200b]+")


def _unreadable(name: str) -> AppError:
    return AppError(
        ErrorCode.INVALID,
        _("%(name)s cannot be read: give a .txt, .docx or .pdf file with text in it.")
        % {"name": name},
    )


def clean_lines(text: str) -> str:
    """NFC, one space between words, no web-page leftovers, at most one empty line in a row."""
    lines: list[str] = []
    for raw in nfc(text).replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = _SPACES.sub(" ", raw).strip()
        if _LEFTOVER_LINE.match(line) or _CAPTION.search(line):
            continue
        if line or (lines and lines[-1]):
            lines.append(line)
    return "\n".join(lines).strip() + "\n"


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnicodeDecodeError("utf-8", data, 0, 1, "not UTF-8")


def read_docx(data: bytes) -> str:
    """Paragraphs and tables in document order; a table row becomes one line, cells by " | "."""
    from docx import Document

    document = Document(io.BytesIO(data))
    lines = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append("".join(t.text or "" for t in block.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            for row in block.iter():
                if not row.tag.endswith("}tr"):
                    continue
                cells = []
                for cell in row.iterchildren():
                    if cell.tag.endswith("}tc"):
                        text = "".join(t.text or "" for t in cell.iter() if t.tag.endswith("}t"))
                        cells.append(text.strip())
                lines.append(" | ".join(cells))
    return "\n".join(lines)


def read_pdf(data: bytes) -> str:
    from pypdf import PdfReader

    # pypdf logs every repair it attempts; a broken file is reported once, in Vietnamese.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def read_bytes(data: bytes, name: str) -> str:
    """The report's text; AppError(INVALID) with a Vietnamese message when it cannot be read."""
    suffix = Path(name).suffix.lower()
    try:
        if suffix == ".docx":
            text = read_docx(data)
        elif suffix == ".pdf":
            text = read_pdf(data)
        elif suffix in (".txt", ""):
            text = _decode(data)
        else:
            raise _unreadable(name)
    except AppError:
        raise
    except Exception as exc:  # every parser has its own errors; all mean the same to people
        raise _unreadable(name) from exc
    text = clean_lines(text)
    if not text.strip():
        raise _unreadable(name)
    return text


def read_path(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _unreadable(path.name) from exc
    return read_bytes(data, path.name)
