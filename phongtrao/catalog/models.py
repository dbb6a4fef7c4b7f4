"""The catalogue: what is reported (indicators), on which form, for which periods, checked how.

Indicator codes are a public contract (imports, exports, the API and saved reports use them),
so a code is set once at creation and no service can change it.
"""

import calendar
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from phongtrao.catalog.outliers import DEFAULT_THRESHOLD
from phongtrao.catalog.periods import PeriodType, period_parse
from phongtrao.core.errors import AppError
from phongtrao.core.models import TimestampedModel
from phongtrao.units.models import UnitKind

code_validator = RegexValidator(
    r"^[A-Z][A-Z0-9_]*\Z",
    _("Use capital letters without diacritics, digits and _, starting with a letter."),
)


class ValueType(models.TextChoices):
    WHOLE = "whole", _("whole number")
    DECIMAL = "decimal", _("decimal number")
    YES_NO = "yes_no", _("yes / no")
    TEXT = "text", _("text")


NUMERIC_VALUE_TYPES = (ValueType.WHOLE, ValueType.DECIMAL, ValueType.YES_NO)


class Aggregation(models.TextChoices):
    SUM = "sum", _("sum")
    AVERAGE = "average", _("average")
    MAX = "max", _("maximum")
    LAST = "last", _("last value")


PERIOD_TYPE_CHOICES = [
    (PeriodType.YEARLY.value, _("yearly")),
    (PeriodType.SIX_MONTHLY.value, _("six-monthly")),
    (PeriodType.QUARTERLY.value, _("quarterly")),
    (PeriodType.MONTHLY.value, _("monthly")),
]


