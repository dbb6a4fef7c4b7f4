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
from phongtrao.core.uploads import check_size, check_zip

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


def _paragraph_text(paragraph) -> str:
    """A Word paragraph's text; a manual line break (Shift+Enter) stays a line break."""
    parts = []
    for node in paragraph.iter():
        tag = node.tag.rsplit("}", 1)[-1]
        if tag == "t":
            parts.append(node.text or "")
        elif tag in ("br", "cr"):
            parts.append("\n")
        elif tag == "tab":
            parts.append(" ")
    return "".join(parts)


def _cell_text(cell) -> str:
    """A table cell's paragraphs, one a line: the header block of an official document keeps
    "CÔNG AN HUYỆN NGỌC HỒI" and "CÔNG AN THỊ TRẤN PLEI KẦN" on lines of their own."""
    lines = []
    for child in cell.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(_paragraph_text(child).strip())
        elif tag == "tbl":
            lines.extend(_table_lines(child))
    return "\n".join(line for line in lines if line)


def _table_lines(table) -> list[str]:
    """A row becomes one line, cells joined by " | "; a cell's own paragraphs by line breaks."""
    lines = []
    for row in table.iterchildren():
        if row.tag.endswith("}tr"):
            cells = [_cell_text(c) for c in row.iterchildren() if c.tag.endswith("}tc")]
            lines.append(" | ".join(cells))
    return lines


def read_docx(data: bytes) -> str:
    """Paragraphs and tables in document order; a table row becomes one line, cells by " | "."""
    from docx import Document

    document = Document(io.BytesIO(data))
    lines = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(_paragraph_text(block))
        elif tag == "tbl":
            lines.extend(_table_lines(block))
    return "\n".join(lines)


# A PDF has no paragraphs, only lines: pypdf ends every line of a wrapped paragraph with "\n",
# and the figures count a line end as the end of a clause. A line is joined to the next when
# it goes on mid-sentence: it has small letters (not a heading in capitals), does not end with
# a sentence or clause mark, is not a lone number (a page number), and the next line starts
# with a small letter or with a number followed by a word in small letters ("2.150 lượt
# người"), not with a list mark ("a)", "-", "1.") or a capital (a heading, a table row
# "4 Số tin, bài"). In doubt lines stay apart: a figure missed is better than a wrong one.
_SENTENCE_DONE = re.compile(r"[.!?:;…]\W*$")
_LONE_NUMBER = re.compile(r"^[\d.,/()+\-–\s]*$")
_LIST_MARK = re.compile(r"^\w[.)]")  # "a)", "b." starting an item
_NUMBER_THEN_WORD = re.compile(r"^\d+(?:[.,]\d+)*\s+(\w)")  # "2.150 lượt", not "1. Công"


def unwrap_lines(text: str) -> str:
    """The lines of one PDF page with soft line breaks inside sentences joined by a space."""
    out: list[str] = []
    for raw in text.split("\n"):
        line = raw.strip()
        previous = out[-1] if out else ""
        if (
            line
            and previous
            and previous != previous.upper()
            and not _SENTENCE_DONE.search(previous)
            and not _LONE_NUMBER.match(previous)
            and _goes_on(line)
        ):
            out[-1] = f"{previous} {line}"
        else:
            out.append(line)
    return "\n".join(out)


def _goes_on(line: str) -> bool:
    """Whether a line reads as the rest of the sentence above it."""
    if line[0].isalpha():
        return line[0].islower() and not _LIST_MARK.match(line)
    number = _NUMBER_THEN_WORD.match(line)
    return bool(number) and number.group(1).isalpha() and number.group(1).islower()


def read_pdf(data: bytes) -> str:
    """The text of each page, with the soft line breaks of its paragraphs undone."""
    from pypdf import PdfReader

    # pypdf logs every repair it attempts; a broken file is reported once, in Vietnamese.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(unwrap_lines(nfc(page.extract_text() or "")) for page in reader.pages)


def read_bytes(data: bytes, name: str) -> str:
    """The report's text; AppError(INVALID) with a Vietnamese message when it cannot be read."""
    suffix = Path(name).suffix.lower()
    # Over a bound the file is refused with its own reason, before a parser unpacks it.
    check_size(len(data))
    if suffix == ".docx":
        check_zip(data, kind="docx")
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
        check_size(path.stat().st_size)
        data = path.read_bytes()
    except OSError as exc:
        raise _unreadable(path.name) from exc
    return read_bytes(data, path.name)
