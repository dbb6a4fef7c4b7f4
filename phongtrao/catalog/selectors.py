"""Reads of the catalogue, and the date rules of reporting forms."""

import calendar
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from phongtrao.catalog.models import (
    Indicator,
    ReportForm,
    ReportFormItem,
    ReportFormSection,
    ValidationRule,
)
from phongtrao.catalog.ownership import applies_to_unit_q, visible_q
from phongtrao.catalog.periods import Period, PeriodType, period_parse, periods_between
from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.text import search_key


def indicator_list(
    *, query: str = "", active: bool | None = None, user: Any = None
) -> QuerySet[Indicator]:
    """Diacritic-insensitive on code and both names: "mo hinh" finds "Số mô hình …".

    With a `user`, only the indicators they read (national and their provinces' own)."""
    qs = Indicator.objects.all() if user is None else Indicator.objects.filter(visible_q(user))
    for word in search_key(query).split():
        qs = qs.filter(search_key__contains=word)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("code")


def indicator_get(*, code: str) -> Indicator:
    try:
        return Indicator.objects.get(code=code.strip().upper())
    except Indicator.DoesNotExist:
        raise AppError(
            ErrorCode.NOT_FOUND,
            _('There is no indicator with code "%(code)s".') % {"code": code},
        ) from None


def indicators_by_code() -> dict[str, Indicator]:
    return {i.code: i for i in Indicator.objects.all()}


