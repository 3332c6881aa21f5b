"""CloudFormation intrinsic functions, resolved as CloudFormation resolves them.

`Resolver.resolve` turns a template fragment into plain JSON values. Resource references go
through two callables (`ref`, `get_att`) so the provisioner answers them from what it has
created; parameters, pseudo parameters, conditions and mappings are answered here.
`references` lists the logical ids a fragment depends on, for ordering.

Supported: Ref, Fn::GetAtt, Fn::Join, Fn::Sub (both forms, `${Res.Attr}`, `${!Literal}`),
Fn::Select, Fn::Split, Fn::If, Fn::Equals/Not/And/Or, Condition, Fn::FindInMap, Fn::Base64,
Fn::GetAZs, and AWS::NoValue (removes the key or list item holding it). Fn::ImportValue, and
anything else, raise `TemplateError` naming the function.
"""

from __future__ import annotations

import base64
import re
import uuid
from collections.abc import Callable, Mapping
from typing import Any

__all__ = [
    "NO_VALUE", "SUPPORTED_FUNCTIONS", "Resolver", "TemplateError", "attribute_references", "condition_names",
    "dependency_order", "pseudo_parameters", "references", "unsupported_functions",
]


class TemplateError(ValueError):
    """A template fragment cannot be resolved (message names the function and the value)."""


class _NoValue:
    def __repr__(self) -> str:
        return "AWS::NoValue"


NO_VALUE = _NoValue()
SUPPORTED_FUNCTIONS = frozenset({
    "Ref", "Fn::GetAtt", "Fn::Join", "Fn::Sub", "Fn::Select", "Fn::Split", "Fn::If", "Fn::Equals",
    "Fn::Not", "Fn::And", "Fn::Or", "Fn::FindInMap", "Fn::Base64", "Fn::GetAZs",
})
_SUB_VARIABLE = re.compile(r"\$\{([^}]*)\}")


def pseudo_parameters(*, region: str, account: str, stack_name: str) -> dict[str, Any]:
    partition = "aws-cn" if region.startswith("cn-") else "aws-us-gov" if region.startswith("us-gov-") else "aws"
    stack_uuid = uuid.uuid5(uuid.NAMESPACE_URL, f"{account}/{region}/{stack_name}")
    return {
        "AWS::AccountId": account,
        "AWS::Region": region,
        "AWS::Partition": partition,
        "AWS::URLSuffix": "amazonaws.com.cn" if partition == "aws-cn" else "amazonaws.com",
        "AWS::StackName": stack_name,
        "AWS::StackId": f"arn:{partition}:cloudformation:{region}:{account}:stack/{stack_name}/{stack_uuid}",
        "AWS::NotificationARNs": [],
        "AWS::NoValue": NO_VALUE,
    }


def _unresolvable_ref(name: str) -> Any:
    raise TemplateError(f"Ref {name}: no such resource or parameter")


def _unresolvable_att(name: str, attribute: str) -> Any:
    raise TemplateError(f"Fn::GetAtt {name}.{attribute}: no such resource")


