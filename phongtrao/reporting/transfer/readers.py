"""The one way in for an import file of any format: picks its reader among the text formats'
(formats.py) and XLSX's (xlsx.py), which builds on formats.py, so neither imports the other."""

from pathlib import Path

from django.utils.translation import gettext as _

from phongtrao.reporting.transfer.formats import (
    CsvReader,
    Dhis2JsonReader,
    Format,
    Reader,
    guess_format,
    unusable,
)
from phongtrao.reporting.transfer.xlsx import XlsxReader


def reader_for(path: Path, fmt: Format | str | None = None) -> Reader:
    fmt = Format(fmt) if fmt else guess_format(path)
    if not path.is_file():
        raise unusable(_("The file %(path)s does not exist.") % {"path": path})
    if fmt in (Format.CSV, Format.DHIS2_CSV):
        return CsvReader(path, fmt)
    if fmt == Format.DHIS2_JSON:
        return Dhis2JsonReader(path)
    return XlsxReader(path)
