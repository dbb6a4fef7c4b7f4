"""The Jinja environment that report templates uploaded by province administrators run in.

A template is code written by a user and run on the server whenever anyone of the province asks
for a report, so it gets only what a report needs: the report's fields, a short allow-list of
filters and methods, `range`, and bounded work. Everything else is refused twice: when the
template is parsed (`_refusal` walks the tree, so an upload is refused with the construct named
before anything runs, and so is a template already stored), and while it runs (the sandbox
refuses attributes beginning with `_`, calls outside the allow-list, `str.format`, and work past
the limits below, whatever way the template found to build the name).
"""

from collections.abc import Iterable, Iterator
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.runtime import LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

# Far above what a report needs (the built-in one loops a few hundred times and writes under
# 1 MB of XML), far below what would hold a worker for more than a second or two.
MAX_RANGE = 10_000
MAX_STEPS = 200_000  # loop iterations and calls in one rendering
MAX_TEXT = 100_000  # characters (or items) of one string or list the template builds
MAX_OUTPUT = 20_000_000  # characters of XML written for one part of the document
MAX_INT_BITS = 4_096

FILTERS = frozenset({
    "abs", "capitalize", "count", "d", "default", "dictsort", "e", "escape", "first", "float",
    "groupby", "int", "join", "last", "length", "list", "lower", "map", "max", "min", "reject",
    "rejectattr", "round", "select", "selectattr", "sort", "string", "sum", "title", "trim",
    "truncate", "unique", "upper", "wordcount",
})  # fmt: skip
_STR_METHODS = ("capitalize", "endswith", "lower", "lstrip", "rstrip", "split", "startswith",
                "strip", "title", "upper")  # fmt: skip
METHODS = {
    str: frozenset(_STR_METHODS),
    dict: frozenset({"get", "items", "keys", "values"}),
    LoopContext: frozenset({"changed", "cycle"}),
}
# Jinja's own globals and the template's reference to itself lead to Python's internals.
NAMES = frozenset({"cycler", "joiner", "lipsum", "namespace", "self"})
ATTRIBUTES = frozenset({"format", "format_map", "mro"})
STATEMENTS = (nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)
_STEP = "_step"
_TEXT = "_text"


class TemplateRefused(SecurityError):
    """The template names something report templates may not use; `construct` says what."""

    def __init__(self, construct: str) -> None:
        super().__init__(f"not allowed in a report template: {construct}")
        self.construct = construct


class TemplateTooLarge(SecurityError):
    """The template asked for more work or text than a report needs."""


def _refusal(node: nodes.Node) -> str | None:
    if isinstance(node, nodes.Getattr) and (node.attr.startswith("_") or node.attr in ATTRIBUTES):
        return f".{node.attr}"
    if isinstance(node, nodes.Const) and isinstance(node.value, str) and "__" in node.value:
        return repr(node.value)
    if isinstance(node, nodes.Name) and node.name in NAMES:
        return node.name
    if isinstance(node, nodes.Filter) and node.name not in FILTERS:
        return f"|{node.name}"
    if isinstance(node, nodes.Getitem):
        key = node.arg
        if isinstance(key, nodes.Const) and isinstance(key.value, str) and key.value[:1] == "_":
            return f"[{key.value!r}]"
    if isinstance(node, STATEMENTS):
        return f"{{% {type(node).__name__.lower()} %}}"
    return None


def template_refusal(tree: nodes.Template) -> str | None:
    """The first construct of the tree a report template may not use, or None."""
    for node in tree.find_all(nodes.Node):
        refusal = _refusal(node)
        if refusal is not None:
            return refusal
    return None


def _wrap(node: nodes.Expr, name: str) -> nodes.Filter:
    return nodes.Filter(node, name, [], [], None, None, lineno=node.lineno)