class Resolver:
    def __init__(
        self,
        *,
        pseudo: Mapping[str, Any],
        parameters: Mapping[str, Any] | Callable[[str], tuple[bool, Any]] | None = None,
        conditions: Mapping[str, Any] | None = None,
        mappings: Mapping[str, Any] | None = None,
        ref: Callable[[str], Any] = _unresolvable_ref,
        get_att: Callable[[str, str], Any] = _unresolvable_att,
    ) -> None:
        self.pseudo = pseudo
        self._parameters = parameters or {}
        self._condition_defs = dict(conditions or {})
        self._mappings = mappings or {}
        self._ref = ref
        self._get_att = get_att
        self._condition_values: dict[str, bool] = {}
        self._evaluating: set[str] = set()

    # -- public -----------------------------------------------------------------------------
    def resolve(self, value: Any) -> Any:
        if isinstance(value, dict):
            if len(value) == 1:
                (key, arg), = value.items()
                if key == "Ref" or key.startswith("Fn::"):
                    return self._function(key, arg)
            out = {}
            for key, item in value.items():
                resolved = self.resolve(item)
                if resolved is not NO_VALUE:
                    out[key] = resolved
            return out
        if isinstance(value, list):
            return [r for r in (self.resolve(item) for item in value) if r is not NO_VALUE]
        return value

    def condition(self, name: str) -> bool:
        if name not in self._condition_values:
            if name not in self._condition_defs:
                raise TemplateError(f"Condition {name}: not defined in Conditions")
            if name in self._evaluating:
                raise TemplateError(f"Condition {name}: refers to itself through {sorted(self._evaluating)}")
            self._evaluating.add(name)
            self._condition_values[name] = self._resolve_condition(self._condition_defs[name], f"Condition {name}")
        return self._condition_values[name]

    def _resolve_condition(self, value: Any, where: str) -> bool:
        """A condition expression; `{"Condition": "Name"}` is only meaningful here."""
        if isinstance(value, dict) and len(value) == 1 and isinstance(value.get("Condition"), str):
            return self.condition(value["Condition"])
        return _as_bool(self.resolve(value), where)

    # -- functions ----------------------------------------------------------------------------
    def _function(self, name: str, arg: Any) -> Any:
        handler = _FUNCTIONS.get(name)
        if handler is None:
            if name == "Fn::ImportValue":
                raise TemplateError(
                    f"Fn::ImportValue {arg!r}: cross-stack imports are not supported by the embedded cloud "
                    "(deploy the exporting stack's values as parameters or keep the app in one stack)")
            raise TemplateError(f"{name}: intrinsic function not supported by the embedded cloud")
        return handler(self, arg)

    def ref(self, name: str) -> Any:
        if not isinstance(name, str):
            raise TemplateError(f"Ref: expected a name, got {name!r}")
        if name in self.pseudo:
            return self.pseudo[name]
        if callable(self._parameters):
            found, value = self._parameters(name)
            if found:
                return value
        elif name in self._parameters:
            return self._parameters[name]
        return self._ref(name)

    def _get_att_fn(self, arg: Any) -> Any:
        if isinstance(arg, str):
            name, _, attribute = arg.partition(".")
        elif isinstance(arg, list) and len(arg) == 2:
            name, attribute = arg[0], self.resolve(arg[1])
        else:
            raise TemplateError(f"Fn::GetAtt: expected [LogicalId, Attribute], got {arg!r}")
        if not name or not isinstance(attribute, str) or not attribute:
            raise TemplateError(f"Fn::GetAtt: expected [LogicalId, Attribute], got {arg!r}")
        return self._get_att(name, attribute)

    def _join(self, arg: Any) -> str:
        if not (isinstance(arg, list) and len(arg) == 2):
            raise TemplateError(f"Fn::Join: expected [delimiter, [values]], got {arg!r}")
        delimiter, items = self.resolve(arg[0]), self.resolve(arg[1])
        if not isinstance(delimiter, str) or not isinstance(items, list):
            raise TemplateError(f"Fn::Join: expected [delimiter, [values]], got {arg!r}")
        return delimiter.join(_as_string(item, "Fn::Join") for item in items)

    def _sub(self, arg: Any) -> str:
        if isinstance(arg, str):
            text, variables = arg, {}
        elif isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str) and isinstance(arg[1], dict):
            text, variables = arg[0], {k: self.resolve(v) for k, v in arg[1].items()}
        else:
            raise TemplateError(f"Fn::Sub: expected a string or [string, {{variables}}], got {arg!r}")

        def substitute(match: re.Match) -> str:
            expression = match.group(1)
            if expression.startswith("!"):
                return "${" + expression[1:] + "}"
            if expression in variables:
                return _as_string(variables[expression], f"Fn::Sub ${{{expression}}}")
            if "." in expression:  # parameter and pseudo parameter names never contain a dot
                name, _, attribute = expression.partition(".")
                return _as_string(self._get_att(name, attribute), f"Fn::Sub ${{{expression}}}")
            return _as_string(self.ref(expression), f"Fn::Sub ${{{expression}}}")

        return _SUB_VARIABLE.sub(substitute, text)

    def _select(self, arg: Any) -> Any:
        if not (isinstance(arg, list) and len(arg) == 2):
            raise TemplateError(f"Fn::Select: expected [index, [values]], got {arg!r}")
        index, items = self.resolve(arg[0]), self.resolve(arg[1])
        try:
            index = int(index)
        except (TypeError, ValueError):
            raise TemplateError(f"Fn::Select: index {index!r} is not a number") from None
        if not isinstance(items, list) or not 0 <= index < len(items):
            raise TemplateError(f"Fn::Select: index {index} out of range for {items!r}")
        return items[index]

    def _split(self, arg: Any) -> list[str]:
        if not (isinstance(arg, list) and len(arg) == 2):
            raise TemplateError(f"Fn::Split: expected [delimiter, string], got {arg!r}")
        delimiter, text = self.resolve(arg[0]), self.resolve(arg[1])
        if not isinstance(delimiter, str) or not delimiter or not isinstance(text, str):
            raise TemplateError(f"Fn::Split: expected [delimiter, string], got {arg!r}")
        return text.split(delimiter)

    def _if(self, arg: Any) -> Any:
        if not (isinstance(arg, list) and len(arg) == 3 and isinstance(arg[0], str)):
            raise TemplateError(f"Fn::If: expected [condition, value_if_true, value_if_false], got {arg!r}")
        return self.resolve(arg[1] if self.condition(arg[0]) else arg[2])

    def _equals(self, arg: Any) -> bool:
        if not (isinstance(arg, list) and len(arg) == 2):
            raise TemplateError(f"Fn::Equals: expected [value, value], got {arg!r}")
        left, right = (self.resolve(v) for v in arg)
        return _comparable(left) == _comparable(right)

    def _logic(self, name: str, arg: Any, combine: Callable) -> bool:
        if not isinstance(arg, list) or not arg:
            raise TemplateError(f"{name}: expected a list of conditions, got {arg!r}")
        if name == "Fn::Not" and len(arg) != 1:
            raise TemplateError(f"Fn::Not: expected exactly one condition, got {arg!r}")
        return combine(self._resolve_condition(item, name) for item in arg)

    def _find_in_map(self, arg: Any) -> Any:
        if not (isinstance(arg, list) and len(arg) in (3, 4)):
            raise TemplateError(f"Fn::FindInMap: expected [map, key, key], got {arg!r}")
        name, top, second = (self.resolve(v) for v in arg[:3])
        try:
            return self._mappings[name][top][second]
        except (KeyError, TypeError):
            if len(arg) == 4 and isinstance(arg[3], dict) and "DefaultValue" in arg[3]:
                return self.resolve(arg[3]["DefaultValue"])
            raise TemplateError(f"Fn::FindInMap: no entry {name}/{top}/{second}") from None

    def _get_azs(self, arg: Any) -> list[str]:
        region = self.resolve(arg) or self.pseudo["AWS::Region"]
        return [f"{region}{zone}" for zone in "abc"]


