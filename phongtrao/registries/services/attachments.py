"""Attached files of plans and pacts, and the plans' checklist of units that reported back."""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from phongtrao.registries import files
from phongtrao.registries.models import Pact, Plan, PlanReport
from phongtrao.registries.services.base import child_delete, child_save, entry_update, invalid
from phongtrao.units.models import Unit


@transaction.atomic
def attachment_set(
    *, actor: Any, entry: Plan | Pact, name: str, content: bytes, source: str = "web"
) -> Plan | Pact:
    extension = files.clean_attachment(name=name, content=content)
    folder = f"{entry._meta.model_name}/{entry.year}/{entry.pk}"
    relative = files.store(folder=folder, extension=extension, content=content)
    old = entry.attachment
    try:
        entry = entry_update(
            actor=actor, entry=entry,
            data={"attachment": relative, "attachment_name": name[:200]}, source=source,
        )  # fmt: skip
    except Exception:
        files.remove(relative)
        raise
    transaction.on_commit(lambda: files.remove(old))
    return entry


@transaction.atomic
def plan_report_set(
    *, actor: Any, plan: Plan, unit: Unit, reported_on: date | None, source: str = "web"
) -> PlanReport | None:
    """Tick (with the day it reported) or untick a directed unit on the plan's checklist."""
    if not plan.directed_units.filter(pk=unit.pk).exists():
        raise invalid(_("%(unit)s is not directed by this plan.") % {"unit": unit.name})
    report = PlanReport.objects.filter(plan=plan, unit=unit).first()
    if reported_on is None:
        if report is not None:
            child_delete(actor=actor, entry=plan, child=report, source=source)
        return None
    report = report or PlanReport(plan=plan, unit=unit)
    report.reported_on = reported_on
    return child_save(actor=actor, entry=plan, child=report, source=source)
