"""The fields a report template fills in, shared by DOCX, PDF and XLSX.

These names are what an administrator writes in a Word template (`{{ place_date }}`); they are
listed in docs/documents.md, so renaming one breaks uploaded templates.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import translation

from phongtrao.analytics.states import STATE_LABELS
from phongtrao.documents import wording
from phongtrao.documents.kinds import kind_spec
from phongtrao.documents.narrative import narrative_build, number
from phongtrao.documents.selectors import AnnexRow, ReportData
from phongtrao.units.models import ADMINISTRATIVE_KINDS, Unit, UnitKind

# The short form of the issuing police body in "Số: …/BC-CAT" (Nghị định 30/2020, phụ lục III).
SYMBOLS = {
    "tỉnh": "BC-CAT",
    "thành phố": "BC-CATP",
    "huyện": "BC-CAH",
    "quận": "BC-CAQ",
    "thị xã": "BC-CATX",
    "xã": "BC-CAX",
    "phường": "BC-CAP",
    "thị trấn": "BC-CATT",
    "đặc khu": "BC-CAĐK",
}


@dataclass(frozen=True)
class Issuer:
    superior: str  # "BỘ CÔNG AN", "CÔNG AN TỈNH QUẢNG NGÃI"
    body: str  # "CÔNG AN XÃ BỜ Y"
    subject: str  # "Công an xã Bờ Y", as the body names itself in sentences
    scope: str  # "xã": "toàn xã"
    symbol: str
    place: str  # "Bờ Y"
    signer_title: str
    recipients: list[str]


def _police(unit: Unit) -> str:
    return f"Công an {unit.type_name.lower()} {unit.short_name}".strip()


def issuer_of(unit: Unit, ancestors: list[Unit]) -> Issuer:
    """Who signs the report: the police of the unit (or, below a commune, the unit itself)."""
    administrative = [a for a in ancestors if a.kind in ADMINISTRATIVE_KINDS]
    parent = administrative[-1] if administrative else None
    kind = unit.type_name.lower()
    if unit.kind in ADMINISTRATIVE_KINDS:
        subject = _police(unit)
        superior = "BỘ CÔNG AN" if unit.kind == UnitKind.PROVINCE else _police(parent).upper()
        place = unit.short_name
        signer = "GIÁM ĐỐC" if unit.kind == UnitKind.PROVINCE else "TRƯỞNG CÔNG AN"
        symbol = SYMBOLS.get(kind, "BC")
        scope = kind
    else:
        subject = unit.name
        superior = _police(parent).upper() if parent else ""
        commune = next((a for a in reversed(administrative) if a.kind == UnitKind.COMMUNE), None)
        place = (commune or parent or unit).short_name
        signer = "THỦ TRƯỞNG ĐƠN VỊ"
        symbol = "BC"
        scope = "đơn vị"
    recipients = [f"{_police(parent)} (để báo cáo);"] if parent else ["Bộ Công an (để báo cáo);"]
    recipients += [f"Cấp ủy, chính quyền {unit.type_name.lower()} {unit.short_name};".strip()]
    return Issuer(
        superior=superior,
        body=subject.upper(),
        subject=subject,
        scope=scope,
        symbol=symbol,
        place=place,
        signer_title=signer,
        recipients=[*recipients, f"{wording.ARCHIVE}."],
    )


def date_line(day: date) -> str:
    """Nghị định 30/2020: a zero before days under 10 and before months 1 and 2."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


# The change column of a row whose other year has no figure: no change can be said.
NO_CHANGE = "—"


def _number(value: Decimal | None, signed: bool = False) -> str:
    if value is None:
        return ""
    text = number(value)
    return f"+{text}" if signed and value > 0 else text


def difference_text(row: AnnexRow) -> str:
    """The change column: "+12", "-10", "0"; "—" when only one year has a figure."""
    if row.difference is None:
        return NO_CHANGE if row.compared else ""
    return _number(row.difference, signed=True)


