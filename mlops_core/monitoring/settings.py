"""What the monitor reads from a model's settings document (SSM, docs/contracts.md): the
endpoint and production variant (`serving`), and the `monitoring` block (mlops/config_monitoring.py
renders it with every default filled in). Read defensively: a missing block means the stack
predates monitoring, a bad value is named.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mlops_core.monitoring.drift import DRIFT_METHODS, MODEL_MONITOR
from mlops_core.monitoring.errors import MonitoringError

DEFAULT_METRIC = {"classification": "accuracy", "regression": "rmse"}


@dataclass(frozen=True)
class MonitorSettings:
    model: str
    target: str
    problem_type: str
    endpoint: str
    variant: str
    window_minutes: int
    processing_above_bytes: int
    quality_enabled: bool
    quality_metric: str
    quality_threshold: float | None
    min_labels: int
    processing: Mapping[str, Any]  # instance_type, instance_count, volume_size_gb, max_runtime_seconds
    drift_method: str = MODEL_MONITOR  # monitoring.drift.method (drift.DRIFT_METHODS)

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> MonitorSettings:
        serving, monitoring = settings.get("serving"), settings.get("monitoring")
        if not isinstance(serving, Mapping) or not isinstance(monitoring, Mapping):
            raise MonitoringError(f"the settings of model {settings.get('model')!r} have no serving or monitoring "
                                  "block: they predate monitoring; deploy the stack again")
        if not serving.get("enabled", True) or not monitoring.get("enabled", True):
            raise MonitoringError(f"model {settings.get('model')!r} has serving or monitoring disabled in its config: "
                                  "there is no endpoint to monitor")
        quality = monitoring.get("model_quality") or {}
        problem_type = _text(settings, "problem_type")
        return cls(
            model=_text(settings, "model"), target=_text(settings, "target"), problem_type=problem_type,
            endpoint=_text(serving, "endpoint_name", "serving."), variant=_text(serving, "variant_name", "serving."),
            window_minutes=_whole(monitoring, "window_minutes", 60),
            processing_above_bytes=_whole(monitoring, "processing_above_bytes", 268_435_456),
            quality_enabled=bool(quality.get("enabled", True)),
            quality_metric=str(quality.get("metric") or DEFAULT_METRIC.get(problem_type, "accuracy")),
            quality_threshold=None if quality.get("threshold") is None else float(quality["threshold"]),
            min_labels=_whole(quality, "min_labels", 10, "monitoring.model_quality."),
            processing=settings.get("processing") or {},
            drift_method=_drift_method(monitoring),
        )


def _text(block: Mapping[str, Any], key: str, where: str = "") -> str:
    value = block.get(key)
    if not isinstance(value, str) or not value:
        raise MonitoringError(f"settings.{where}{key} must be a non-empty string, got {value!r}")
    return value


def _whole(block: Mapping[str, Any], key: str, default: int, where: str = "monitoring.") -> int:
    value = block.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value) or value < 1:
        raise MonitoringError(f"settings.{where}{key} must be a whole number of at least 1, got {value!r}")
    return int(value)


def _drift_method(monitoring: Mapping[str, Any]) -> str:
    drift = monitoring.get("drift") or {}
    method = drift.get("method", MODEL_MONITOR) if isinstance(drift, Mapping) else None
    if method not in DRIFT_METHODS:
        raise MonitoringError(f"settings.monitoring.drift.method must be one of {', '.join(DRIFT_METHODS)}, "
                              f"got {method!r}")
    return method