_FUNCTIONS: dict[str, Callable[[Resolver, Any], Any]] = {
    "Ref": lambda r, a: r.ref(a),
    "Fn::GetAtt": Resolver._get_att_fn,
    "Fn::Join": Resolver._join,
    "Fn::Sub": Resolver._sub,
    "Fn::Select": Resolver._select,
    "Fn::Split": Resolver._split,
    "Fn::If": Resolver._if,
    "Fn::Equals": Resolver._equals,
    "Fn::Not": lambda r, a: not r._logic("Fn::Not", a, lambda values: next(iter(values))),
    "Fn::And": lambda r, a: r._logic("Fn::And", a, all),
    "Fn::Or": lambda r, a: r._logic("Fn::Or", a, any),
    "Fn::FindInMap": Resolver._find_in_map,
    "Fn::Base64": lambda r, a: base64.b64encode(_as_string(r.resolve(a), "Fn::Base64").encode()).decode(),
    "Fn::GetAZs": Resolver._get_azs,
}


def _as_string(value: Any, where: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    raise TemplateError(f"{where}: expected a string, got {value!r}")


def _as_bool(value: Any, where: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise TemplateError(f"{where}: expected a condition (true/false), got {value!r}")


def _comparable(value: Any) -> Any:
    return _as_string(value, "Fn::Equals") if isinstance(value, (bool, int, float)) else value


def references(value: Any, *, exclude: frozenset[str] | set[str] = frozenset()) -> set[str]:
    """Names a fragment refers to through Ref, Fn::GetAtt and Fn::Sub (minus `exclude` and AWS::*)."""
    return {name for name, _ in _references(value) if name not in exclude and not name.startswith("AWS::")}


def attribute_references(value: Any) -> set[tuple[str, str]]:
    """(logical id, attribute) pairs a fragment asks for through Fn::GetAtt and `${Res.Attr}`."""
    return {(name, attribute) for name, attribute in _references(value) if attribute is not None}


def _references(value: Any) -> set[tuple[str, str | None]]:
    found: set[tuple[str, str | None]] = set()
    _collect(value, found)
    return found


def _collect(value: Any, found: set) -> None:
    if isinstance(value, list):
        for item in value:
            _collect(item, found)
        return
    if not isinstance(value, dict):
        return
    if len(value) == 1:
        (key, arg), = value.items()
        if key == "Ref" and isinstance(arg, str):
            found.add((arg, None))
            return
        if key == "Fn::GetAtt":
            if isinstance(arg, str) and "." in arg:
                found.add(tuple(arg.split(".", 1)))
            elif isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str):
                found.add((arg[0], arg[1] if isinstance(arg[1], str) else None))
                _collect(arg[1], found)
            return
        if key == "Fn::Sub":
            text, variables = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1]) if (
                isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], dict)) else ("", {})
            for expression in _SUB_VARIABLE.findall(text if isinstance(text, str) else ""):
                if expression.startswith("!") or expression in variables:
                    continue
                name, dot, attribute = expression.partition(".")
                found.add((name, attribute if dot else None))
            _collect(variables, found)
            return
    for item in value.values():
        _collect(item, found)


