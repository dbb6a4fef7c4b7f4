"""Checking a file of grassroots units (XLSX or CSV) before anything is written.

Checking collects every problem of every row at once, so one round trip fixes a file; the
reasons are translated, the headers (`tables.COLUMNS`) are not. `services.units_import` does
the writing.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from phongtrao.core.spreadsheets import MAX_ROWS, FileProblem, ImportCheck, Problem, read_table
from phongtrao.core.text import search_key
from phongtrao.units.import_template import COLUMNS, KIND_LABELS
from phongtrao.units.models import ADMINISTRATIVE_KINDS, Unit, UnitKind
from phongtrao.units.scope import in_scope
from phongtrao.units.services import (
    UnitDraft,
    code_problem,
    kind_parent_problem,
    phone_problem,
)

HEADER_FIELDS = {search_key(label): name for name, label in COLUMNS.items()}
# Columns people commonly add for themselves; they carry nothing to import.
IGNORED_HEADERS = {"stt", "so thu tu", "tt", "ghi chu"}
REQUIRED_FIELDS = ("name", "kind")

KIND_WORDS = {search_key(label): kind for kind, label in KIND_LABELS.items()}
FORMULA_STARTS = ("=", "+", "-", "@")
MAX_LENGTHS = {
    name: Unit._meta.get_field(name).max_length
    for name in ("name", "type_name", "contact_name", "contact_phone")
}


@dataclass
class ImportRow:
    row: int
    values: dict[str, str]
    kind: str = ""
    parent: Unit | None = None
    code: str = ""
    problems: list[Problem] = field(default_factory=list)

    def draft(self) -> UnitDraft:
        return UnitDraft(
            parent_id=self.parent.pk,
            kind=self.kind,
            name=self.values["name"],
            type_name=self.values["type_name"],
            code=self.code,
            contact_name=self.values["contact_name"],
            contact_phone=self.values["contact_phone"],
            row=self.row,
        )


@dataclass
class UnitImportCheck(ImportCheck):
    rows: list[ImportRow] = field(default_factory=list)

    def drafts(self) -> list[UnitDraft]:
        return [row.draft() for row in self.rows]

    def stored(self) -> list[dict[str, Any]]:
        """The file's cells, JSON-safe, to be checked again when the import is confirmed."""
        return [{"row": row.row, "values": row.values} for row in self.rows]


def _header_fields(header: list[str], problems: list[Problem]) -> dict[int, str]:
    fields: dict[int, str] = {}
    seen: dict[str, str] = {}
    for index, label in enumerate(header):
        key = search_key(label)
        if not key or key in IGNORED_HEADERS:
            continue
        name = HEADER_FIELDS.get(key)
        if name is None:
            problems.append(Problem(1, label, _("Unknown column.")))
        elif name in seen:
            problems.append(Problem(1, label, _("The column appears twice.")))
        else:
            fields[index] = seen[name] = name
    for name in REQUIRED_FIELDS:
        if name not in seen:
            problems.append(Problem(1, COLUMNS[name], _("The column is missing.")))
    return fields


def parse_table(table: list[list[str]]) -> tuple[list[ImportRow], list[Problem]]:
    problems: list[Problem] = []
    if not table or not any(table[0]):
        return [], [Problem(1, "", _("The first row must hold the column headers."))]
    fields = _header_fields(table[0], problems)
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(cells):
            continue
        values = dict.fromkeys(COLUMNS, "")
        for index, name in fields.items():
            if index < len(cells):
                values[name] = cells[index]
        rows.append(ImportRow(row=number, values=values))
    if len(rows) > MAX_ROWS:
        problems.append(
            Problem(1, "", _("The file has more than %(n)d rows; split it.") % {"n": MAX_ROWS})
        )
    return rows, problems


def _add(row: ImportRow, name: str, message: str) -> None:
    row.problems.append(Problem(row.row, COLUMNS[name], message))


def _check_cells(row: ImportRow) -> None:
    for name, value in row.values.items():
        if name == "contact_phone" and value.startswith("+"):
            continue  # "+84 …" is a phone number; the phone check below still applies
        if value.startswith(FORMULA_STARTS):
            message = _(
                "The cell starts with “%(char)s”, which spreadsheets read as a formula; only "
                "text is accepted: remove the sign or write the value another way."
            )
            _add(row, name, message % {"char": value[0]})
        elif name in MAX_LENGTHS and len(value) > MAX_LENGTHS[name]:
            _add(row, name, _("At most %(n)d characters.") % {"n": MAX_LENGTHS[name]})
    if not row.values["name"]:
        _add(row, "name", _("The name is empty."))
    kind_text = row.values["kind"]
    row.kind = KIND_WORDS.get(search_key(kind_text), "")
    if not row.kind and kind_text in KIND_LABELS:
        row.kind = kind_text  # the internal names are accepted too
    if not kind_text:
        _add(row, "kind", _("The kind is empty."))
    elif not row.kind:
        _add(
            row,
            "kind",
            _("Unknown kind “%(value)s”; write one of: %(choices)s.")
            % {"value": kind_text, "choices": ", ".join(KIND_LABELS.values())},
        )
    code = row.values["code"]
    problem = code_problem(code) if code and not code.startswith(FORMULA_STARTS) else None
    if problem:
        _add(row, "code", problem)
    problem = phone_problem(row.values["contact_phone"])
    if problem:
        _add(row, "contact_phone", problem)


