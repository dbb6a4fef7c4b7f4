"""Bounds on every uploaded or imported file, checked before a parser sees it.

A parser's memory grows with what the file unpacks to, not with its size on the wire: an XLSX
or DOCX is a zip whose parts can unpack a thousand times larger, openpyxl keeps every shared
string and pads each row to the sheet's declared width, python-docx builds the whole XML tree,
and ijson's memory grows with the square of the nesting depth. So the declared sizes of a
zip's parts, the number of shared strings, rows and cells in a row, and a JSON file's depth
are read by streaming, in C-speed passes over the raw bytes, and a file over a bound is refused
with `UploadRefused` before any parser opens it. The limits come from settings (docs/security.md).

The same passes note whether the file may hold a NUL character, so a caller that must refuse
NUL can look for it row by row only in the rare file that may hold one.
"""

import io
import re
import struct
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import IO, Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.text import format_number

# Under MEDIA_ROOT: uploads waiting between an import's preview and its confirmation. Left out
# of backups; deleted on refusal or cancel, and after PHONGTRAO_IMPORT_UPLOAD_MAX_AGE_HOURS.
PENDING_IMPORTS = "imports"
BLOCK = 1 << 20
# Parts of a zip: an XLSX from Excel has a few dozen; more is a file made to be slow to list.
MAX_PARTS = 10_000
ZipKind = Literal["xlsx", "docx"]
NUL = "\x00"

_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_SHARED_STRING = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")
_DIMENSION = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?dimension\s+ref="[A-Z]*\d*:?([A-Z]*)(\d*)"')
# A JSON text up to the first string that does not end in the buffer (atomic, linear).
_JSON_COMPLETE = re.compile(rb'(?:[^"]++|"(?:[^"\\]++|\\.)*+")*+', re.DOTALL)
_JSON_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_DEPTH_STEP = [0] * 256
for _open, _close in (b"[]", b"{}"):
    _DEPTH_STEP[_open], _DEPTH_STEP[_close] = 1, -1


def nul_refused() -> str:
    """Why a cell holding NUL is refused: PostgreSQL can neither store nor compare it."""
    return _(
        "The cell holds a NUL character (character code 0), which is not accepted; remove it "
        "and upload the file again."
    )


class UploadRefused(AppError):
    """A file over one of the bounds; its message says which, in the reader's language."""

    def __init__(self, message: str) -> None:
        super().__init__(ErrorCode.INVALID, message)


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int
    max_uncompressed_bytes: int
    max_xml_part_bytes: int
    max_shared_strings: int
    max_rows: int
    max_columns: int
    max_json_depth: int


def upload_limits() -> UploadLimits:
    """Read at each call, so a changed setting (or a test's) applies to the next file."""
    return UploadLimits(
        max_bytes=settings.PHONGTRAO_UPLOAD_MAX_BYTES,
        max_uncompressed_bytes=settings.PHONGTRAO_UPLOAD_MAX_UNCOMPRESSED_BYTES,
        max_xml_part_bytes=settings.PHONGTRAO_UPLOAD_MAX_XML_PART_BYTES,
        max_shared_strings=settings.PHONGTRAO_UPLOAD_MAX_SHARED_STRINGS,
        max_rows=settings.PHONGTRAO_UPLOAD_MAX_ROWS,
        max_columns=settings.PHONGTRAO_UPLOAD_MAX_COLUMNS,
        max_json_depth=settings.PHONGTRAO_UPLOAD_MAX_JSON_DEPTH,
    )


def _megabytes(size: int) -> str:
    return format_number(round(size / 1_000_000))


def check_size(size: int) -> None:
    limit = upload_limits().max_bytes
    if size > limit:
        raise UploadRefused(
            _("The file is larger than %(limit)s MB; split it into smaller files.")
            % {"limit": _megabytes(limit)}
        )


def validate_upload_size(uploaded: Any) -> None:
    """A form field validator: a file over the bound is refused before anything reads it."""
    try:
        check_size(uploaded.size)
    except UploadRefused as exc:
        raise ValidationError(exc.message) from None


