"""The part of CloudWatch metric math that alarms here need: arithmetic, ABS and FILL.

An expression combines metric ids (`m1`), other expressions' ids and numbers with `+ - * / ^`
and parentheses, plus `ABS(x)` and `FILL(x, <number>)`. As in CloudWatch, arithmetic between two
time series keeps only the timestamps both have (a period missing from either is missing from
the result); FILL gives every evaluated period of a series a value. A division by zero yields
no datapoint for that period. Anything else (other functions, FILL with REPEAT or LINEAR,
Metrics Insights queries) raises `Unsupported` naming it, so the alarm can say why it cannot be
evaluated instead of guessing.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable

from mlops.localcloud.cloudwatch.errors import Unsupported

Series = dict[float, float]  # period start (epoch seconds) -> value
Value = float | Series
SUPPORTED = "arithmetic (+ - * / ^) of metric ids and numbers, ABS(x) and FILL(x, <number>)"
_TOKEN = re.compile(r"\s*(?:(\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+)|([A-Za-z_][A-Za-z0-9_]*)|(.))")
_OPERATORS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv, "^": operator.pow}


def parse(expression: str):
    """The expression's syntax tree; Unsupported when it is outside the supported subset."""
    if expression.lstrip().upper().startswith("SELECT"):
        raise Unsupported("Metrics Insights queries (SELECT ...) are not supported by the embedded cloud")
    parser = _Parser(expression)
    tree = parser.expression()
    if parser.peek() is not None:
        raise Unsupported(f"cannot evaluate expression {expression!r} (unexpected {parser.peek()[1]!r}); "
                          f"the embedded cloud supports {SUPPORTED}")
    return tree


def evaluate(tree, *, resolve: Callable[[str], Series], periods: list[float]) -> Value:
    """Evaluate `tree` over the evaluated `periods`; `resolve` gives the series of an id."""
    kind = tree[0]
    if kind == "number":
        return tree[1]
    if kind == "id":
        return resolve(tree[1])
    if kind == "keyword":
        raise Unsupported(f"{tree[1]} is not supported by the embedded cloud here (supported: {SUPPORTED})")
    if kind == "negate":
        return _apply(operator.mul, -1.0, evaluate(tree[1], resolve=resolve, periods=periods))
    if kind == "binary":
        left = evaluate(tree[2], resolve=resolve, periods=periods)
        right = evaluate(tree[3], resolve=resolve, periods=periods)
        return _apply(_OPERATORS[tree[1]], left, right)
    name, args = tree[1], tree[2]
    if name == "ABS" and len(args) == 1:
        return _apply(lambda a, _: abs(a), evaluate(args[0], resolve=resolve, periods=periods), 0.0)
    if name == "FILL" and len(args) == 2 and args[1][0] == "number":
        series = evaluate(args[0], resolve=resolve, periods=periods)
        if not isinstance(series, dict):
            raise Unsupported("FILL needs a time series as its first argument")
        return {start: series.get(start, args[1][1]) for start in periods}
    if name == "FILL":
        mode = args[1][1] if len(args) == 2 and args[1][0] == "keyword" else "these arguments"
        raise Unsupported(f"FILL with {mode} is not supported by the embedded cloud (only FILL(x, <number>))")
    raise Unsupported(f"function {name} is not supported by the embedded cloud (supported: {SUPPORTED})")


def _apply(function, left: Value, right: Value) -> Value:
    if isinstance(left, dict) or isinstance(right, dict):
        starts = (left.keys() & right.keys() if isinstance(left, dict) and isinstance(right, dict)
                  else (left if isinstance(left, dict) else right).keys())
        result = {}
        for start in starts:
            value = _scalar(function, left[start] if isinstance(left, dict) else left,
                            right[start] if isinstance(right, dict) else right)
            if value is not None:
                result[start] = value
        return result
    value = _scalar(function, left, right)
    if value is None:
        raise Unsupported("the expression divides a constant by zero")
    return value


def _scalar(function, left: float, right: float) -> float | None:
    try:
        value = float(function(left, right))
    except (ZeroDivisionError, OverflowError, ValueError, TypeError):
        return None
    return value if math.isfinite(value) else None


class _Parser:
    """Recursive descent over: sum := product (('+'|'-') product)*; product := unary (('*'|'/')
    unary)*; unary := '-' unary | power; power := atom ('^' unary)?; atom := number | id |
    NAME '(' args ')' | '(' sum ')'."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = []
        for number, name, symbol in _TOKEN.findall(text):
            if number:
                self.tokens.append(("number", float(number)))
            elif name:
                self.tokens.append(("name", name))
            elif symbol.strip():
                self.tokens.append(("symbol", symbol))
        self.position = 0

    def peek(self):
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self, symbol: str | None = None):
        token = self.peek()
        if token is None or (symbol is not None and token != ("symbol", symbol)):
            wanted = f"{symbol!r}" if symbol else "more"
            raise Unsupported(f"cannot evaluate expression {self.text!r} (expected {wanted}); "
                              f"the embedded cloud supports {SUPPORTED}")
        self.position += 1
        return token

    def expression(self):
        tree = self.product()
        while self.peek() in (("symbol", "+"), ("symbol", "-")):
            tree = ("binary", self.take()[1], tree, self.product())
        return tree

    def product(self):
        tree = self.unary()
        while self.peek() in (("symbol", "*"), ("symbol", "/")):
            tree = ("binary", self.take()[1], tree, self.unary())
        return tree

    def unary(self):
        if self.peek() == ("symbol", "-"):
            self.take()
            return ("negate", self.unary())
        tree = self.atom()
        if self.peek() == ("symbol", "^"):
            self.take()
            tree = ("binary", "^", tree, self.unary())
        return tree

    def atom(self):
        kind, value = self.take()
        if kind == "number":
            return ("number", value)
        if kind == "symbol" and value == "(":
            tree = self.expression()
            self.take(")")
            return tree
        if kind == "name" and self.peek() == ("symbol", "("):
            self.take("(")
            args = [] if self.peek() == ("symbol", ")") else [self.argument()]
            while self.peek() == ("symbol", ","):
                self.take()
                args.append(self.argument())
            self.take(")")
            return ("call", value.upper(), args)
        if kind == "name":
            return ("id", value)
        raise Unsupported(f"cannot evaluate expression {self.text!r} (unexpected {value!r}); "
                          f"the embedded cloud supports {SUPPORTED}")

    def argument(self):
        token = self.peek()
        if token and token[0] == "name" and token[1].isupper() and self.tokens[self.position + 1:][:1] != [
                ("symbol", "(")]:
            self.take()
            return ("keyword", token[1])  # REPEAT, LINEAR, ... (FILL's modes)
        return self.expression()