def _resolve_parents(rows: list[ImportRow], *, parent: Unit, user: Any, on: date) -> None:
    codes = {r.values["parent_code"] for r in rows if r.values["parent_code"]}
    found: dict[str, Unit] = {}
    candidates = Unit.objects.valid_on(on).filter(code__in=codes, kind__in=ADMINISTRATIVE_KINDS)
    # A province and a commune never share a code, so one unit a code is enough.
    for unit in candidates:
        found[unit.code] = unit
    for row in rows:
        code = row.values["parent_code"]
        column = "parent_code" if code else "kind"
        if code:
            unit = found.get(code)
            if unit is None:
                _add(
                    row,
                    "parent_code",
                    _("There is no province or commune with code %(code)s on %(date)s.")
                    % {"code": code, "date": f"{on:%d/%m/%Y}"},
                )
                continue
            if not in_scope(user, unit):
                _add(
                    row,
                    "parent_code",
                    _("%(name)s is outside the units you manage.") % {"name": unit.name},
                )
                continue
            row.parent = unit
        else:
            row.parent = parent
        if row.kind:
            problem = kind_parent_problem(kind=row.kind, parent=row.parent)
            if problem:
                _add(row, column, problem)


def _check_duplicates(rows: list[ImportRow]) -> None:
    codes: dict[str, int] = {}
    names: dict[tuple[int, str, str], int] = {}
    for row in rows:
        code = row.values["code"]
        if code:
            if code in codes:
                _add(row, "code", _("Same code as row %(row)d.") % {"row": codes[code]})
            else:
                codes[code] = row.row
        if row.parent is not None and row.kind and row.values["name"]:
            key = (row.parent.pk, row.kind, row.values["name"].casefold())
            if key in names:
                _add(row, "name", _("Same name as row %(row)d.") % {"row": names[key]})
            else:
                names[key] = row.row


def _check_existing(rows: list[ImportRow]) -> None:
    placed = [r for r in rows if r.parent is not None]
    codes = {r.values["code"] for r in placed if r.values["code"]}
    existing_codes = list(
        Unit.objects.filter(code__in=codes).values_list("code", "valid_from", "valid_to")
    )
    names = {r.values["name"] for r in placed if r.values["name"]}
    parents = {r.parent.pk for r in placed}
    existing_names = list(
        Unit.objects.filter(parent_id__in=parents, name__in=names).values_list(
            "parent_id", "kind", "name", "valid_from", "valid_to"
        )
    )
    for row in placed:
        start, end = row.parent.valid_from, row.parent.valid_to
        code = row.values["code"]
        if any(c == code and _overlaps(start, end, f, t) for c, f, t in existing_codes):
            _add(
                row,
                "code",
                _("The code %(code)s is already used by another unit.") % {"code": code},
            )
        if any(
            p == row.parent.pk and k == row.kind and n == row.values["name"]
            and _overlaps(start, end, f, t)
            for p, k, n, f, t in existing_names
        ):  # fmt: skip
            _add(
                row,
                "name",
                _("%(parent)s already has a %(kind)s named %(name)s.")
                % {
                    "parent": row.parent.name,
                    "kind": UnitKind(row.kind).label,
                    "name": row.values["name"],
                },
            )


def _overlaps(a_from: date | None, a_to: date | None, b_from: date | None, b_to: date | None):
    return (a_to is None or b_from is None or b_from <= a_to) and (
        a_from is None or b_to is None or b_to >= a_from
    )


def _assign_codes(rows: list[ImportRow]) -> None:
    """Rows without a code get the next "<parent code>-NNN", above every code already taken.

    Done here rather than row by row at write time so the preview shows each row's code and a
    row's automatic code can never collide with a code written further down the file.
    """
    taken = {r.values["code"] for r in rows if r.values["code"]}
    prefixes = {f"{r.parent.code}-" for r in rows if not r.values["code"] and r.parent}
    if prefixes:
        condition = Q()
        for prefix in prefixes:
            condition |= Q(code__startswith=prefix)
        taken |= set(Unit.objects.filter(condition).values_list("code", flat=True))
    last: dict[str, int] = {}
    for row in rows:
        if row.values["code"] or row.parent is None:
            row.code = row.values["code"]
            continue
        prefix = f"{row.parent.code}-"
        if prefix not in last:
            numbers = [c[len(prefix) :] for c in taken if c.startswith(prefix)]
            last[prefix] = max((int(n) for n in numbers if n.isdigit()), default=0)
        last[prefix] += 1
        row.code = f"{prefix}{last[prefix]:03d}"


def check_rows(rows: list[ImportRow], *, parent: Unit, user: Any, on: date) -> None:
    for row in rows:
        _check_cells(row)
    _resolve_parents(rows, parent=parent, user=user, on=on)
    _check_duplicates(rows)
    _check_existing(rows)
    _assign_codes(rows)


def check_stored(
    stored: list[dict[str, Any]], *, parent: Unit, user: Any, on: date
) -> UnitImportCheck:
    """Check again, against today's data, rows kept from a preview (codes are given anew)."""
    rows = [ImportRow(row=item["row"], values=dict(item["values"])) for item in stored]
    check_rows(rows, parent=parent, user=user, on=on)
    return UnitImportCheck(rows=rows, problems=[p for row in rows for p in row.problems])


def check_file(*, name: str, content: bytes, parent: Unit, user: Any, on: date) -> UnitImportCheck:
    """Read and check a whole file; `UnitImportCheck.ok` says whether it may be written."""
    try:
        table = read_table(name=name, content=content)
    except FileProblem as exc:
        return UnitImportCheck(problems=[Problem(0, "", str(exc))])
    rows, problems = parse_table(table)
    if not problems:
        check_rows(rows, parent=parent, user=user, on=on)
    if not rows and not problems:
        problems.append(Problem(0, "", _("The file has no rows to import.")))
    problems += [p for row in rows for p in row.problems]
    return UnitImportCheck(rows=rows, problems=problems)
