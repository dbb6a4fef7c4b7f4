"""Checking validation rules against a form's values."""

import operator as op
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from phongtrao.catalog import expressions
from phongtrao.catalog.models import Operator, ValidationRule

COMPARE = {
    Operator.EQ: op.eq,
    Operator.NE: op.ne,
    Operator.LT: op.lt,
    Operator.LE: op.le,
    Operator.GT: op.gt,
    Operator.GE: op.ge,
}


class RuleStatus(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    # Nothing the rule looks at has been entered yet: no verdict rather than a false alarm.
    SKIPPED = "skipped"


@dataclass(frozen=True)
class RuleResult:
    rule: ValidationRule
    status: RuleStatus
    left: Decimal | None = None
    right: Decimal | None = None

    @property
    def failed(self) -> bool:
        return self.status == RuleStatus.FAILED

    @property
    def blocks_submission(self) -> bool:
        return self.failed and self.rule.severity == "error"

    @property
    def message(self) -> str:
        return self.rule.message if self.failed else ""


def rule_codes(rule: ValidationRule) -> list[str]:
    left, right = expressions.parse(rule.left), expressions.parse(rule.right)
    return list(dict.fromkeys(expressions.codes(left) + expressions.codes(right)))


def rule_check(rule: ValidationRule, values: Mapping[str, Decimal | None]) -> RuleResult:
    """Compare both sides; missing values count as 0 unless every one of them is missing."""
    left, right = expressions.parse(rule.left), expressions.parse(rule.right)
    codes = expressions.codes(left) + expressions.codes(right)
    if all(values.get(code) is None for code in codes):
        return RuleResult(rule, RuleStatus.SKIPPED)
    left_value = expressions.evaluate(left, values)
    right_value = expressions.evaluate(right, values)
    passed = COMPARE[Operator(rule.operator)](left_value, right_value)
    return RuleResult(
        rule, RuleStatus.PASSED if passed else RuleStatus.FAILED, left_value, right_value
    )