def _count(model: type, **filters: object) -> Coalesce:
    rows = (
        model.objects.filter(form=OuterRef("pk"), **filters)
        .order_by()
        .values("form")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


def form_list(*, user: Any = None) -> QuerySet[ReportForm]:
    """Forms with their item and rule counts and unit kinds, in two queries whatever the size."""
    qs = ReportForm.objects.all() if user is None else ReportForm.objects.filter(visible_q(user))
    return (
        qs.annotate(item_count=_count(ReportFormItem), rule_count=_count(ValidationRule))
        .prefetch_related("unit_kinds")
        .order_by("code")
    )


def form_get(*, code: str, user: Any = None) -> ReportForm:
    """The form; with a `user`, one they do not read is not found, like a missing one."""
    qs = ReportForm.objects.all() if user is None else ReportForm.objects.filter(visible_q(user))
    try:
        return qs.prefetch_related("unit_kinds").get(code=code.strip().upper())
    except ReportForm.DoesNotExist:
        raise AppError(
            ErrorCode.NOT_FOUND,
            _('There is no reporting form with code "%(code)s".') % {"code": code},
        ) from None


def form_sections(*, form: ReportForm) -> list[ReportFormSection]:
    """The form's sections in order, each with `items` (and their indicators) prefetched."""
    items = ReportFormItem.objects.select_related("indicator").order_by("order", "id")
    return list(
        ReportFormSection.objects.filter(form=form)
        .prefetch_related(Prefetch("items", queryset=items))
        .order_by("order", "id")
    )


def form_indicators(*, form: ReportForm) -> list[Indicator]:
    """The form's indicators in the order they appear on it."""
    items = ReportFormItem.objects.filter(form=form).select_related("indicator")
    return [item.indicator for item in items.order_by("section__order", "section_id", "order")]


def form_unit_kinds(*, form: ReportForm) -> list[str]:
    return sorted(k.kind for k in form.unit_kinds.all())


def forms_for_unit_kind(*, kind: str) -> QuerySet[ReportForm]:
    """Every active form of a kind of unit, whichever province owns it; for one unit,
    `forms_for_unit`."""
    return ReportForm.objects.filter(unit_kinds__kind=kind, is_active=True).order_by("code")


def forms_for_unit(*, unit: Any) -> QuerySet[ReportForm]:
    """The active forms the unit reports: of its kind, national or of its province (or of the
    province that succeeded its province)."""
    return forms_for_unit_kind(kind=unit.kind).filter(applies_to_unit_q(unit))


def form_applies_to_unit(*, form: ReportForm, unit: Any) -> bool:
    """Whether the form is national or of the unit's province (or its successor); a query only
    for a province's form."""
    if form.owner_id is None:
        return True
    return ReportForm.objects.filter(applies_to_unit_q(unit), pk=form.pk).exists()


def form_not_for_unit_message(*, form_code: str, unit_name: str) -> str:
    return _("The form %(form)s belongs to another province than %(unit)s.") % {
        "form": form_code,
        "unit": unit_name,
    }


def form_for_unit(*, code: str, unit: Any, user: Any = None) -> ReportForm:
    """The form if it applies to the unit (and the user reads it); otherwise not found, like a
    missing one."""
    qs = ReportForm.objects.filter(applies_to_unit_q(unit))
    if user is not None:
        qs = qs.filter(visible_q(user))
    try:
        return qs.get(code=code.strip().upper())
    except ReportForm.DoesNotExist:
        raise AppError(
            ErrorCode.NOT_FOUND,
            _('There is no reporting form with code "%(code)s".') % {"code": code},
        ) from None


def form_choices(*, user: Any) -> QuerySet[ReportForm]:
    """The active forms offered to the user: national and those of their provinces."""
    return ReportForm.objects.filter(visible_q(user), is_active=True).order_by("code")


def form_rules(*, form: ReportForm, active_only: bool = False) -> QuerySet[ValidationRule]:
    qs = ValidationRule.objects.filter(form=form)
    return qs.filter(is_active=True) if active_only else qs


def rule_list(*, form: ReportForm | None = None, user: Any = None) -> QuerySet[ValidationRule]:
    qs = ValidationRule.objects.select_related("form")
    if user is not None:
        qs = qs.filter(visible_q(user, "form__owner"))
    if form is not None:
        qs = qs.filter(form=form)
    return qs.order_by("form__code", "id")


def _period(period: Period | str) -> Period:
    return period if isinstance(period, Period) else period_parse(period)


def form_due_date(form: ReportForm, period: Period | str) -> date:
    period = _period(period)
    if form.due_month and form.due_day:
        # 29/2 falls back to 28/2 in the years that have no 29th.
        last_day = calendar.monthrange(period.year, form.due_month)[1]
        return date(period.year, form.due_month, min(form.due_day, last_day))
    return period.end + timedelta(days=form.due_days_after_end or 0)


def form_lock_date(form: ReportForm, period: Period | str) -> date | None:
    """The last day entry is open; None when the form never closes by itself."""
    if form.lock_days_after_end is None:
        return None
    return _period(period).end + timedelta(days=form.lock_days_after_end)


def form_period_get(*, form: ReportForm, period_id: str) -> Period:
    """The period if the form has it; otherwise AppError(INVALID) saying why not."""
    period = period_parse(period_id)
    if period.type != form.period_type:
        raise AppError(
            ErrorCode.INVALID,
            _('The form %(form)s has no period "%(period)s": it is reported %(type)s.')
            % {
                "form": form.code,
                "period": period.id,
                "type": form.get_period_type_display(),
            },
        )
    first = period_parse(form.first_period) if form.first_period else None
    last = period_parse(form.last_period) if form.last_period else None
    if (first and period.start < first.start) or (last and period.start > last.start):
        raise AppError(
            ErrorCode.INVALID,
            _('The form %(form)s is not used for the period "%(period)s" (%(range)s).')
            % {"form": form.code, "period": period.id, "range": form_period_range(form)},
        )
    return period


def form_has_period(form: ReportForm, period_id: str) -> bool:
    try:
        form_period_get(form=form, period_id=period_id)
    except AppError:
        return False
    return True


def form_period_range(form: ReportForm) -> str:
    if form.first_period and form.last_period:
        return _("from %(first)s to %(last)s") % {
            "first": form.first_period,
            "last": form.last_period,
        }
    if form.first_period:
        return _("from %(first)s") % {"first": form.first_period}
    if form.last_period:
        return _("until %(last)s") % {"last": form.last_period}
    return _("every period")


def form_periods(*, form: ReportForm, start: date, end: date) -> list[Period]:
    """The form's periods between two dates, within the form's own range."""
    return [
        p
        for p in periods_between(start, end, PeriodType(form.period_type))
        if form_has_period(form, p.id)
    ]


def rules_using_indicator(*, code: str, form: ReportForm | None = None) -> list[ValidationRule]:
    """Rules whose expressions name the indicator; the text filter only narrows the parse."""
    from phongtrao.catalog.rules import rule_codes

    qs = rule_list(form=form).filter(Q(left__icontains=code) | Q(right__icontains=code))
    return [rule for rule in qs if code in rule_codes(rule)]