def _source(source: Path | bytes) -> IO[bytes]:
    return io.BytesIO(source) if isinstance(source, bytes) else Path(source).open("rb")


def _zip_entries(fh: IO[bytes]) -> int | None:
    """The entry count of the zip's end record, read before `infolist` builds one object per
    entry; None when there is no end record (zipfile then refuses the file itself)."""
    fh.seek(0, io.SEEK_END)
    size = fh.tell()
    fh.seek(max(0, size - 65_557))  # the end record (22 bytes) and its comment (<= 64 KiB)
    tail = fh.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return None
    return struct.unpack_from("<H", tail, at + 10)[0]


@dataclass
class Scan:
    """What a check found out on the way: `may_hold_nul` when the file may hold a NUL (a 0 byte,
    a "\\u0000" or a "_x0000_" escape), so only such files are searched value by value."""

    may_hold_nul: bool = False


def check_zip(source: Path | bytes, *, kind: ZipKind) -> Scan:
    """Refuse an XLSX or DOCX (a path or its bytes) that would unpack past the bounds.

    A file that is not a zip at all passes: its parser refuses it with its own message.
    """
    limits, scan = upload_limits(), Scan()
    with _source(source) as fh:
        check_size(fh.seek(0, io.SEEK_END))
        entries = _zip_entries(fh)
        if entries is not None and entries > MAX_PARTS:
            raise _too_big()
        fh.seek(0)
        try:
            archive = zipfile.ZipFile(fh)
        except (zipfile.BadZipFile, OSError, ValueError):
            return scan
        with archive:
            infos = archive.infolist()
            if len(infos) > MAX_PARTS:
                raise _too_big()
            # zipfile stops each part at its declared size, so the declared sizes are the bound.
            if sum(info.file_size for info in infos) > limits.max_uncompressed_bytes:
                raise _too_big()
            for info in infos:
                name = info.filename.lower()
                if not name.endswith((".xml", ".rels")):
                    continue
                streamed = kind == "xlsx" and name.startswith("xl/worksheets/")
                if not streamed and info.file_size > limits.max_xml_part_bytes:
                    raise _too_big()
                if kind == "xlsx":
                    scan.may_hold_nul |= _scan_xlsx_part(archive, info, limits)
    return scan


def _too_big() -> UploadRefused:
    limits = upload_limits()
    return UploadRefused(
        _(
            "The file unpacks to more than the server accepts (%(total)s MB in all, %(part)s MB "
            "for one part read whole); split it into smaller files."
        )
        % {
            "total": _megabytes(limits.max_uncompressed_bytes),
            "part": _megabytes(limits.max_xml_part_bytes),
        }
    )


def _blocks(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The part's bytes in blocks that end before a tag, so no tag is cut in two."""
    carry = b""
    with archive.open(info) as fh:
        while block := fh.read(BLOCK):
            buf = carry + block
            cut = buf.rfind(b"<")
            if cut <= 0:
                cut = len(buf)
            yield buf[:cut]
            carry = buf[cut:]
    if carry:
        yield carry


def _scan_xlsx_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: UploadLimits) -> bool:
    """Count shared strings, rows and cells per row of one part; whether it may hold NUL."""
    strings = rows = cells = 0
    may_hold_nul = first = False
    for block in _blocks(archive, info):
        if not first:
            first = True
            _check_dimension(block[:65_536], limits)
        may_hold_nul = may_hold_nul or b"_x0000_" in block
        strings += len(_SHARED_STRING.findall(block))
        if strings > limits.max_shared_strings:
            raise UploadRefused(
                _("The workbook holds more than %(n)s different texts; split it.")
                % {"n": format_number(limits.max_shared_strings)}
            )
        pieces = _ROW.split(block)
        cells += len(_CELL.findall(pieces[0]))
        for piece in pieces[1:]:
            rows += 1
            _check_width(cells, limits)
            cells = len(_CELL.findall(piece))
        _check_width(cells, limits)
        check_rows(rows, limits)
    return may_hold_nul


