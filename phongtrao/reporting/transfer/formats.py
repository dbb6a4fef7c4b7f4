"""Readers of the four import formats, streaming: memory does not grow with the file.

Every reader yields `Record` tuples and knows how to name a record's place (row, JSON index)
and a field's column in its own vocabulary, so messages point at what the person sees.
"""

import csv
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Any, NamedTuple

import ijson
from django.utils.translation import gettext as _

from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.uploads import check_json, check_text


class Format(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    DHIS2_JSON = "dhis2-json"
    DHIS2_CSV = "dhis2-csv"
    # Past years as provinces keep them: a sheet per unit, indicators in rows, a column a year.
    HISTORY_XLSX = "history-xlsx"


TEXT_FORMATS = (Format.CSV, Format.DHIS2_JSON, Format.DHIS2_CSV)
EXTENSIONS = {Format.CSV: "csv", Format.XLSX: "xlsx", Format.DHIS2_JSON: "json"}
EXTENSIONS[Format.DHIS2_CSV] = "csv"
EXTENSIONS[Format.HISTORY_XLSX] = "xlsx"
CONTENT_TYPES = {
    Format.CSV: "text/csv; charset=utf-8",
    Format.DHIS2_CSV: "text/csv; charset=utf-8",
    Format.DHIS2_JSON: "application/json",
    Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
CONTENT_TYPES[Format.HISTORY_XLSX] = CONTENT_TYPES[Format.XLSX]
OUR_CSV_HEADER = ["indicator", "unit", "period", "value", "comment"]
DHIS2_CSV_HEADER = [
    "dataelement", "period", "orgunit", "catoptcombo", "attroptcombo", "value", "strby",
    "lstupd", "cmt",
]  # fmt: skip


class Record(NamedTuple):
    pos: int  # the row in the file, or the index in dataValues
    indicator: str
    unit: str
    period: str
    value: Any
    comment: str | None  # None: the file says nothing about the comment, keep the stored one
    col: str = ""  # XLSX: the letter of the value's column


def unusable(message: str) -> AppError:
    return AppError(ErrorCode.INVALID, message)


def guess_format(path: Path) -> Format:
    suffix = path.suffix.lower()
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise unusable(_("The file cannot be read: %(error)s") % {"error": exc}) from None
    if suffix == ".xlsx" or head.startswith(b"PK"):
        return Format.XLSX
    if suffix == ".json" or head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return Format.DHIS2_JSON
    first = head.decode("utf-8", "replace").lstrip("\ufeff").split("\n", 1)[0].lower()
    if "dataelement" in first:
        return Format.DHIS2_CSV
    if suffix in (".csv", ".txt", "") or "indicator" in first:
        return Format.CSV
    raise unusable(_("The format of the file cannot be recognised; give it with --format."))


class Reader:
    format: Format
    machine = True  # numbers are written "2150.5", not "2.150,5"
    # Our CSV is opened and saved in spreadsheets, which may write 1200 as "1.200": such a
    # value is refused, not read as 1,2 (DHIS2's files come from programs only).
    ambiguous_dots = False
    columns: dict[str, str] = {}
    form_code: str | None = None
    # Set by the bounds' scan of the file; only such a file is searched for NUL value by value.
    may_hold_nul = False
    # The file also says which unit each code stands for (a sheet's name): `unit_problem`.
    names_units = False

    def __init__(self, path: Path) -> None:
        self.path = path

    def records(self) -> Iterator[Record]:
        raise NotImplementedError

    def where(self, pos: int) -> str:
        return _("Row %(row)s") % {"row": pos}

    def column(self, field: str, record: Record) -> str:
        return _("column %(column)s") % {"column": self.columns.get(field, field)}

    def unit_problem(self, record: Record, unit: tuple, period: Any, units: Any) -> str | bool:
        """Only for a reader that `names_units`: why the unit the record's code names at the
        period's end is not the one the file means (True: refused, said once already)."""
        return False


class CsvReader(Reader):
    """Our CSV and DHIS2's: the same reading, different column names."""

    def __init__(self, path: Path, fmt: Format) -> None:
        super().__init__(path)
        self.format = fmt
        self.may_hold_nul = check_text(path).may_hold_nul
        if fmt == Format.CSV:
            self.columns = {k: k for k in OUR_CSV_HEADER}
            self.ambiguous_dots = True
        else:
            self.columns = {
                "indicator": "dataelement", "unit": "orgunit", "period": "period",
                "value": "value", "comment": "cmt",
            }  # fmt: skip

    def records(self) -> Iterator[Record]:
        try:
            with self.path.open(encoding="utf-8-sig", newline="") as fh:
                yield from self._rows(csv.reader(fh))
        except (UnicodeDecodeError, csv.Error) as exc:
            raise unusable(
                _("The file is not a UTF-8 CSV file: %(error)s") % {"error": exc}
            ) from None
        except OSError as exc:
            raise unusable(_("The file cannot be read: %(error)s") % {"error": exc}) from None

    def _rows(self, reader: Any) -> Iterator[Record]:
        header = [h.strip().lower() for h in next(reader, [])]
        required = [self.columns[f] for f in ("indicator", "unit", "period", "value")]
        missing = [name for name in required if name not in header]
        if missing:
            raise unusable(
                _("Columns missing from the first row: %(columns)s.")
                % {"columns": ", ".join(missing)}
            )
        i, u, p, v = (header.index(name) for name in required)
        c = header.index(self.columns["comment"]) if self.columns["comment"] in header else None
        width = len(header)
        for row in reader:
            if not any(row):
                continue  # blank lines, often at the end of hand-edited files
            if len(row) < width:
                row += [""] * (width - len(row))
            yield Record(
                reader.line_num, row[i], row[u], row[p], row[v], None if c is None else row[c]
            )


HEADER_KEYS = ("dataSet", "period", "orgUnit", "completeDate")


class Dhis2JsonReader(Reader):
    """A dataValueSet; the set's period and orgUnit stand for values that leave them out."""

    format = Format.DHIS2_JSON
    columns = {
        "indicator": "dataElement", "unit": "orgUnit", "period": "period",
        "value": "value", "comment": "comment",
    }  # fmt: skip

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.may_hold_nul = check_json(path).may_hold_nul
        self.header = self._scan_header(full=False)
        self.form_code = self.header.get("dataSet") or None

    def where(self, pos: int) -> str:
        return f"dataValues[{pos}]"

    def column(self, field: str, record: Record) -> str:
        return _("field %(field)s") % {"field": self.columns.get(field, field)}

    def _scan_header(self, *, full: bool) -> dict[str, str]:
        """The set's own keys; unless `full`, only those written before dataValues (the usual)."""
        header: dict[str, str] = {}
        seen_values = False
        try:
            with self.path.open("rb") as fh:
                events = ijson.parse(fh)
                first = next(events, None)
                if first is None or first[1] != "start_map":
                    raise unusable(_("The file is not a DHIS2 dataValueSet (a JSON object)."))
                for prefix, event, value in events:
                    if prefix == "" and event == "map_key" and value == "dataValues":
                        seen_values = True
                        if not full:
                            break
                    elif prefix in HEADER_KEYS and event in ("string", "number"):
                        header[prefix] = str(value).strip()
        except ijson.JSONError as exc:
            raise unusable(_("The file is not valid JSON: %(error)s") % {"error": exc}) from None
        except OSError as exc:
            raise unusable(_("The file cannot be read: %(error)s") % {"error": exc}) from None
        if not seen_values:
            raise unusable(_("The file has no dataValues list."))
        return header

    def records(self) -> Iterator[Record]:
        header, complete = self.header, False
        try:
            with self.path.open("rb") as fh:
                for index, item in enumerate(ijson.items(fh, "dataValues.item")):
                    if not isinstance(item, dict):
                        item = {}
                    period, unit = item.get("period"), item.get("orgUnit")
                    if (period is None or unit is None) and not complete:
                        # Rare: the set's keys come after its values; read them all once.
                        header, complete = self._scan_header(full=True), True
                    comment = item.get("comment")
                    yield Record(
                        index,
                        str(item.get("dataElement") or ""),
                        str(unit if unit is not None else header.get("orgUnit", "")),
                        str(period if period is not None else header.get("period", "")),
                        item.get("value", ""),
                        None if comment is None else str(comment),
                    )
        except ijson.JSONError as exc:
            raise unusable(_("The file is not valid JSON: %(error)s") % {"error": exc}) from None
