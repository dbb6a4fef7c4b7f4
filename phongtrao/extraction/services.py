"""Writes: keeping an uploaded report, and saving its reviewed figures into a draft."""

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from phongtrao.catalog.models import Indicator
from phongtrao.core.audit import audit_record
from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.models import AuditAction
from phongtrao.core.text import format_number
from phongtrao.extraction.models import ExtractedValue, SourceDocument
from phongtrao.extraction.reading import read_bytes
from phongtrao.extraction.report_analysis import Analysis, analyse
from phongtrao.extraction.selectors import (
    document_readings,
    festival_form,
    unit_check_reports_form,
    unit_in_scope,
    unit_resolve,
)
from phongtrao.reporting.models import DataValue, ValueSource
from phongtrao.reporting.services import check_entry_open, data_value_save
from phongtrao.reporting.workflow import submission_open
from phongtrao.units.models import Unit
from phongtrao.units.services import check_can_change

MAX_BYTES = 20 * 1024 * 1024


def _document_state(document: SourceDocument) -> dict[str, Any]:
    """What the audit keeps of a document: not its whole text, and the file by its name."""
    return {
        "name": document.name,
        "file": document.file.name,
        "unit": document.unit_id,
        "period": document.period,
        "saved_at": document.saved_at.isoformat() if document.saved_at else None,
    }


@dataclass(frozen=True)
class ReviewedValue:
    """A figure as the person confirmed it on the review screen."""

    indicator: Indicator
    value: Decimal


def extract(*, data: bytes, name: str) -> Analysis:
    """Read and analyse a file; AppError(INVALID) in Vietnamese when it cannot be read."""
    if len(data) > MAX_BYTES:
        raise AppError(
            ErrorCode.INVALID,
            _("%(name)s is larger than %(mb)s MB.") % {"name": name, "mb": MAX_BYTES // 2**20},
        )
    return analyse(read_bytes(data, name))


@transaction.atomic
def source_document_create(*, actor: Any, name: str, data: bytes) -> SourceDocument:
    """Keep the file and its text; the unit is set when the report names one in the user's scope."""
    analysis = extract(data=data, name=name)
    unit = unit_in_scope(user=actor, unit=unit_resolve(analysis=analysis))
    document = SourceDocument(
        name=Path(name).name[:255],
        text=analysis.text,
        unit=unit,
        period=str(analysis.year or ""),
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    stored_name = get_valid_filename(Path(name).name) or "report"
    document.file.save(stored_name, ContentFile(data), save=False)
    document.full_clean()
    document.save()
    audit_record(
        actor=actor, action=AuditAction.CREATE, instance=document, after=_document_state(document),
        unit_id=unit.pk if unit else None, source="extract",
    )  # fmt: skip
    return document


def _check_rows(rows: list[ReviewedValue]) -> None:
    codes = [row.indicator.code for row in rows]
    twice = sorted({code for code in codes if codes.count(code) > 1})
    if twice:
        raise AppError(
            ErrorCode.INVALID,
            _("Each indicator may have one value; these have several: %(codes)s.")
            % {"codes": ", ".join(twice)},
        )
    if not rows:
        raise AppError(ErrorCode.INVALID, _("There is no value to save."))


@transaction.atomic
def extraction_save(
    *, actor: Any, document: SourceDocument, unit: Unit, period: str, rows: list[ReviewedValue]
) -> list[DataValue]:
    """Save reviewed values into the unit's draft of the festival form; all or nothing.

    Only a draft or returned submission in an open period takes them: submitted, approved and
    locked periods answer with the reporting service's own message.
    """
    check_can_change(actor=actor, unit=unit)
    _check_rows(rows)
    form = festival_form()
    unit_check_reports_form(unit=unit, form=form)
    check_entry_open(form=form, unit=unit, period=period)
    submission_open(actor=actor, form=form, unit=unit, period=period)
    comment = _("Extracted from document #%(id)s: %(name)s") % {
        "id": document.pk,
        "name": document.name,
    }
    # What was read comes from the document itself, never from the page sent back.
    readings = document_readings(document=document)
    saved = []
    for row in rows:
        current = DataValue.objects.filter(
            indicator=row.indicator, unit=unit, period=period
        ).first()
        value = data_value_save(
            actor=actor, form=form, unit=unit, period=period, indicator=row.indicator,
            raw_value=format_number(row.value), comment=comment,
            expected_version=current.version if current else None, source=ValueSource.EXTRACT,
            source_link=reverse("extraction:file", args=[document.pk]),
        )  # fmt: skip
        ExtractedValue.objects.create(
            document=document, data_value=value, indicator=row.indicator, unit=unit,
            period=period, value=row.value, read_value=readings.get(row.indicator.code),
            saved_by=actor if getattr(actor, "is_authenticated", False) else None,
        )  # fmt: skip
        saved.append(value)
    before = _document_state(document)
    document.unit, document.period, document.saved_at = unit, period, timezone.now()
    document.save(update_fields=["unit", "period", "saved_at"])
    audit_record(
        actor=actor, action=AuditAction.UPDATE, instance=document, before=before,
        after=_document_state(document), unit_id=unit.pk, source="extract",
    )  # fmt: skip
    return saved
