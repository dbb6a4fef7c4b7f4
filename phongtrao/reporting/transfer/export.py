"""Reading values out: a unit's subtree (units in force at the period's end), one period.

Writers stream row by row, so exporting a province writes as it reads.
"""

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from phongtrao.catalog.models import Indicator, ReportForm, ValueType
from phongtrao.catalog.periods import Period, PeriodType, period_parse
from phongtrao.catalog.selectors import form_for_unit, form_indicators
from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.spreadsheets import neutralise
from phongtrao.core.text import machine_text
from phongtrao.reporting.models import DataValue, Submission
from phongtrao.reporting.transfer.formats import (
    DHIS2_CSV_HEADER,
    OUR_CSV_HEADER,
    Format,
)
from phongtrao.units.models import Unit
from phongtrao.units.selectors import unit_get

ROW_FIELDS = ("indicator__code", "indicator__value_type", "unit__code", "period", "value",
              "comment", "updated_at", "updated_by__username")  # fmt: skip


@dataclass(frozen=True)
class ExportRequest:
    unit: Unit
    period: Period
    form: ReportForm | None


def export_request(
    *, unit_code: str, period: str, form_code: str | None = None, user: Any = None
) -> ExportRequest:
    """Resolve the command line's codes; the unit is the one the code names at the period's end."""
    parsed = period_parse(period)
    unit = unit_get(code=unit_code, on=parsed.end, user=user)
    # A form of another province than the unit's is not found, like a missing one.
    form = form_for_unit(code=form_code, unit=unit, user=user) if form_code else None
    return ExportRequest(unit, parsed, form)


def export_units(request: ExportRequest) -> QuerySet[Unit]:
    return (
        Unit.objects.descendants_of(request.unit, include_self=True)
        .valid_on(request.period.end)
        .order_by("path")
    )


def export_values(request: ExportRequest) -> QuerySet[DataValue]:
    qs = DataValue.objects.filter(
        period=request.period.id,
        unit__in=export_units(request).values("pk"),
    )
    if request.form is not None:
        qs = qs.filter(indicator__items__form=request.form)
    return qs.order_by("unit__path", "indicator__code")


def _rows(request: ExportRequest) -> Iterator[tuple]:
    yield from export_values(request).values_list(*ROW_FIELDS).iterator(chunk_size=2000)


def _text(value_type: str, value: str) -> str:
    return neutralise(value) if value_type == ValueType.TEXT else value


def write_csv(out: IO[str], request: ExportRequest) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(OUR_CSV_HEADER)
    n = 0
    for code, value_type, unit, period, value, comment, _at, _by in _rows(request):
        if value_type == ValueType.DECIMAL:
            value = machine_text(value)  # "1.234" would read back as ambiguous: "1.2340"
        writer.writerow([code, unit, period, _text(value_type, value), neutralise(comment)])
        n += 1
    return n


def _stamp(at: Any) -> str:
    return timezone.localtime(at).isoformat(timespec="seconds") if at else ""


def write_dhis2_csv(out: IO[str], request: ExportRequest) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(DHIS2_CSV_HEADER)
    n = 0
    for code, value_type, unit, period, value, comment, at, by in _rows(request):
        writer.writerow(
            [code, period, unit, "", "", _text(value_type, value), neutralise(by or ""), _stamp(at),
             neutralise(comment)]
        )  # fmt: skip
        n += 1
    return n


def _complete_date(request: ExportRequest) -> str | None:
    if request.form is None:
        return None
    submission = Submission.objects.filter(
        form=request.form, unit=request.unit, period=request.period.id
    ).first()
    if submission is None or submission.submitted_at is None:
        return None
    return timezone.localtime(submission.submitted_at).date().isoformat()


def write_dhis2_json(out: IO[str], request: ExportRequest) -> int:
    """A dataValueSet with our codes as ids (DHIS2's idScheme=CODE), written as it is read."""
    header: dict[str, str] = {}
    if request.form is not None:
        header["dataSet"] = request.form.code
    header |= {"period": request.period.id, "orgUnit": request.unit.code}
    complete = _complete_date(request)
    if complete:
        header["completeDate"] = complete
    out.write(json.dumps(header, ensure_ascii=False)[:-1] + ', "dataValues": [')
    n = 0
    for code, _type, unit, period, value, comment, _at, _by in _rows(request):
        item = {"dataElement": code, "period": period, "orgUnit": unit, "value": value}
        if comment:
            item["comment"] = comment
        out.write(("\n  " if n == 0 else ",\n  ") + json.dumps(item, ensure_ascii=False))
        n += 1
    out.write("\n]}\n")
    return n


def write_xlsx(out: IO[bytes], request: ExportRequest) -> int:
    from phongtrao.reporting.transfer.xlsx import write_template

    if request.form is None:
        raise AppError(ErrorCode.INVALID, _("An XLSX template needs a reporting form."))
    indicators: list[Indicator] = form_indicators(form=request.form)
    units = list(export_units(request).values_list("id", "code", "name"))
    values = {
        (unit_id, indicator_id): (value, number)
        for unit_id, indicator_id, value, number in export_values(request).values_list(
            "unit_id", "indicator_id", "value", "number"
        )
    }
    write_template(
        out, form_code=request.form.code, period=request.period.id, indicators=indicators,
        units=units, values=values,
    )  # fmt: skip
    return len(values)


def write_history_xlsx(out: IO[bytes], request: ExportRequest) -> int:
    """The history workbook of one year: a sheet per unit of the subtree that has values (the
    chosen unit always), the form's indicators in rows (without a form, those with values)."""
    from phongtrao.reporting.transfer.history import write_history

    period = request.period
    if period.type != PeriodType.YEARLY:
        raise AppError(
            ErrorCode.INVALID, _("The history workbook holds years: choose a year (2019).")
        )
    stored = export_values(request).values_list("unit_id", "indicator_id", "value", "number")
    values = {(u, i, period.id): (value, number) for u, i, value, number in stored}
    if request.form is not None:
        indicators = form_indicators(form=request.form)
    else:
        indicators = list(
            Indicator.objects.filter(pk__in={i for _u, i, _p in values}).order_by("code")
        )
    with_values = {u for u, _i, _p in values} | {request.unit.pk}
    units = [
        row
        for row in export_units(request).values_list("id", "code", "name")
        if row[0] in with_values
    ]
    return write_history(
        out, units=units, indicators=indicators, years=[period.year], values=values
    )


WRITERS = {
    Format.CSV: write_csv,
    Format.DHIS2_CSV: write_dhis2_csv,
    Format.DHIS2_JSON: write_dhis2_json,
    Format.XLSX: write_xlsx,
    Format.HISTORY_XLSX: write_history_xlsx,
}


def export_write(out: IO[Any], request: ExportRequest, fmt: Format | str) -> int:
    """Write the values in a format; returns how many values were written."""
    return WRITERS[Format(fmt)](out, request)
