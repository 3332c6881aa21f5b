"""The `serving` block of a model's SSM settings (docs/contracts.md "Serving"), read
defensively: CDK writes it from the typed config, but anyone with access can edit the
parameter, so a bad value fails here naming the key instead of deep inside SageMaker.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

STRATEGIES = {"canary": "CANARY", "linear": "LINEAR", "all_at_once": "ALL_AT_ONCE"}

# Key path -> the type its value must have (int also accepts a whole float, as JSON may carry).
_SCHEMA: dict[str, type] = {
    "enabled": bool, "endpoint_name": str, "variant_name": str, "instance_type": str, "instance_count": int,
    "strategy": str, "canary_percent": int, "linear_step_percent": int, "wait_interval_seconds": int,
    "termination_wait_seconds": int, "max_execution_timeout_seconds": int,
    "data_capture.enabled": bool, "data_capture.sampling_percent": int,
    "alarms.period_seconds": int, "alarms.evaluation_periods": int, "alarms.error_threshold": float,
    "alarms.latency_p99_ms": float,
    "shadow.enabled": bool, "shadow.duration_seconds": int, "shadow.sampling_percent": int,
    "shadow.min_requests": int, "shadow.min_agreement": float, "shadow.max_latency_ratio": float,
}


def serving_block(settings: Mapping[str, Any]) -> dict[str, Any]:
    """The checked `serving` block of a settings document; ValueError names the bad key."""
    block = settings.get("serving")
    if not isinstance(block, Mapping):
        raise ValueError("settings.serving is missing: the model's settings predate serving; redeploy the stack")
    for path, kind in _SCHEMA.items():
        _check(path, _lookup(block, path), kind)
    if block["strategy"] not in STRATEGIES:
        raise ValueError(f"settings.serving.strategy must be one of {', '.join(STRATEGIES)}, got {block['strategy']!r}")
    return dict(block)


def _lookup(block: Mapping[str, Any], path: str) -> Any:
    value: Any = block
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            raise ValueError(f"settings.serving.{path} is missing")
        value = value[part]
    return value


def _check(path: str, value: Any, kind: type) -> None:
    name = f"settings.serving.{path}"
    if kind is bool:
        ok = isinstance(value, bool)
    elif kind is str:
        ok = isinstance(value, str) and value != ""
    else:
        # bool is an int in Python; `true` for a number is surely a mistake.
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if ok and kind is int and value != int(value):
            raise ValueError(f"{name} must be a whole number, got {value!r}")
    if not ok:
        expected = {bool: "true or false", str: "a non-empty string"}.get(kind, "a number")
        raise ValueError(f"{name} must be {expected}, got {value!r}")