class ReportSandbox(ImmutableSandboxedEnvironment):
    """One per rendering: the step budget is counted on the environment."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self) -> None:
        super().__init__(undefined=jinja2.StrictUndefined, autoescape=True)
        self.steps = 0
        self.globals.clear()
        self.globals["range"] = self._range
        allowed = {name: self.filters[name] for name in FILTERS}
        self.filters.clear()
        self.filters.update(allowed)
        # Named with a leading underscore, which `_refusal` forbids a template to write.
        self.filters[_STEP] = jinja2.pass_environment(_counted)
        self.filters[_TEXT] = _bounded

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        refusal = template_refusal(tree)
        if refusal is not None:
            raise TemplateRefused(refusal)
        # Every loop counts its iterations and every `~` its length: nesting loops or doubling
        # a string line after line would otherwise grow without bound.
        for loop in tree.find_all(nodes.For):
            loop.iter = _wrap(loop.iter, _STEP)
        for parent in list(tree.find_all(nodes.Node)):
            for field, value in parent.iter_fields():
                if isinstance(value, nodes.Concat):
                    setattr(parent, field, _wrap(value, _TEXT))
                elif isinstance(value, list):
                    value[:] = [
                        _wrap(v, _TEXT) if isinstance(v, nodes.Concat) else v for v in value
                    ]
        return tree

    def step(self, count: int = 1) -> None:
        self.steps += count
        if self.steps > MAX_STEPS:
            raise TemplateTooLarge(f"more than {MAX_STEPS} loop iterations and calls")

    def _range(self, *args: int) -> range:
        numbers = range(*args)
        if len(numbers) > MAX_RANGE:
            raise TemplateTooLarge(f"range() of more than {MAX_RANGE} numbers")
        return numbers

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        return attr not in ATTRIBUTES and super().is_safe_attribute(obj, attr, value)

    def wrap_str_format(self, value: Any) -> None:
        # Format strings reach attributes by name ("{0.__class__}"): refused, not sandboxed.
        return None

    def is_safe_callable(self, obj: Any) -> bool:
        if isinstance(obj, Macro) or obj == self._range:
            return True
        owner = getattr(obj, "__self__", None)
        name = getattr(obj, "__name__", "")
        return any(isinstance(owner, kind) and name in names for kind, names in METHODS.items())

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        __self.step()
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _operands_bounded(operator, left, right)
        try:
            result = super().call_binop(context, operator, left, right)
        except (ArithmeticError, MemoryError) as exc:
            raise TemplateTooLarge(str(exc)) from exc
        if isinstance(result, int) and result.bit_length() > MAX_INT_BITS:
            raise TemplateTooLarge(f"a number of more than {MAX_INT_BITS} bits")
        if isinstance(result, (str, list, tuple)):
            _bounded_size(len(result))
        return result

    def concat(self, parts: Iterable[str]) -> str:  # type: ignore[override]
        """What Template.render joins: the output is bounded as it is written."""
        written: list[str] = []
        size = 0
        for part in parts:
            size += len(part)
            if size > MAX_OUTPUT:
                raise TemplateTooLarge(f"more than {MAX_OUTPUT} characters of output")
            written.append(part)
        return "".join(written)


def _counted(environment: ReportSandbox, items: Iterable[Any]) -> Iterator[Any]:
    for item in items:
        environment.step()
        yield item


def _operands_bounded(operator: str, left: Any, right: Any) -> None:
    """Refuse before computing what would take too long or too much memory to compute."""
    if operator == "%" and isinstance(left, str):
        raise TemplateRefused("'…' % …")
    if operator == "*" and isinstance(right, (str, list, tuple)):
        left, right = right, left
    if operator == "*" and isinstance(left, (str, list, tuple)) and isinstance(right, int):
        _bounded_size(len(left) * right)
    power = operator == "**" and isinstance(left, int) and isinstance(right, int)
    if power and right > 0 and abs(left).bit_length() * right > MAX_INT_BITS:
        raise TemplateTooLarge(f"a number of more than {MAX_INT_BITS} bits")


def _bounded_size(size: int) -> None:
    if size > MAX_TEXT:
        raise TemplateTooLarge(f"a text or list of more than {MAX_TEXT} characters or items")


def _bounded(text: str) -> str:
    _bounded_size(len(text))
    return text