class ProvinceOwned(models.Model):
    """A catalogue row a province added for its own units; no owner: the national catalogue
    (who reads and changes which: catalog/ownership.py)."""

    owner = models.ForeignKey(
        "units.Unit",
        verbose_name=_("owner province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True


class Indicator(ProvinceOwned, TimestampedModel):
    code = models.CharField(_("code"), max_length=64, unique=True, validators=[code_validator])
    name = models.CharField(_("Vietnamese name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    value_type = models.CharField(
        _("value type"), max_length=16, choices=ValueType.choices, default=ValueType.WHOLE
    )
    aggregation = models.CharField(
        _("aggregation"), max_length=16, choices=Aggregation.choices, default=Aggregation.SUM
    )
    unit_of_measure = models.CharField(_("unit of measure"), max_length=64, blank=True)
    description = models.TextField(_("description"), blank=True)
    allow_negative = models.BooleanField(_("negative values allowed"), default=False)
    # A bound that warns, never refuses: 2.147.483.648 outreach sessions are typed, not held.
    max_plausible = models.DecimalField(
        _("largest plausible value"), max_digits=24, decimal_places=6, null=True, blank=True,
        help_text=_("A saved value above it is shown with a warning; empty: no bound."),
    )  # fmt: skip
    is_active = models.BooleanField(_("in use"), default=True)
    search_key = models.CharField(_("search key"), max_length=600, editable=False, db_index=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    @property
    def is_numeric(self) -> bool:
        return self.value_type in NUMERIC_VALUE_TYPES

    def is_implausible(self, number: Decimal | None) -> bool:
        """Above the plausible bound: warned of (entry screen, import preview), never refused."""
        return self.max_plausible is not None and number is not None and number > self.max_plausible


class ReportForm(ProvinceOwned, TimestampedModel):
    """A reporting form; its due date is either N days after the period or a fixed day."""

    code = models.CharField(_("code"), max_length=64, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    period_type = models.CharField(_("period type"), max_length=16, choices=PERIOD_TYPE_CHOICES)
    due_days_after_end = models.PositiveSmallIntegerField(
        _("due days after the period"), null=True, blank=True
    )
    # Only for yearly forms: the festival report is due 31/8 of its own year.
    due_month = models.PositiveSmallIntegerField(_("due month"), null=True, blank=True)
    due_day = models.PositiveSmallIntegerField(_("due day"), null=True, blank=True)
    lock_days_after_end = models.PositiveSmallIntegerField(
        _("entry closes days after the period"),
        null=True,
        blank=True,
        help_text=_("Empty: entry never closes by itself."),
    )
    first_period = models.CharField(_("first period"), max_length=8, blank=True)
    last_period = models.CharField(_("last period"), max_length=8, blank=True)
    outlier_threshold = models.DecimalField(
        _("outlier threshold (modified z-score)"),
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_THRESHOLD,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("reporting form")
        verbose_name_plural = _("reporting forms")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(due_days_after_end__isnull=False)
                    & Q(due_month__isnull=True)
                    & Q(due_day__isnull=True)
                )
                | (
                    Q(due_days_after_end__isnull=True)
                    & Q(due_month__isnull=False)
                    & Q(due_day__isnull=False)
                ),
                name="report_form_one_due_rule",
                violation_error_message=_(
                    "Give either days after the period or a fixed day and month."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    def validate_constraints(self, exclude=None) -> None:
        # clean() says the same about the due rule, next to the field concerned.
        super().validate_constraints(exclude={*(exclude or ()), "due_days_after_end"})

    def clean(self) -> None:
        errors: dict[str, str] = {}
        fixed = self.due_month is not None or self.due_day is not None
        if fixed and self.due_days_after_end is not None:
            errors["due_days_after_end"] = _(
                "Give either days after the period or a fixed day and month, not both."
            )
        elif not fixed and self.due_days_after_end is None:
            errors["due_days_after_end"] = _(
                "Give the days after the period or a fixed day and month."
            )
        elif fixed:
            if self.period_type != PeriodType.YEARLY:
                errors["due_month"] = _("A fixed due day and month is only for yearly forms.")
            elif self.due_month is None or self.due_day is None:
                errors["due_day"] = _("Give both the day and the month.")
            elif not 1 <= self.due_month <= 12:
                errors["due_month"] = _("The month must be between 1 and 12.")
            elif not 1 <= self.due_day <= calendar.monthrange(2000, self.due_month)[1]:
                errors["due_day"] = _("This day does not exist in that month.")
        periods = {}
        for name in ("first_period", "last_period"):
            value = getattr(self, name)
            if not value:
                continue
            try:
                periods[name] = period_parse(value)
            except AppError as exc:
                errors[name] = exc.message
                continue
            setattr(self, name, periods[name].id)
            if self.period_type and periods[name].type != self.period_type:
                errors[name] = _("The period is not of the form's period type.")
        first, last = periods.get("first_period"), periods.get("last_period")
        if first and last and "last_period" not in errors and last.start < first.start:
            errors["last_period"] = _("The last period is before the first one.")
        if errors:
            raise ValidationError(errors)


class ReportFormUnitKind(models.Model):
    """Which kinds of unit report a form.

    A row per kind rather than a JSON list: "which forms does a commune report" is a plain
    join on SQLite and PostgreSQL alike, while JSON containment differs between the engines.
    """

    form = models.ForeignKey(
        ReportForm, verbose_name=_("form"), on_delete=models.CASCADE, related_name="unit_kinds"
    )
    kind = models.CharField(_("unit kind"), max_length=20, choices=UnitKind.choices)

    class Meta:
        verbose_name = _("reporting unit kind")
        verbose_name_plural = _("reporting unit kinds")
        constraints = [
            models.UniqueConstraint(fields=["form", "kind"], name="report_form_unit_kind_unique")
        ]

    def __str__(self) -> str:
        return f"{self.form.code}: {self.kind}"


class ReportFormSection(models.Model):
    form = models.ForeignKey(
        ReportForm, verbose_name=_("form"), on_delete=models.CASCADE, related_name="sections"
    )
    name = models.CharField(_("name"), max_length=255)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("form section")
        verbose_name_plural = _("form sections")
        ordering = ["form", "order", "id"]

    def __str__(self) -> str:
        return self.name


class ReportFormItem(models.Model):
    # `form` repeats the section's form so the database itself refuses one indicator twice
    # on a form, whatever section it sits in.
    form = models.ForeignKey(
        ReportForm, verbose_name=_("form"), on_delete=models.CASCADE, related_name="items"
    )
    section = models.ForeignKey(
        ReportFormSection, verbose_name=_("section"), on_delete=models.CASCADE, related_name="items"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="items"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("form item")
        verbose_name_plural = _("form items")
        ordering = ["section__order", "section_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["form", "indicator"], name="report_form_item_indicator_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.form_id}: {self.indicator_id}"

    def clean(self) -> None:
        if self.section_id and self.form_id and self.section.form_id != self.form_id:
            raise ValidationError({"section": _("The section belongs to another form.")})


class Operator(models.TextChoices):
    EQ = "==", "=="
    NE = "!=", "!="
    LT = "<", "<"
    LE = "<=", "<="
    GT = ">", ">"
    GE = ">=", ">="


class Severity(models.TextChoices):
    ERROR = "error", _("error (blocks submission)")
    WARNING = "warning", _("warning (asks for a comment)")


class ValidationRule(TimestampedModel):
    """`left operator right`; both sides are expressions over the form's indicators."""

    form = models.ForeignKey(
        ReportForm, verbose_name=_("form"), on_delete=models.CASCADE, related_name="rules"
    )
    left = models.CharField(_("left side"), max_length=500)
    operator = models.CharField(_("operator"), max_length=2, choices=Operator.choices)
    right = models.CharField(_("right side"), max_length=500)
    message = models.CharField(_("message"), max_length=500)
    severity = models.CharField(
        _("severity"), max_length=8, choices=Severity.choices, default=Severity.ERROR
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("validation rule")
        verbose_name_plural = _("validation rules")
        ordering = ["form", "id"]

    def __str__(self) -> str:
        return f"{self.left} {self.operator} {self.right}"
