"""The one way in for an import file of any format: picks its reader among the text formats'
(formats.py), XLSX's (xlsx.py) and the history workbook's (history.py), which build on
formats.py, so formats.py imports none of them."""

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
from phongtrao.reporting.transfer.history import HistoryReader
from phongtrao.reporting.transfer.xlsx import XlsxReader


def reader_for(path: Path, fmt: Format | str | None = None) -> Reader:
    fmt = Format(fmt) if fmt else guess_format(path)
    if not path.is_file():
        raise unusable(_("The file %(path)s does not exist.") % {"path": path})
    if fmt in (Format.CSV, Format.DHIS2_CSV):
        return CsvReader(path, fmt)
    if fmt == Format.DHIS2_JSON:
        return Dhis2JsonReader(path)
    if fmt == Format.HISTORY_XLSX:
        return HistoryReader(path)
    return XlsxReader(path)