def _check_dimension(head: bytes, limits: UploadLimits) -> None:
    """The sheet's declared size, which openpyxl pads every row it reads to."""
    found = _DIMENSION.search(head)
    if found is None:
        return
    letters, number = found.group(1).decode(), found.group(2)
    if number:
        check_rows(int(number), limits)
    width = 0
    for letter in letters:
        width = width * 26 + ord(letter) - 64
    _check_width(width, limits)


def check_rows(count: int, limits: UploadLimits | None = None) -> None:
    """Refuse a sheet past its last allowed row; readers call it as they go, too."""
    limit = (limits or upload_limits()).max_rows
    if count > limit:
        raise UploadRefused(
            _("The sheet has more than %(n)s rows; split it into smaller files.")
            % {"n": format_number(limit)}
        )


def check_width(count: int) -> None:
    _check_width(count, upload_limits())


def _check_width(count: int, limits: UploadLimits) -> None:
    if count > limits.max_columns:
        raise UploadRefused(
            _("A row of the sheet has more than %(n)s columns.")
            % {"n": format_number(limits.max_columns)}
        )


def check_json(path: Path) -> Scan:
    """Refuse a JSON file nested deeper than the bound, before a parser sees it.

    Brackets inside strings do not count; a string cut by the end of a block is carried over
    to the next one. `may_hold_nul`: a "\\u0000" escape is in the file.
    """
    limits, scan = upload_limits(), Scan()
    depth = deepest = 0
    carry = b""
    with Path(path).open("rb") as fh:
        check_size(fh.seek(0, io.SEEK_END))
        fh.seek(0)
        while block := fh.read(BLOCK):
            buf = carry + block
            done = _JSON_COMPLETE.match(buf).end()
            carry = buf[done:]
            text = buf[:done]
            scan.may_hold_nul = scan.may_hold_nul or b"\\u0000" in text
            brackets = _JSON_STRING.sub(b"", text).translate(None, _NOT_BRACKETS)
            if brackets:
                steps = accumulate(map(_DEPTH_STEP.__getitem__, brackets), initial=depth)
                deepest = max(deepest, max(steps))
                depth += sum(map(_DEPTH_STEP.__getitem__, brackets))
            if deepest > limits.max_json_depth:
                raise UploadRefused(
                    _("The file is nested more than %(n)s levels deep.")
                    % {"n": format_number(limits.max_json_depth)}
                )
    return scan


def check_text(source: Path | bytes) -> Scan:
    """A CSV or text file (a path or its bytes): its size, and no line longer than a block
    (a row of a million columns would be built whole before anything could count them)."""
    scan = Scan()
    since_newline = 0
    with _source(source) as fh:
        check_size(fh.seek(0, io.SEEK_END))
        fh.seek(0)
        while block := fh.read(BLOCK):
            scan.may_hold_nul = scan.may_hold_nul or b"\x00" in block
            first = block.find(b"\n")
            # A line inside one block is shorter than a block; one across blocks is measured.
            if first < 0:
                since_newline += len(block)
                too_long = since_newline > BLOCK
            else:
                too_long = since_newline + first > BLOCK
                since_newline = len(block) - block.rfind(b"\n") - 1
            if too_long:
                raise UploadRefused(_("A line of the file is longer than 1 MB."))
    return scan


def pending_imports_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / PENDING_IMPORTS
    path.mkdir(parents=True, exist_ok=True)
    return path


def pending_imports_purge(*, now: float | None = None) -> int:
    """Delete the uploads nobody confirmed in time; how many were deleted."""
    limit = (now if now is not None else time.time()) - (
        settings.PHONGTRAO_IMPORT_UPLOAD_MAX_AGE_HOURS * 3600
    )
    removed = 0
    for path in pending_imports_dir().iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue  # confirmed or purged by another request meanwhile
    return removed