def data_labels(data: ReportData) -> tuple[str, str]:
    """The data state's label and the coverage line, in Vietnamese like the rest of the report
    whatever the language of the page that asked for it."""
    with translation.override("vi"):
        state = str(STATE_LABELS[data.state])
        covered = data.coverage.label if data.coverage is not None else ""
    return state, covered


def data_note(state_label: str, coverage: str) -> str:
    """The line saying which data the figures are: "Số liệu tổng hợp: báo cáo đã gửi và đã
    duyệt. Số liệu của 2/3 đơn vị đã gửi báo cáo." (without coverage, its first sentence)."""
    note = wording.DATA_NOTE.format(state=state_label)
    if coverage:
        note += " " + wording.COVERAGE_NOTE.format(coverage=coverage)
    return note


def report_context(
    *, data: ReportData, ancestors: list[Unit], today: date, number_text: str = "…"
) -> dict[str, Any]:
    """Everything a template may use; plain strings, lists and dicts only."""
    issuer = issuer_of(data.unit, ancestors)
    state_label, coverage = data_labels(data)
    words = kind_spec(data.kind).words
    narrative = narrative_build(
        figures=data.figures, subject=issuer.subject, scope=issuer.scope, words=words
    )
    year = data.year
    return {
        "kind": data.kind.value,
        "year": year,
        "previous_year": year - 1,
        "next_year": year + 1,
        "unit_name": data.unit.name,
        "unit_code": data.unit.code,
        "boundaries": data.boundaries.value,
        "state": data.state.value,
        "state_label": state_label,
        "coverage": coverage,
        "data_note": data_note(state_label, coverage),
        "superior": issuer.superior,
        "issuer": issuer.body,
        "number": number_text,
        "symbol": issuer.symbol,
        "number_line": f"Số: {number_text}/{issuer.symbol}",
        "nation": wording.MOTTO_NATION,
        "motto": wording.MOTTO,
        "place": issuer.place,
        "date_line": date_line(today),
        "place_date": f"{issuer.place}, {date_line(today)}",
        "title": words.TITLE,
        "subtitle": words.SUBTITLE.format(year=year),
        "intro": narrative.intro,
        "part_results": narrative.part_results,
        "sections": [
            {"heading": s.heading, "paragraphs": s.paragraphs} for s in narrative.sections
        ],
        "part_assessment": narrative.part_assessment,
        "assessment": narrative.assessment,
        "shortcomings": wording.AUTHOR_FIELD,
        "part_tasks": narrative.part_tasks,
        "tasks": wording.AUTHOR_FIELD,
        "recipients_label": wording.RECIPIENTS_LABEL,
        "recipients": issuer.recipients,
        "signer_title": issuer.signer_title,
        "signer_name": "",
        "annex_title": words.ANNEX_TITLE,
        "annex_subtitle": words.ANNEX_SUBTITLE.format(year=year),
        "annex": [
            {
                "name": section.name,
                "rows": [
                    {
                        "number": row.number,
                        "code": row.code,
                        "name": row.name,
                        "unit": row.unit_of_measure,
                        "value": _number(row.value),
                        "previous": _number(row.previous),
                        "difference": difference_text(row),
                        # Numbers as numbers, for spreadsheets and checks.
                        "value_number": row.value,
                        "previous_number": row.previous,
                        "difference_number": row.difference,
                    }
                    for row in section.rows
                ],
            }
            for section in data.annex
        ],
    }


# What each field holds, for the template page and docs/documents.md.
FIELDS = [
    "kind", "year", "previous_year", "next_year", "unit_name", "unit_code", "boundaries",
    "state", "state_label", "coverage", "data_note", "superior", "issuer", "number", "symbol",
    "number_line", "nation", "motto", "place",
    "date_line", "place_date", "title", "subtitle", "intro", "part_results", "sections",
    "part_assessment", "assessment", "shortcomings", "part_tasks", "tasks", "recipients_label",
    "recipients", "signer_title", "signer_name", "annex_title", "annex_subtitle", "annex",
]  # fmt: skip
