"""Hostile files for the tests of the upload bounds, and a child process to read them in.

Each bomb is small on disk and unpacks (or nests) to what once took the server gigabytes. A
reader is run on it in a child Python whose address space is capped (RLIMIT_AS), so a bound
that fails makes the child fail instead of the machine; the child reports its own peak memory
(its VmHWM).
"""

import io
import json
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

from openpyxl import Workbook

# The child's address space: Python, Django, lxml and openpyxl map far more than they touch.
ADDRESS_SPACE_CAP = 3 * 1024**3

_CHILD = textwrap.dedent(
    """
    import json, resource, sys
    resource.setrlimit(resource.RLIMIT_AS, ({cap}, {cap}))
    import django
    django.setup()
    from django.utils import translation
    translation.activate("vi")
    outcome = {{"error": None}}
    try:
        exec(sys.argv[1], {{"path": sys.argv[2]}})
    except MemoryError:
        outcome["error"] = "MemoryError"
    except Exception as exc:
        outcome["error"] = getattr(exc, "message", None) or repr(exc)
    # VmHWM, not ru_maxrss: Linux carries the parent's peak into ru_maxrss across exec.
    with open("/proc/self/status") as status:
        peak = next(line for line in status if line.startswith("VmHWM:"))
    outcome["peak_mb"] = int(peak.split()[1]) // 1024
    print(json.dumps(outcome))
    """
)


def read_capped(code: str, path: Path, *, timeout: float = 120) -> dict:
    """Run `code` (with `path` bound) in a capped child: {"error": message or None, "peak_mb"}."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "phongtrao.settings"}
    done = subprocess.run(
        [sys.executable, "-c", _CHILD.format(cap=ADDRESS_SPACE_CAP), code, str(path)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    assert lines, done.stderr[-2000:]
    return json.loads(lines[-1])


def deep_json(path: Path, depth: int = 200_000) -> Path:
    """A dataValueSet whose list is nested `depth` deep: 400 KB."""
    path.write_bytes(b'{"dataValues":' + b"[" * depth + b"]" * depth + b"}")
    return path


def _workbook_bytes() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["Mã", "Tên"])
    sheet.append(["unit", "period"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _replace_parts(path: Path, source: bytes, parts: dict[str, bytes]) -> Path:
    with (
        zipfile.ZipFile(io.BytesIO(source)) as old,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as new,
    ):
        for info in old.infolist():
            if info.filename not in parts:
                new.writestr(info, old.read(info))
        for name, data in parts.items():
            new.writestr(name, data)
    return path


def shared_strings_xlsx(path: Path, count: int = 3_000_000) -> Path:
    """An XLSX whose shared-strings part holds `count` strings: about 100 KB on disk."""
    strings = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + b"<si><t>a</t></si>" * count
        + b"</sst>"
    )
    book = _workbook_bytes()
    with zipfile.ZipFile(io.BytesIO(book)) as old:
        types, rels = old.read("[Content_Types].xml"), old.read("xl/_rels/workbook.xml.rels")
    if b"sharedStrings" not in types:
        types = types.replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )
    if b"sharedStrings" not in rels:
        rels = rels.replace(
            b"</Relationships>",
            b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        )
    parts = {
        "xl/sharedStrings.xml": strings,
        "[Content_Types].xml": types,
        "xl/_rels/workbook.xml.rels": rels,
    }
    return _replace_parts(path, book, parts)


def huge_sheet_xlsx(path: Path) -> Path:
    """An XLSX whose one sheet declares A1:XFD1048576 and holds a cell in its last row."""
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<dimension ref="A1:XFD1048576"/><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>unit</t></is></c></row>'
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>unit</t></is></c>'
        b'<c r="B2" t="inlineStr"><is><t>period</t></is></c></row>'
        b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
        b"</sheetData></worksheet>"
    )
    return _replace_parts(path, _workbook_bytes(), {"xl/worksheets/sheet1.xml": sheet})


def huge_docx(path: Path, paragraphs: int = 10_000_000) -> Path:
    """A DOCX whose body holds `paragraphs` empty paragraphs: about 100 KB on disk."""
    from docx import Document

    out = io.BytesIO()
    Document().save(out)
    body = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body>" + b"<w:p/>" * paragraphs + b"</w:body></w:document>"
    )
    return _replace_parts(path, out.getvalue(), {"word/document.xml": body})
