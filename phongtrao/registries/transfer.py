"""XLSX import (checked whole before anything is written) and export of any registry.

Headers are Vietnamese and are the file's contract with the people filling it, so they are not
translated; the reasons given for problems are. The import reads with the units app's reader
(XLSX or CSV in UTF-8) and reports every problem by row and column at once.
"""

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from phongtrao.core.spreadsheets import (
    FileProblem,
    ImportCheck,
    Problem,
    neutralise_row,
    read_table,
)
from phongtrao.core.text import (
    ScientificNotation,
    clean_text,
    format_date,
    parse_number,
    search_key,
)
from phongtrao.registries.models import RegistryEntry, SchemeType
from phongtrao.registries.registry import Column, Registry
from phongtrao.registries.services.base import validation_errors
from phongtrao.units.models import ADMINISTRATIVE_KINDS, Unit, valid_on
from phongtrao.units.scope import in_scope

FORMULA_STARTS = ("=", "+", "-", "@")
TRUE_WORDS = {"co", "x", "1", "yes", "true", "dung"}
FALSE_WORDS = {"", "khong", "0", "no", "false", "sai"}
_CODES = re.compile(r"[,;\n]+")


@dataclass
class RegistryImportCheck(ImportCheck):
    """The file's cells by row number, and `data`, each row's cells as the entry's values."""

    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    data: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


def _parse_date(text: str) -> date:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


class _Units:
    """Unit codes of a file, looked up in one query; a code names the unit in force that day."""

    def __init__(self, codes: set[str], user: Any) -> None:
        self.user = user
        self.by_code: dict[str, list[Unit]] = {}
        for unit in Unit.objects.filter(code__in=codes).order_by("path"):
            self.by_code.setdefault(unit.code, []).append(unit)

    def get(self, code: str, on: date) -> Unit:
        units = [u for u in self.by_code.get(code, []) if u.is_valid_on(on)]
        units.sort(key=lambda u: u.kind not in ADMINISTRATIVE_KINDS)
        if not units:
            raise ValueError(
                _("There is no unit with code %(code)s on %(date)s.")
                % {"code": code, "date": format_date(on)}
            )
        if not in_scope(self.user, units[0]):
            raise ValueError(
                _("%(name)s is outside the units you manage.") % {"name": units[0].name}
            )
        return units[0]


def _choice(model: type, column: Column, text: str) -> str:
    choices = model._meta.get_field(column.name).choices
    key = search_key(text)
    for value, label in choices:
        if key in (search_key(str(value)), search_key(str(label))):
            return value
    raise ValueError(
        _("Unknown value “%(value)s”; write one of: %(choices)s.")
        % {"value": text, "choices": ", ".join(str(label) for _v, label in choices)}
    )


def _row_date(registry: Registry, values: dict[str, str]) -> date:
    """The day unit codes are read on: the entry's own date, else today."""
    name = registry.model.date_field
    text = values.get(name, "") if name else ""
    try:
        return _parse_date(text)
    except ValueError:
        return timezone.localdate()


def _cell(registry: Registry, column: Column, text: str, *, units: _Units, on: date, types) -> Any:
    kind = column.kind
    if kind == "bool":
        key = search_key(text)
        if key in TRUE_WORDS:
            return True
        if key in FALSE_WORDS:
            return False
        raise ValueError(_("Write “có” or leave the cell empty."))
    if kind == "units":
        return [units.get(code.strip(), on) for code in _CODES.split(text) if code.strip()]
    if not text:
        if column.required:
            raise ValueError(_("The cell is empty."))
        model_field = registry.model._meta.get_field(column.name)
        if kind in ("int", "decimal"):
            return model_field.default if model_field.has_default() else 0
        return None if kind in ("date", "unit") else ""
    if kind == "text":
        if text.startswith(FORMULA_STARTS):
            raise ValueError(
                _(
                    "The cell starts with “%(char)s”, which spreadsheets read as a formula; only "
                    "text is accepted: remove the sign or write the value another way."
                )
                % {"char": text[0]}
            )
        return text
    if kind in ("int", "decimal"):
        try:
            number = parse_number(text)
        except ScientificNotation:
            raise ValueError(
                _("“%(value)s” is in scientific notation; write the number in full.")
                % {"value": text}
            ) from None
        except ValueError:
            raise ValueError(_("“%(value)s” is not a number.") % {"value": text}) from None
        if number < 0:
            raise ValueError(_("The number must not be negative."))
        if kind == "int" and number != number.to_integral_value():
            raise ValueError(_("Write a whole number."))
        return int(number) if kind == "int" else Decimal(number)
    if kind == "date":
        try:
            return _parse_date(text)
        except ValueError:
            raise ValueError(
                _("“%(value)s” is not a date; write dd/mm/yyyy.") % {"value": text}
            ) from None
    if kind == "choice":
        return _choice(registry.model, column, text)
    if kind == "unit":
        return units.get(text, on)
    if kind == "type":
        found = types.get(search_key(text))
        if found is None:
            raise ValueError(_("Unknown model type “%(value)s”.") % {"value": text})
        return found
    raise AssertionError(kind)


