from decimal import Decimal

import pytest

from phongtrao.catalog import expressions
from phongtrao.catalog.expressions import BinOp, ExpressionError, Negate, Number, Ref
from phongtrao.catalog.models import ValidationRule
from phongtrao.catalog.rules import RuleStatus, rule_check

D = Decimal
KNOWN = {"SCHEMES_NEW", "SCHEMES_MAINTAINED", "SCHEMES_REPLICATED", "SECURITY_TEAMS"}


def rule(left: str, operator: str, right: str, severity: str = "error") -> ValidationRule:
    return ValidationRule(
        left=left, operator=operator, right=right, message="Sai", severity=severity
    )


# Parsing -------------------------------------------------------------------------------------


def test_multiplication_binds_tighter_than_addition():
    assert expressions.parse("A + B * 2") == BinOp(
        "+", Ref("A"), BinOp("*", Ref("B"), Number(D(2)))
    )


def test_parentheses_group_first():
    assert expressions.parse("(A + B) * 2") == BinOp(
        "*", BinOp("+", Ref("A"), Ref("B")), Number(D(2))
    )


def test_subtraction_is_left_associative():
    assert expressions.evaluate(expressions.parse("10 - 3 - 2"), {}) == D(5)


def test_unary_minus_and_decimals_with_a_comma_or_a_point():
    assert expressions.parse("-1,5 + 0.25") == BinOp(
        "+", Negate(Number(D("1.5"))), Number(D("0.25"))
    )


def test_codes_are_read_in_capitals():
    assert expressions.codes(expressions.parse("schemes_new + Schemes_New")) == ["SCHEMES_NEW"]


def test_an_unknown_code_is_named_with_its_position():
    # when
    with pytest.raises(ExpressionError) as exc:
        expressions.parse("SCHEMES_MAINTAINED + SCHEMES_NEWW", known_codes=KNOWN)
    # then
    assert exc.value.message == (
        'Mã chỉ tiêu "SCHEMES_NEWW" ở vị trí 22 không có trong danh mục chỉ tiêu.'
    )
    assert exc.value.position == 22


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("A + ", "Biểu thức kết thúc sớm ở vị trí 5: thiếu mã chỉ tiêu hoặc con số."),
        ("A % B", 'Ký tự "%" ở vị trí 3 không được phép.'),
        ("(A + B", 'Thiếu dấu đóng ngoặc ")" ở vị trí 7.'),
        ("A B", '"B" ở vị trí 3 không đúng chỗ: cần một phép tính (+, -, *).'),
        ("A + * B", '"*" ở vị trí 5 không đúng chỗ: cần một mã chỉ tiêu hoặc con số.'),
        ("   ", "Biểu thức đang để trống."),
        (
            "A + 2.150",
            'Số "2.150" ở vị trí 5 không rõ nghĩa: hãy viết không có dấu phân cách hàng nghìn '
            "(2150) hoặc với ít chữ số thập phân hơn (2,15).",
        ),
        ("__import__('os')", 'Ký tự "\'" ở vị trí 12 không được phép.'),
    ],
)
def test_bad_expressions_are_refused_in_vietnamese(text, message):
    with pytest.raises(ExpressionError) as exc:
        expressions.parse(text)
    assert exc.value.message == message


def test_a_missing_value_counts_as_zero():
    node = expressions.parse("A + B * 2")
    assert expressions.evaluate(node, {"A": D(3), "B": None}) == D(3)


# Checking rules ------------------------------------------------------------------------------


def test_rule_passes_when_the_comparison_holds():
    # given
    values = {"SCHEMES_REPLICATED": D(85), "SCHEMES_MAINTAINED": D(1240), "SCHEMES_NEW": D(61)}
    # when
    result = rule_check(
        rule("SCHEMES_REPLICATED", "<=", "SCHEMES_MAINTAINED + SCHEMES_NEW"), values
    )
    # then
    assert (result.status, result.left, result.right) == (RuleStatus.PASSED, D(85), D(1301))
    assert result.message == ""


def test_rule_fails_and_gives_its_message():
    values = {"SCHEMES_REPLICATED": D(90), "SCHEMES_MAINTAINED": D(50), "SCHEMES_NEW": D(10)}
    result = rule_check(
        rule("SCHEMES_REPLICATED", "<=", "SCHEMES_MAINTAINED + SCHEMES_NEW"), values
    )
    assert (result.status, result.left, result.right) == (RuleStatus.FAILED, D(90), D(60))
    assert result.message == "Sai"
    assert result.blocks_submission is True


def test_a_failed_warning_does_not_block_submission():
    result = rule_check(rule("A", ">=", "B", severity="warning"), {"A": D(1), "B": D(2)})
    assert (result.failed, result.blocks_submission) == (True, False)


def test_missing_values_count_as_zero_when_another_is_there():
    result = rule_check(
        rule("SECURITY_TEAM_MEMBERS", ">=", "SECURITY_TEAMS"), {"SECURITY_TEAMS": D(3)}
    )
    assert (result.status, result.left, result.right) == (RuleStatus.FAILED, D(0), D(3))


def test_a_rule_with_every_value_missing_is_skipped():
    result = rule_check(rule("A", "<=", "B + C"), {"A": None, "Z": D(4)})
    assert (result.status, result.left, result.right) == (RuleStatus.SKIPPED, None, None)


@pytest.mark.parametrize(
    ("operator", "expected"),
    [("==", False), ("!=", True), ("<", True), ("<=", True), (">", False), (">=", False)],
)
def test_every_operator(operator, expected):
    result = rule_check(rule("A", operator, "B"), {"A": D(1), "B": D("1.5")})
    assert result.status == (RuleStatus.PASSED if expected else RuleStatus.FAILED)


def test_constants_and_products_in_a_rule():
    result = rule_check(rule("A * 2", "==", "(B + 1) * 3 - 1"), {"A": D(4), "B": D(2)})
    assert (result.status, result.left, result.right) == (RuleStatus.PASSED, D(8), D(8))