def dependency_order(dependencies: Mapping[str, set[str]]) -> list[str]:
    """Names ordered so each comes after everything it depends on (ties keep the given order).
    A cycle raises `TemplateError` naming the names on it."""
    remaining = {name: set(deps) & set(dependencies) for name, deps in dependencies.items()}
    ordered: list[str] = []
    while remaining:
        ready = [name for name, deps in remaining.items() if not deps]
        if not ready:
            raise TemplateError(f"circular dependency between resources: {' -> '.join(_cycle(remaining))}")
        for name in ready:
            del remaining[name]
            ordered.append(name)
        for deps in remaining.values():
            deps.difference_update(ready)
    return ordered


def _cycle(graph: Mapping[str, set[str]]) -> list[str]:
    path: list[str] = []
    node = next(iter(graph))
    while node not in path:
        path.append(node)
        node = sorted(graph[node])[0]
    return path[path.index(node):] + [node]


def condition_names(value: Any) -> set[str]:
    """Conditions a fragment's Fn::If functions name."""
    found: set[str] = set()

    def walk(item: Any) -> None:
        if isinstance(item, list):
            for element in item:
                walk(element)
        elif isinstance(item, dict):
            arg = item.get("Fn::If") if len(item) == 1 else None
            if isinstance(arg, list) and arg and isinstance(arg[0], str):
                found.add(arg[0])
            for element in item.values():
                walk(element)

    walk(value)
    return found


def unsupported_functions(value: Any) -> set[str]:
    """Intrinsic functions used in a fragment that `Resolver` cannot resolve (e.g. Fn::ImportValue)."""
    found: set[str] = set()

    def walk(item: Any) -> None:
        if isinstance(item, list):
            for element in item:
                walk(element)
        elif isinstance(item, dict):
            if len(item) == 1:
                key = next(iter(item))
                if key.startswith("Fn::") and key not in SUPPORTED_FUNCTIONS:
                    found.add(key)
            for element in item.values():
                walk(element)

    walk(value)
    return found