def _read(
    registry: Registry, table: list[list[str]]
) -> tuple[list[tuple[int, dict]], list[Problem]]:
    problems: list[Problem] = []
    if not table or not any(table[0]):
        return [], [Problem(1, "", _("The first row must hold the column headers."))]
    by_header = {search_key(c.header): c for c in registry.columns}
    fields: dict[int, Column] = {}
    for index, label in enumerate(table[0]):
        key = search_key(label)
        if not key or key in {"stt", "tt", "ghi chu"}:
            continue
        column = by_header.get(key)
        if column is None:
            problems.append(Problem(1, label, _("Unknown column.")))
        elif column in fields.values():
            problems.append(Problem(1, label, _("The column appears twice.")))
        else:
            fields[index] = column
    for column in registry.columns:
        if column.required and column not in fields.values():
            problems.append(Problem(1, column.header, _("The column is missing.")))
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(cells):
            continue
        values = {c.name: "" for c in registry.columns}
        for index, column in fields.items():
            if index < len(cells):
                values[column.name] = clean_text(cells[index])
        rows.append((number, values))
    return rows, problems


def check_rows(
    registry: Registry, rows: list[tuple[int, dict[str, str]]], *, user: Any
) -> RegistryImportCheck:
    check = RegistryImportCheck(rows=rows)
    headers = {c.name: c.header for c in registry.columns}
    codes = set()
    for _n, values in rows:
        for column in registry.columns:
            if column.kind in ("unit", "units"):
                codes |= {c.strip() for c in _CODES.split(values[column.name]) if c.strip()}
    units = _Units(codes, user)
    types = {}
    for scheme_type in SchemeType.objects.all():
        types[search_key(scheme_type.name)] = types[search_key(scheme_type.code)] = scheme_type
    seen: dict[tuple, int] = {}
    for number, values in rows:
        on = _row_date(registry, values)
        data: dict[str, Any] = {}
        problems: list[Problem] = []
        for column in registry.columns:
            try:
                data[column.name] = _cell(
                    registry, column, values[column.name], units=units, on=on, types=types
                )
            except ValueError as exc:
                problems.append(Problem(number, column.header, str(exc)))
        if not problems:
            problems += _model_problems(registry, data, number, headers)
        if not problems and registry.natural_key:
            key = tuple(
                str(getattr(data.get(n), "pk", data.get(n))).casefold()
                for n in registry.natural_key
            )
            if key in seen:
                header = headers.get(registry.natural_key[-1], "")
                problems.append(
                    Problem(number, header, _("Same entry as row %(row)d.") % {"row": seen[key]})
                )
            else:
                seen[key] = number
        check.problems += problems
        check.data.append((number, data))
    return check


def _model_problems(
    registry: Registry, data: dict[str, Any], number: int, headers
) -> list[Problem]:
    """The model's own checks (full_clean, then its rules on links) on the row, by column."""
    m2m = {f.name for f in registry.model._meta.many_to_many}
    entry = registry.model(**{k: v for k, v in data.items() if k not in m2m})
    entry.refresh_derived()
    problems = []
    for check in (
        lambda: entry.full_clean(exclude=list(m2m)),
        lambda: entry.clean_links({name: list(data.get(name) or []) for name in m2m}),
    ):
        try:
            check()
        except ValidationError as exc:
            problems += [
                Problem(number, headers.get(name, "") if name != NON_FIELD_ERRORS else "", message)
                for name, messages in validation_errors(registry.model, exc).items()
                for message in messages
            ]
    return problems


def check_file(registry: Registry, *, name: str, content: bytes, user: Any) -> RegistryImportCheck:
    try:
        table = read_table(name=name, content=content)
    except FileProblem as exc:
        return RegistryImportCheck(problems=[Problem(0, "", str(exc))])
    rows, problems = _read(registry, table)
    if problems:
        return RegistryImportCheck(rows=rows, problems=problems)
    if not rows:
        return RegistryImportCheck(problems=[Problem(0, "", _("The file has no rows to import."))])
    return check_rows(registry, rows, user=user)


# --- export -----------------------------------------------------------------------------------


def _export_cell(entry: RegistryEntry, column: Column) -> Any:
    value = getattr(entry, column.name)
    if column.kind == "units":
        return ", ".join(u.code for u in value.all())
    if column.kind == "unit":
        return value.code if value else ""
    if column.kind == "type":
        return value.name
    if column.kind == "choice":
        return str(getattr(entry, f"get_{column.name}_display")()) if value else ""
    if column.kind == "bool":
        return "có" if value else ""
    if column.kind == "date":
        return format_date(value)
    if column.kind == "decimal":
        return int(value) if value == value.to_integral_value() else float(value)
    return value if value is not None else ""


def build_workbook(registry: Registry, entries) -> bytes:
    """The same columns as the import, so an export can be corrected and imported back."""
    book = Workbook()
    sheet = book.active
    sheet.title = str(registry.verbose_name_plural)[:31]
    sheet.append(neutralise_row(c.header for c in registry.columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for entry in entries:
        sheet.append(neutralise_row(_export_cell(entry, c) for c in registry.columns))
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_queryset(registry: Registry, qs):
    m2m = [c.name for c in registry.columns if c.kind == "units"]
    related = [c.name for c in registry.columns if c.kind in ("unit", "type")]
    return qs.select_related(*related).prefetch_related(*m2m)


def unit_q(paths: list[str]) -> Q:
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return condition


__all__ = ["RegistryImportCheck", "build_workbook", "check_file", "check_rows", "valid_on"]
