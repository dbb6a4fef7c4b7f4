"""Indicator expressions of validation rules: codes, constants, + - * and parentheses.

A hand-written tokenizer and recursive-descent parser instead of `eval`: rules are typed by
administrators and run on every save of a form, so nothing in them may execute code.

    expression := term (("+" | "-") term)*
    term       := factor ("*" factor)*
    factor     := NUMBER | CODE | "(" expression ")" | "-" factor

Positions in messages count characters from 1, as a person reads the line.
"""

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from phongtrao.core.errors import AppError, ErrorCode

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<number>\d+(?:[.,]\d+)?)
  | (?P<code>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>[-+*()])
    """,
    re.VERBOSE,
)


@dataclass
class ExpressionError(AppError):
    """A rule that cannot be read; `position` is the 1-based character it stumbled on."""

    position: int = 0


@dataclass(frozen=True)
class Token:
    kind: str  # "number", "code", "op" or "end"
    text: str
    position: int


@dataclass(frozen=True)
class Number:
    value: Decimal


@dataclass(frozen=True)
class Ref:
    code: str
    position: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Negate:
    operand: "Node"


@dataclass(frozen=True)
class BinOp:
    op: str
    left: "Node"
    right: "Node"


Node = Number | Ref | Negate | BinOp


def _error(message: str, position: int) -> ExpressionError:
    return ExpressionError(ErrorCode.INVALID, message, position=position)


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match:
            raise _error(
                _('The character "%(char)s" at position %(pos)s is not allowed.')
                % {"char": text[pos], "pos": pos + 1},
                pos + 1,
            )
        kind, value = match.lastgroup, match.group()
        if kind == "number" and re.fullmatch(r"\d+[.,]\d{3}", value):
            # "2.150" is 2150 to a Vietnamese reader and 2.15 to a programmer: refuse both.
            raise _error(
                _(
                    'The number "%(number)s" at position %(pos)s is ambiguous: write it without '
                    "thousands separators (2150) or with fewer decimals (2,15)."
                )
                % {"number": value, "pos": pos + 1},
                pos + 1,
            )
        if kind == "code":
            value = value.upper()
        if kind != "space":
            tokens.append(Token(kind, value, pos + 1))
        pos = match.end()
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.index = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def take(self) -> Token:
        token = self.current
        self.index += 1
        return token

    def expression(self) -> Node:
        node = self.term()
        while self.current.kind == "op" and self.current.text in "+-":
            op = self.take().text
            node = BinOp(op, node, self.term())
        return node

    def term(self) -> Node:
        node = self.factor()
        while self.current.kind == "op" and self.current.text == "*":
            self.take()
            node = BinOp("*", node, self.factor())
        return node

    def factor(self) -> Node:
        token = self.take()
        if token.kind == "number":
            return Number(Decimal(token.text.replace(",", ".")))
        if token.kind == "code":
            return Ref(token.text, token.position)
        if token.kind == "op" and token.text == "-":
            return Negate(self.factor())
        if token.kind == "op" and token.text == "(":
            node = self.expression()
            closing = self.take()
            if closing.text != ")" or closing.kind != "op":
                raise _error(
                    _('A closing parenthesis ")" is missing at position %(pos)s.')
                    % {"pos": closing.position},
                    closing.position,
                )
            return node
        if token.kind == "end":
            raise _error(
                _("The expression ends too early at position %(pos)s: an indicator code or a "
                  "number is missing.") % {"pos": token.position},
                token.position,
            )  # fmt: skip
        raise _error(
            _('"%(token)s" at position %(pos)s is unexpected: an indicator code or a number is '
              "expected.") % {"token": token.text, "pos": token.position},
            token.position,
        )  # fmt: skip


def parse(text: str, *, known_codes: Collection[str] | None = None) -> Node:
    """The expression's tree; with `known_codes`, every code must be one of them."""
    if not (text or "").strip():
        raise _error(_("The expression is empty."), 1)
    parser = _Parser(tokenize(text))
    node = parser.expression()
    if parser.current.kind != "end":
        token = parser.current
        raise _error(
            _('"%(token)s" at position %(pos)s is unexpected: an operator (+, -, *) is expected.')
            % {"token": token.text, "pos": token.position},
            token.position,
        )
    if known_codes is not None:
        for ref in refs(node):
            if ref.code not in known_codes:
                raise _error(
                    _('The indicator code "%(code)s" at position %(pos)s is not in the catalogue.')
                    % {"code": ref.code, "pos": ref.position},
                    ref.position,
                )
    return node


def refs(node: Node) -> list[Ref]:
    """The indicator references of an expression, left to right."""
    if isinstance(node, Ref):
        return [node]
    if isinstance(node, Negate):
        return refs(node.operand)
    if isinstance(node, BinOp):
        return refs(node.left) + refs(node.right)
    return []


def codes(node: Node) -> list[str]:
    return list(dict.fromkeys(ref.code for ref in refs(node)))


def evaluate(node: Node, values: Mapping[str, Decimal | None]) -> Decimal:
    """The expression's value; a missing value counts as 0, as in a sum of counts."""
    if isinstance(node, Number):
        return node.value
    if isinstance(node, Ref):
        value = values.get(node.code)
        return Decimal(0) if value is None else Decimal(value)
    if isinstance(node, Negate):
        return -evaluate(node.operand, values)
    left, right = evaluate(node.left, values), evaluate(node.right, values)
    if node.op == "+":
        return left + right
    if node.op == "-":
        return left - right
    return left * right
