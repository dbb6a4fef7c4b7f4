"""Writes to the layout of a reporting form: its sections and the indicators in them.

Each save takes the whole list of rows the administrator edited (a formset), checks the
result as one, and only then writes, so a refused save leaves the form exactly as it was.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from phongtrao.catalog import ownership
from phongtrao.catalog.models import Indicator, ReportForm, ReportFormItem, ReportFormSection
from phongtrao.catalog.selectors import rules_using_indicator
from phongtrao.core.audit import audit_record, snapshot
from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.models import AuditAction
from phongtrao.core.text import clean_text


@dataclass(frozen=True)
class SectionRow:
    id: int | None
    name: str
    order: int
    delete: bool = False


@dataclass(frozen=True)
class ItemRow:
    id: int | None
    section_id: int
    indicator_id: int
    order: int
    delete: bool = False


def _not_found() -> AppError:
    return AppError(ErrorCode.NOT_FOUND, _("This row does not belong to the form."))


def _audit(actor: Any, action: str, instance: Any, before: Any, after: Any, source: str) -> None:
    audit_record(
        actor=actor, action=action, instance=instance, before=before, after=after,
        unit_id=instance.form.owner_id, source=source,
    )  # fmt: skip


@transaction.atomic
def form_sections_save(
    *, actor: Any, form: ReportForm, rows: Sequence[SectionRow], source: str = "web"
) -> list[ReportFormSection]:
    ownership.check_change(actor=actor, owner_id=form.owner_id)
    existing = {s.pk: s for s in ReportFormSection.objects.select_for_update().filter(form=form)}
    if any(row.id is not None and row.id not in existing for row in rows):
        raise _not_found()
    doomed = [existing[row.id] for row in rows if row.delete and row.id is not None]
    filled = {s.section_id for s in ReportFormItem.objects.filter(section__in=doomed)}
    for section in doomed:
        if section.pk in filled:
            raise ValidationError(
                _('The section "%(name)s" still holds indicators: move or remove them first.')
                % {"name": section.name}
            )
    for section in doomed:
        _audit(actor, AuditAction.DELETE, section, snapshot(section), None, source)
        section.delete()
    for row in rows:
        if row.delete or (row.id is None and not clean_text(row.name)):
            continue
        section = existing.get(row.id) or ReportFormSection(form=form)
        before = snapshot(section) if section.pk else None
        section.name, section.order = clean_text(row.name), row.order
        section.full_clean()
        section.save()
        action = AuditAction.UPDATE if before else AuditAction.CREATE
        _audit(actor, action, section, before, snapshot(section), source)
    return list(ReportFormSection.objects.filter(form=form).order_by("order", "id"))


@transaction.atomic
def form_items_save(
    *, actor: Any, form: ReportForm, rows: Sequence[ItemRow], source: str = "web"
) -> None:
    ownership.check_change(actor=actor, owner_id=form.owner_id)
    existing = {i.pk: i for i in ReportFormItem.objects.select_for_update().filter(form=form)}
    if any(row.id is not None and row.id not in existing for row in rows):
        raise _not_found()
    sections = set(ReportFormSection.objects.filter(form=form).values_list("pk", flat=True))
    kept = [row for row in rows if not row.delete]
    if any(row.section_id not in sections for row in kept):
        raise _not_found()
    # A form takes national indicators and, for a province's form, that province's own.
    indicators = Indicator.objects.filter(
        Q(owner__isnull=True) | Q(owner_id=form.owner_id)
    ).in_bulk([row.indicator_id for row in kept])
    if len(indicators) != len({row.indicator_id for row in kept}):
        raise _not_found()

    # The form as it will be once saved: untouched items plus every kept row.
    touched = {row.id for row in rows if row.id is not None}
    final = [i.indicator_id for pk, i in existing.items() if pk not in touched]
    final += [row.indicator_id for row in kept]
    twice = [pk for pk, n in Counter(final).items() if n > 1]
    if twice:
        raise ValidationError(
            _("The indicator %(code)s appears twice on the form.")
            % {"code": Indicator.objects.get(pk=twice[0]).code}
        )
    for item in existing.values():
        if item.indicator_id not in final:
            used = rules_using_indicator(code=item.indicator.code, form=form)
            if used:
                raise ValidationError(
                    _('The indicator %(code)s is used by the rule "%(rule)s": change the rule '
                      "first.") % {"code": item.indicator.code, "rule": used[0]}
                )  # fmt: skip

    # Deletions first, so an indicator moved between rows never meets itself in the index.
    for row in rows:
        if row.delete and row.id is not None:
            item = existing[row.id]
            _audit(actor, AuditAction.DELETE, item, snapshot(item), None, source)
            item.delete()
    for row in kept:
        item = existing.get(row.id) or ReportFormItem(form=form)
        before = snapshot(item) if item.pk else None
        item.section_id, item.indicator_id, item.order = row.section_id, row.indicator_id, row.order
        item.full_clean(validate_constraints=False)
        item.save()
        action = AuditAction.UPDATE if before else AuditAction.CREATE
        _audit(actor, action, item, before, snapshot(item), source)
